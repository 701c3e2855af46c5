#include "fee_oracle.hpp"

#include <protocols/eth/rpc/eth_api.hpp>

#include <algorithm>

namespace nftterm::protocols::eth {
namespace {

using wallet::U256;

/// a × num / den, rounded up (exact; overflow saturates at max).
U256 scale_up(const U256& a, std::uint64_t num, std::uint64_t den)
{
    auto product = U256::checked_mul(a, U256(num));
    if (!product) return U256::max();
    auto rounded = U256::checked_add(*product, U256(den - 1));
    if (!rounded) return U256::max();
    auto quotient = U256::mul_div(*rounded, U256(1), U256(den));
    return quotient ? *quotient : U256::max();
}

U256 plus(const U256& a, const U256& b)
{
    auto sum = U256::checked_add(a, b);
    return sum ? *sum : U256::max();
}

U256 median(std::vector<U256> values)
{
    if (values.empty()) return U256();
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

Result<FeeSuggestions> legacy(RpcClient& client)
{
    auto price = gas_price(client);
    if (!price) return std::unexpected(price.error());
    FeeSuggestions fees;
    fees.eip1559 = false;
    fees.slow.gas_price = *price;
    fees.normal.gas_price = scale_up(*price, 9, 8);
    fees.fast.gas_price = scale_up(*price, 5, 4);
    for (auto* tier : {&fees.slow, &fees.normal, &fees.fast}) tier->max_fee_per_gas = tier->gas_price;
    return fees;
}

}  // namespace

Result<FeeSuggestions> suggest_fees(RpcClient& client, const FeeOptions& options)
{
    auto history = fee_history(client, options.blocks, {10.0, 50.0, 90.0});
    if (!history) {
        // No eth_feeHistory (method not found / not supported): a legacy node.
        if (history.error().code == Errc::Rpc) return legacy(client);
        return std::unexpected(history.error());
    }
    if (history->base_fees.empty() || history->base_fees.back().is_zero()) return legacy(client);

    FeeSuggestions fees;
    fees.next_base_fee = history->base_fees.back();
    std::vector<U256> tips[3];
    for (const auto& row : history->rewards)
        for (std::size_t i = 0; i < 3 && i < row.size(); ++i)
            if (!row[i].is_zero()) tips[i].push_back(row[i]);
    U256 fallback_tip = options.min_priority_fee;
    if (tips[1].empty())
        if (auto tip = max_priority_fee_per_gas(client)) fallback_tip = std::max(*tip, options.min_priority_fee);
    FeeSuggestion* tiers[3] = {&fees.slow, &fees.normal, &fees.fast};
    const std::uint64_t headroom[3][2] = {{5, 4}, {2, 1}, {2, 1}};
    U256 previous_tip;
    for (std::size_t i = 0; i < 3; ++i) {
        U256 tip = tips[i].empty() ? fallback_tip : median(tips[i]);
        tip = std::max({tip, options.min_priority_fee, previous_tip});
        previous_tip = tip;
        tiers[i]->max_priority_fee_per_gas = tip;
        tiers[i]->max_fee_per_gas = plus(scale_up(fees.next_base_fee, headroom[i][0], headroom[i][1]), tip);
    }
    return fees;
}

std::uint64_t with_gas_margin(std::uint64_t estimate) noexcept
{
    return estimate + std::max<std::uint64_t>(estimate / 5, 10'000);
}

FeeSuggestion bump_fees(const FeeSuggestion& old, const FeeSuggestion& current)
{
    FeeSuggestion bumped;
    bumped.max_fee_per_gas = std::max(scale_up(old.max_fee_per_gas, 9, 8), current.max_fee_per_gas);
    bumped.max_priority_fee_per_gas = std::max(scale_up(old.max_priority_fee_per_gas, 9, 8), current.max_priority_fee_per_gas);
    bumped.gas_price = std::max(scale_up(old.gas_price, 9, 8), current.gas_price);
    // The tip can never exceed the cap.
    bumped.max_fee_per_gas = std::max(bumped.max_fee_per_gas, bumped.max_priority_fee_per_gas);
    return bumped;
}

}  // namespace nftterm::protocols::eth
