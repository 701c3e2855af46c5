#pragma once
// Internal to the plans: one-off views at the block a position was read.
#include <protocols/eth/rpc/rpc_client.hpp>
#include <protocols/actions/plan.hpp>
#include <protocols/positions/registry.hpp>

#include <string>
#include <vector>

namespace nftterm::protocols::actions::detail {

/// `signature` on `target` at `block`, its outputs as `types`.
Result<std::vector<abi::Value>> view_at(eth::RpcClient& client, const wallet::Address& target, const std::string& signature,
                                        std::vector<abi::Value> args, const std::string& types, std::uint64_t block);

/// Fills the plan's token, symbol, decimals and the account's balance of it.
Result<void> read_token(eth::RpcClient& client, PositionPlan& plan, const wallet::Address& token, std::uint64_t block);

/// Refuses when the balance cannot pay `plan.amount`.
Result<void> require_balance(const PositionPlan& plan);

/// approve(spender, amount) first when the allowance is short of `amount`.
Result<void> add_approval(eth::RpcClient& client, PositionPlan& plan, const wallet::Address& spender, const std::string& spender_name,
                          const wallet::U256& amount, std::uint64_t block);

/// Interest accrues until a call lands: pool-loan amounts that follow the debt are planned this much later.
constexpr std::uint64_t kPoolLoanLandingSeconds = 120;
/// BendDAO's LoanState: None, Created, Active, Auction, Repaid, Defaulted.
constexpr std::uint64_t kPoolLoanActive = 2;
constexpr std::uint64_t kPoolLoanAuction = 3;

/// A plan's fields that every action fills the same way.
PositionPlan plan_for(const Position& position, std::string action, std::string measure);

/// The pool loan's scaled debt, the reserve's index and rate, the
/// collection's liquidation threshold, at the position's block, and that
/// block's timestamp.
struct PoolLoanRead {
    PositionPlan::PoolLoanInputs inputs;
    std::uint64_t timestamp = 0;
};
Result<PoolLoanRead> read_pool_loan(eth::RpcClient& client, const Registry& registry, const Position& position);

}  // namespace nftterm::protocols::actions::detail
