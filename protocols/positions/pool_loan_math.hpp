#pragma once

// BendDAO v1's risk figures of one loan, shared by the monitor (what a loan
// is) and the borrow plans (what it will be), so the health shown before
// signing is the one the table shows after landing.

#include <wallet/primitives/u256.hpp>

#include <cstdint>
#include <optional>

namespace nftterm::protocols::positions {

/// LendPool's healthFactor: collateral × threshold (percentMul) ÷ debt (wadDiv); max without debt.
wallet::U256 pool_loan_health(const wallet::U256& collateral, std::uint64_t threshold_bps, const wallet::U256& debt);

/// The NFT price (ETH) at which the health factor reaches 1: debt ÷ threshold, back from reserve units
/// (`reserve_price`: the reserve's ETH price, `unit`: 10^decimals); unset without debt.
std::optional<wallet::U256> pool_loan_liquidation_price(const wallet::U256& debt, std::uint64_t threshold_bps, const wallet::U256& reserve_price,
                                                        const wallet::U256& unit);

/// Interest per day at the variable borrow rate (ray, per year).
wallet::U256 pool_loan_cost_per_day(const wallet::U256& debt, const wallet::U256& borrow_rate_ray);

}  // namespace nftterm::protocols::positions
