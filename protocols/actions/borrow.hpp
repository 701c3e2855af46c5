#pragma once

#include <protocols/actions/plan.hpp>
#include <protocols/eth/rpc/rpc_client.hpp>

#include <cstdint>
#include <optional>

namespace nftterm::protocols::actions {

/// A pool loan (BendDAO v1 LendPool.borrow) against one NFT: a new loan
/// (the NFT goes into the pool) or more on the NFT's active loan.
struct BorrowPlan {
    /// The calls (the NFT's approval, borrow), the reserve token received
    /// (`amount`, `pays_in` false) and the pool loan's inputs, so the health
    /// can be recomputed for the block the borrow lands in.
    PositionPlan plan;
    wallet::Address pool, collection;
    wallet::U256 token_id;
    bool new_loan = true;
    /// The NFT at the oracle, in reserve units; LTV, liquidation threshold and bonus (bps).
    wallet::U256 collateral;
    std::uint64_t ltv_bps = 0, threshold_bps = 0, bonus_bps = 0;
    /// The debt before (a little after now, with interest) and after, at the plan block's time.
    wallet::U256 debt_before, debt_after;
    /// The most the LTV lets the loan borrow more now, and what the pool holds to lend.
    wallet::U256 max_borrow, available_liquidity;
    wallet::U256 health_after;
    std::optional<wallet::U256> liquidation_price;  // the NFT price (ETH) at health 1
    wallet::U256 borrow_rate;                        // ray per year, the reserve's variable rate now
    wallet::U256 cost_per_day;                       // on debt_after at that rate
    std::uint64_t timestamp = 0;                     // the plan block's
};

/// Plans borrowing `amount` of the reserve (WETH) against `token_id` of
/// `collection`, or, with `target_health` (WAD), as much as brings the loan
/// to it. Refused before signing, with the reason: an NFT the account does
/// not hold (or whose loan is not its own or not active), a stale oracle
/// price, an amount past what the LTV allows or the pool holds, a target
/// the loan is already below.
Result<BorrowPlan> plan_borrow(eth::RpcClient& client, const positions::Registry& registry, const wallet::Address& account,
                               const wallet::Address& collection, const wallet::U256& token_id, const std::optional<wallet::U256>& amount,
                               const std::optional<wallet::U256>& target_health, std::uint64_t block);

/// The health factor the borrow leaves in a block with this timestamp (LendPool's own math).
wallet::U256 borrow_health_at(const BorrowPlan& plan, std::uint64_t timestamp);

}  // namespace nftterm::protocols::actions
