#pragma once

#include <protocols/actions/plan.hpp>
#include <protocols/eth/rpc/rpc_client.hpp>

#include <cstdint>
#include <optional>

namespace nftterm::protocols::actions {

/// A down-payment long ("buy now, pay later"): one NFT bought from the
/// cheapest pool that sells it, paid partly with the buyer's ETH and partly
/// with a flash loan that a pool loan in the buyer's name against that NFT
/// repays, all in one DownPayment.buy transaction.
struct DownPaymentPlan {
    PositionPlan plan;  // the calls (credit delegation when short, buy); `amount`: the ETH the buyer sends
    wallet::Address down_payment, pair, collection;
    wallet::U256 token_id;
    wallet::U256 price;     // the pair's ask for it, fees in (maxExpectedTokenInput)
    wallet::U256 own_funds; // the down payment: price − flash loan
    wallet::U256 flash_loan, premium, debt;  // debt = flash loan + its premium, the new loan
    wallet::U256 collateral;                  // the NFT at the oracle (reserve units)
    std::uint64_t ltv_bps = 0, threshold_bps = 0;
    wallet::U256 health_after;
    std::optional<wallet::U256> liquidation_price;
    wallet::U256 borrow_rate, cost_per_day;
    /// The least down payment the collection's LTV allows at this price, and the leverage it gives (price ÷ it, WAD).
    wallet::U256 min_own_funds, max_leverage;
    PositionPlan::PoolLoanInputs loan_inputs;  // to redo the health for the landing block's time
};

/// Plans buying `token_id` (or, unset, any NFT of the cheapest pool) of
/// `collection` with `down_payment_bps` of the price from the buyer.
/// Refused before signing: no pool sells it, the price passes `max_price`, a
/// down payment below what the LTV allows (the least is said), a stale
/// oracle, the buyer's ETH short of the down payment.
Result<DownPaymentPlan> plan_down_payment(eth::RpcClient& client, const positions::Registry& registry, const wallet::Address& buyer,
                                          const wallet::Address& collection, const std::optional<wallet::U256>& token_id, std::uint64_t down_payment_bps,
                                          const std::optional<wallet::U256>& max_price, std::uint64_t block);

/// The loan's health factor in a block with this timestamp (LendPool's own math).
wallet::U256 down_payment_health_at(const DownPaymentPlan& plan, std::uint64_t timestamp);

}  // namespace nftterm::protocols::actions
