#pragma once

#include <wallet/primitives/address.hpp>
#include <wallet/primitives/u256.hpp>

#include <cstdint>
#include <optional>
#include <span>

namespace nftterm::protocols::pricing {

/// One sale of NFTs: to a pool (a trader sold into its bid) or from one.
struct Trade {
    wallet::Address collection;
    wallet::Address pair;
    std::uint64_t block = 0;
    std::uint64_t timestamp = 0;
    wallet::TxHash transaction;
    std::uint32_t count = 0;
    /// Per NFT: what the seller received (sold into a pool) or the buyer paid, fees included.
    wallet::U256 price;
    bool sold_to_pool = false;
    /// The pool's side of the whole trade: what its asset recipient got for the
    /// NFTs (the price less the protocol fee) or what the pair paid for them
    /// (the price plus the protocol fee, which leaves the pair too).
    wallet::U256 pool_cash;
};

/// The trade-history figures for one collection over a window.
struct TradeStats {
    std::optional<wallet::U256> floor;   // lowest kept trade
    std::optional<wallet::U256> median;  // median of kept trades
    std::optional<wallet::U256> twap;    // time-weighted over the window
    std::size_t trades = 0;              // in the window
    std::size_t rejected = 0;            // outliers left out
    std::uint64_t last_trade_time = 0;
};

/// Outliers: a trade further from the window's median than five times the
/// median absolute deviation (at least 1 % of the median) is left out of
/// every figure: one fat-fingered or wash sale must not move the floor.
inline constexpr std::uint64_t kOutlierMads = 5;

/// `trades` of one collection in time order. The TWAP holds each kept
/// trade's price until the next one (the last until `now`), starting from
/// the last kept trade before the window if there is one.
TradeStats trade_stats(std::span<const Trade> trades, std::uint64_t now, std::uint64_t window_seconds);

}  // namespace nftterm::protocols::pricing
