#include "trade_stats.hpp"

#include <algorithm>
#include <vector>

namespace nftterm::protocols::pricing {

using wallet::U256;

namespace {

/// The lower middle for an even count: a price someone actually paid.
U256 median_of(std::vector<U256> values)
{
    const auto middle = values.begin() + static_cast<std::ptrdiff_t>((values.size() - 1) / 2);
    std::nth_element(values.begin(), middle, values.end());
    return *middle;
}

U256 distance(const U256& a, const U256& b)
{
    return a > b ? a - b : b - a;
}

}  // namespace

TradeStats trade_stats(std::span<const Trade> trades, std::uint64_t now, std::uint64_t window_seconds)
{
    TradeStats stats;
    const std::uint64_t start = now > window_seconds ? now - window_seconds : 0;
    std::vector<const Trade*> window;
    for (const auto& trade : trades)
        if (trade.timestamp >= start && trade.timestamp <= now) window.push_back(&trade);
    stats.trades = window.size();
    if (window.empty()) return stats;

    std::vector<U256> prices;
    for (const auto* trade : window) prices.push_back(trade->price);
    const U256 center = median_of(prices);
    std::vector<U256> deviations;
    for (const auto& price : prices) deviations.push_back(distance(price, center));
    const U256 spread = std::max(median_of(deviations), center / U256(100));
    const auto kept = [&](const Trade& trade) { return distance(trade.price, center) <= spread * U256(kOutlierMads); };

    std::vector<U256> kept_prices;
    for (const auto* trade : window)
        if (kept(*trade)) kept_prices.push_back(trade->price);
    stats.rejected = window.size() - kept_prices.size();
    stats.floor = *std::min_element(kept_prices.begin(), kept_prices.end());
    stats.median = median_of(kept_prices);
    stats.last_trade_time = window.back()->timestamp;

    // TWAP: the price in force at each moment of [from, now].
    std::optional<U256> in_force;
    std::uint64_t since = start;
    for (const auto& trade : trades)
        if (trade.timestamp < start && kept(trade)) in_force = trade.price;
    U256 weighted;
    std::uint64_t covered = 0;
    for (const auto* trade : window) {
        if (!kept(*trade)) continue;
        if (in_force && trade->timestamp > since) {
            weighted = weighted + *in_force * U256(trade->timestamp - since);
            covered += trade->timestamp - since;
        }
        in_force = trade->price;
        since = std::max(since, trade->timestamp);
    }
    if (now > since) {
        weighted = weighted + *in_force * U256(now - since);
        covered += now - since;
    }
    stats.twap = covered == 0 ? *in_force : weighted / U256(covered);
    return stats;
}

}  // namespace nftterm::protocols::pricing
