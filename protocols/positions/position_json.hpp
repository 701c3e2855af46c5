#pragma once

#include <protocols/positions/monitor.hpp>

#include <string>

namespace nftterm::protocols::positions {

/// One position as the CLI's JSON object (the `positions --json` contract):
/// id, protocol, collection, tokenId, collateralValue, debt, healthFactor,
/// marginRatio, liquidationPrice, maturity, priceSource, priceAgeSeconds,
/// plus account, collectionSymbol, currency, state, costPerDay, size,
/// priceStale, priceBlock, readable, unreadableReason. Integers are decimal
/// strings; absent figures are null.
std::string position_to_json(const Position& position, const Registry& registry);

/// A snapshot as {"block":…, "timestamp":…, "positions":[…]}.
std::string snapshot_to_json(const Snapshot& snapshot, const Registry& registry, int indent = -1);

}  // namespace nftterm::protocols::positions
