#pragma once

// The integer arithmetic the protocols' contracts use, so that figures
// computed here equal their view functions to the last unit.

#include <protocols/positions/position.hpp>
#include <wallet/primitives/u256.hpp>

#include <cstdint>

namespace nftterm::protocols::positions::fixed {

wallet::U256 wad();
wallet::U256 ray();

// BendDAO v1 (Aave v2's WadRayMath / PercentageMath / MathUtils): half-up.
wallet::U256 ray_mul(const wallet::U256& a, const wallet::U256& b);
wallet::U256 ray_div(const wallet::U256& a, const wallet::U256& b);
wallet::U256 wad_div(const wallet::U256& a, const wallet::U256& b);
wallet::U256 percent_mul(const wallet::U256& value, std::uint64_t bps);
/// Per-second compounding, 3-term Taylor expansion, over `seconds`.
wallet::U256 compounded_interest(const wallet::U256& annual_rate_ray, std::uint64_t seconds);

// sudoswap v1 / solmate: fmul and fdiv floor, fpow half-up per multiplication.
wallet::U256 fmul(const wallet::U256& x, const wallet::U256& y);
wallet::U256 fdiv(const wallet::U256& x, const wallet::U256& y);
wallet::U256 fpow(wallet::U256 x, std::uint64_t n);

// Perp v1 Decimal / SignedDecimal: truncating, toward zero when signed.
wallet::U256 mul_d(const wallet::U256& x, const wallet::U256& y);
wallet::U256 div_d(const wallet::U256& x, const wallet::U256& y);
SignedWad mul_d(const SignedWad& x, const SignedWad& y);
SignedWad div_d(const SignedWad& x, const SignedWad& y);
SignedWad add(const SignedWad& x, const SignedWad& y);
SignedWad sub(const SignedWad& x, const SignedWad& y);
SignedWad signed_of(const wallet::U256& magnitude, bool negative = false);
bool less(const SignedWad& x, const SignedWad& y);
std::string to_string(const SignedWad& value);

}  // namespace nftterm::protocols::positions::fixed
