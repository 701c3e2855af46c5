#pragma once

#include <protocols/actions/plan.hpp>
#include <protocols/eth/rpc/rpc_client.hpp>
#include <protocols/pricing/order_book.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nftterm::protocols::actions {

/// One pair's part of a routed trade: one swap.
struct PoolSwap {
    wallet::Address pair;
    std::uint64_t count = 0;
    /// ETH in (a buy) or out (a sell), fees in, exactly as the pair's quote says.
    wallet::U256 total;
    wallet::U256 protocol_fee;
    /// The pair's curve after the swap.
    wallet::U256 new_spot_price;
    wallet::U256 new_delta;
    /// A sell: the NFTs it takes.
    std::vector<wallet::U256> token_ids;
};

/// A routed market order across a collection's pools: each next NFT from (or
/// into) the pool best after the fills before it, one swap per pool, each
/// bounded by its own quote (maxExpectedTokenInput / minExpectedTokenOutput),
/// so a market that moved makes the swap revert with the pair's reason.
struct TradePlan {
    std::string action;  // "buy", "sell"
    wallet::Address account;
    wallet::Address collection;
    std::uint64_t block = 0;
    std::vector<PoolSwap> swaps;
    std::uint64_t count = 0;
    wallet::U256 total;
    /// The best single price on the book before the trade, and the average paid or got.
    wallet::U256 best_price;
    wallet::U256 average_price;
    /// How far the average is from the best price, in basis points (worse: positive).
    std::uint64_t impact_bps = 0;
    wallet::U256 protocol_fees;
    std::vector<PlannedCall> calls;
};

/// Buys `count` NFTs (any ids) for `buyer`: refused when the pools hold
/// fewer, or when the total passes `max_total`.
Result<TradePlan> plan_buy(const pricing::CollectionPools& pools, std::uint64_t count, const std::optional<wallet::U256>& max_total,
                           const wallet::Address& buyer);

/// Buys these NFTs from the pools that hold them (`holders`: each id's
/// pair, as ownerOf says), one swap per pool (swapTokenForSpecificNFTs,
/// bounded by the pair's quote for that many). Refused for an id no pool
/// sells, or when the total passes `max_total`.
Result<TradePlan> plan_buy_ids(const pricing::CollectionPools& pools, const std::vector<std::pair<wallet::U256, wallet::Address>>& holders,
                               const std::optional<wallet::U256>& max_total, const wallet::Address& buyer);

/// Sells `token_ids` (the seller's) into the best bids, each next NFT into
/// the pool paying most after the sales before it; a pair not yet approved
/// to move the seller's NFTs (`approved` lists those that are) gets a
/// setApprovalForAll first. Refused when the bids cannot take them all, or
/// when the proceeds fall short of `min_total`.
Result<TradePlan> plan_sell(const pricing::CollectionPools& pools, const std::vector<wallet::U256>& token_ids, const std::optional<wallet::U256>& min_total,
                            const wallet::Address& seller, const std::vector<wallet::Address>& approved);

/// plan_sell after reading, at the pools' block, that the seller owns each
/// NFT and which pairs may already move them.
Result<TradePlan> plan_sell_owned(eth::RpcClient& client, const pricing::CollectionPools& pools, const std::vector<wallet::U256>& token_ids,
                                  const std::optional<wallet::U256>& min_total, const wallet::Address& seller);

}  // namespace nftterm::protocols::actions
