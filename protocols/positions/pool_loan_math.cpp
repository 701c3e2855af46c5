#include "pool_loan_math.hpp"

#include <protocols/positions/fixed_point.hpp>

namespace nftterm::protocols::positions {

using wallet::U256;

U256 pool_loan_health(const U256& collateral, std::uint64_t threshold_bps, const U256& debt)
{
    if (debt.is_zero()) return U256::max();
    return fixed::wad_div(fixed::percent_mul(collateral, threshold_bps), debt);
}

std::optional<U256> pool_loan_liquidation_price(const U256& debt, std::uint64_t threshold_bps, const U256& reserve_price, const U256& unit)
{
    if (threshold_bps == 0 || debt.is_zero()) return std::nullopt;
    return *U256::mul_div(debt * U256(10000) / U256(threshold_bps), reserve_price, unit);
}

U256 pool_loan_cost_per_day(const U256& debt, const U256& borrow_rate_ray)
{
    return *U256::mul_div(debt, borrow_rate_ray, fixed::ray()) / U256(365);
}

}  // namespace nftterm::protocols::positions
