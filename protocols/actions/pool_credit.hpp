#pragma once

#include <protocols/actions/plan.hpp>
#include <protocols/eth/rpc/rpc_client.hpp>

#include <cstdint>
#include <optional>

namespace nftterm::protocols::actions {

/// A depositor's side of the lending pool (LendPool.deposit / withdraw of the WETH reserve).
struct LendPlan {
    PositionPlan plan;          // the calls; `amount` in, or out (`pays_in` false)
    wallet::U256 deposit_before;  // getDepositBalance now
    wallet::U256 supply_rate;     // the reserve's liquidity rate (ray per year) now
    wallet::U256 available_liquidity;
};

/// Deposits `amount` of WETH into the pool (approval first when short).
Result<LendPlan> plan_lend_deposit(eth::RpcClient& client, const positions::Registry& registry, const wallet::Address& account, const wallet::U256& amount,
                                   std::uint64_t block);
/// Withdraws `amount` (unset: the whole deposit) back to the account; refused
/// past the deposit or what the pool holds unlent.
Result<LendPlan> plan_lend_withdraw(eth::RpcClient& client, const positions::Registry& registry, const wallet::Address& account,
                                    const std::optional<wallet::U256>& amount, std::uint64_t block);

/// Redeems the account's pool loan in auction within its redeem window
/// (LendPool.redeem): part of the debt — `amount`, or by default the least
/// the collection's redeem threshold asks — plus the bid fine that goes to
/// the first bidder, by the pool's own rule (getNftAuctionData's bidFine);
/// the loan is active again and the bid returns to the bidder. The plan's
/// `amount` is what is paid (part + fine), `bid_fine` the fine.
Result<PositionPlan> plan_redeem(eth::RpcClient& client, const positions::Registry& registry, const positions::Position& position,
                                 const std::optional<wallet::U256>& amount);

/// A bidder's side: a bid on a loan below health 1, or above the last bid
/// (LendPool.auction; at least the liquidation price, and 1 % of the debt
/// over the last bid), or after the auction the liquidation that hands the
/// NFT to the winning bidder (LendPool.liquidate, paying any debt the bid
/// leaves).
struct AuctionPlan {
    PositionPlan plan;
    wallet::Address pool, collection;
    wallet::U256 token_id, loan_id;
    wallet::U256 debt, liquidate_price, last_bid, bid_fine;
    std::uint64_t bid_start = 0, bid_end = 0, redeem_end = 0;
};
Result<AuctionPlan> plan_auction_bid(eth::RpcClient& client, const positions::Registry& registry, const wallet::Address& bidder, const wallet::Address& collection,
                                     const wallet::U256& token_id, const wallet::U256& bid, std::uint64_t block);
Result<AuctionPlan> plan_auction_liquidate(eth::RpcClient& client, const positions::Registry& registry, const wallet::Address& caller,
                                           const wallet::Address& collection, const wallet::U256& token_id, std::uint64_t block);

}  // namespace nftterm::protocols::actions
