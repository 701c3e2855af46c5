#include "perp_math.hpp"

#include <protocols/positions/fixed_point.hpp>

namespace nftterm::protocols::positions {

using wallet::U256;

SignedWad perp_margin_ratio(const U256& margin, const SignedWad& funding, const SignedWad& pnl, const U256& notional)
{
    if (notional.is_zero()) return fixed::signed_of(U256(0));
    const SignedWad remaining = fixed::add(fixed::sub(fixed::signed_of(margin), funding), pnl);
    return fixed::div_d(remaining, fixed::signed_of(notional));
}

std::optional<U256> perp_liquidation_price(const SignedWad& size, const SignedWad& margin_left, const U256& open_notional, const U256& maintenance_ratio)
{
    if (size.magnitude.is_zero()) return std::nullopt;
    if (!size.negative) {
        const SignedWad numerator = fixed::sub(fixed::signed_of(open_notional), margin_left);
        if (numerator.negative || fixed::wad() <= maintenance_ratio) return U256(0);
        return fixed::div_d(numerator.magnitude, fixed::mul_d(size.magnitude, fixed::wad() - maintenance_ratio));
    }
    const SignedWad numerator = fixed::add(fixed::signed_of(open_notional), margin_left);
    if (numerator.negative) return std::nullopt;
    return fixed::div_d(numerator.magnitude, fixed::mul_d(size.magnitude, fixed::wad() + maintenance_ratio));
}

}  // namespace nftterm::protocols::positions
