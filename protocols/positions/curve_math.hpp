#pragma once

#include <wallet/primitives/u256.hpp>

#include <cstdint>

namespace nftterm::protocols::positions {

enum class Curve { Linear, Exponential, Xyk };

/// What sudoswap v1's curve getBuyInfo / getSellInfo answer: error 0 OK,
/// 1 INVALID_NUMITEMS, 2 SPOT_PRICE_OVERFLOW; amount is the input (buy) or
/// output (sell) including the pair fee and the protocol fee.
struct CurveQuote {
    std::uint8_t error = 0;
    wallet::U256 new_spot_price;
    wallet::U256 new_delta;
    wallet::U256 amount;
    wallet::U256 protocol_fee;
};

/// Buying `n` NFTs from a pair (the pair's ask), with its own rounding.
CurveQuote buy_quote(Curve curve, const wallet::U256& spot_price, const wallet::U256& delta, std::uint64_t n, const wallet::U256& fee,
                     const wallet::U256& protocol_fee_multiplier);
/// Selling `n` NFTs into a pair (the pair's bid).
CurveQuote sell_quote(Curve curve, const wallet::U256& spot_price, const wallet::U256& delta, std::uint64_t n, const wallet::U256& fee,
                      const wallet::U256& protocol_fee_multiplier);

}  // namespace nftterm::protocols::positions
