#pragma once

#include <wallet/primitives/u256.hpp>

#include <cstdint>
#include <string>

namespace nftterm::protocols::pricing {

/// One price for one collection's floor, in wei, with where it came from and
/// how old it is. A stale quote is still shown, but never as fresh.
struct PriceQuote {
    /// "NFTOracle", "Chainlink feed", "best pool bid", "trade floor 24h", …
    std::string source;
    wallet::U256 price;
    /// The block it was read at.
    std::uint64_t block = 0;
    /// When the source last changed it (unix time; the block's for live bids).
    std::uint64_t updated_at = 0;
    std::uint64_t age_seconds = 0;
    bool stale = false;
};

}  // namespace nftterm::protocols::pricing
