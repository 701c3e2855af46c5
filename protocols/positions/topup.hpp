#pragma once

#include <protocols/eth/rpc/rpc_client.hpp>
#include <protocols/positions/position.hpp>
#include <protocols/positions/registry.hpp>

#include <string>
#include <vector>

namespace nftterm::protocols::positions {

/// One transaction of a plan, with what it does in words.
struct PlannedCall {
    wallet::Address to;
    wallet::Bytes data;
    wallet::U256 value;
    std::string description;  // "approve 1.25 WETH to LendPool", "repay 1.25 WETH on loan #17"
};

/// What restores a position to a target health: the calls to sign (an
/// approval first when the allowance is short), the amount, and the health
/// predicted after them. Immutable once made.
struct TopUpPlan {
    std::string position_id;
    /// Who signs the calls: the position's account.
    wallet::Address account;
    /// "healthFactor" (pool loans) or "marginRatio" (perps), WAD.
    std::string measure;
    wallet::U256 health_before;
    wallet::U256 target;
    wallet::U256 predicted_health;
    wallet::Address token;
    wallet::U256 amount;
    wallet::U256 balance_before;
    std::vector<PlannedCall> calls;

    // The inputs the prediction was made from, so that it can be redone
    // for the block the calls land in.
    struct PoolLoanInputs {
        wallet::U256 scaled_debt, borrow_index, borrow_rate, collateral;
        std::uint64_t index_updated = 0, liquidation_threshold = 0;
    };
    std::optional<PoolLoanInputs> pool_loan;
};

/// Plans a top-up of `position` (as the monitor saw it at `position.price_block`)
/// to `target` (WAD, e.g. 1.5e18): a partial repay for a pool loan, added
/// margin for a perp. Other families have no top-up (Errc::Config says why).
Result<TopUpPlan> plan_top_up(eth::RpcClient& client, const Registry& registry, const Position& position, const wallet::U256& target);

/// The pool-loan health factor after the plan's repay lands in a block
/// with this timestamp, by the contract's own math.
std::optional<wallet::U256> predicted_health_at(const TopUpPlan& plan, std::uint64_t timestamp);

}  // namespace nftterm::protocols::positions
