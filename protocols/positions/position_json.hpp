#pragma once

#include <protocols/positions/monitor.hpp>
#include <protocols/positions/snapshot_diff.hpp>

#include <string>

namespace nftterm::protocols::positions {

/// One position as the CLI's JSON object (the `positions --json` contract):
/// id, protocol, collection, tokenId, collateralValue, debt, healthFactor,
/// marginRatio, liquidationPrice, maturity, priceSource, priceAgeSeconds,
/// plus account, collectionSymbol, currency, state, costPerDay, size,
/// priceStale, priceBlock, exitValue, readable, unreadableReason. Integers are decimal
/// strings; absent figures are null.
std::string position_to_json(const Position& position, const Registry& registry);

/// One collection's prices: oracle, feed, bestBid, tradeFloor, tradeMedian,
/// tradeTwap (each {source, price, block, updatedAt, ageSeconds, stale} or
/// null), bestBidPair, trades, tradesRejected, pools.
std::string prices_to_json(const pricing::CollectionPrices& prices, const Registry& registry);

/// A snapshot as {"block":…, "timestamp":…, "positions":[…], "collections":[…]},
/// plus "changes":[{"id", "kind" (added/changed/removed), "fields":[…]}] when
/// `changes` is given.
std::string snapshot_to_json(const Snapshot& snapshot, const Registry& registry, int indent = -1,
                             const std::vector<PositionChange>* changes = nullptr);

}  // namespace nftterm::protocols::positions
