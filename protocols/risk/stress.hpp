#pragma once

#include <protocols/positions/monitor.hpp>

#include <string>
#include <vector>

namespace nftterm::protocols::risk {

/// The portfolio at one block.
struct PortfolioSummary {
    wallet::U256 total_collateral;
    /// Loans' debt (perp notionals are not debt).
    wallet::U256 total_debt;
    /// Lowest pool-loan health factor, lowest perp margin ratio (WAD).
    std::optional<wallet::U256> worst_health_factor;
    std::optional<positions::SignedWad> worst_margin_ratio;
    /// Debt-weighted pool-loan health factor: Σ HF·debt / Σ debt.
    std::optional<wallet::U256> weighted_health_factor;
    /// Interest and funding per day (positive: paid).
    positions::SignedWad cost_per_day;
    std::size_t unreadable = 0;
    /// Positions left out of the ETH totals: their debt is in another currency (Position::unpriced).
    std::size_t unpriced = 0;
};

/// What a drop of every collection's price by `shock_percent` does.
struct StressRow {
    unsigned shock_percent = 0;
    /// Mark-to-market loss (negative: a gain, e.g. shorts).
    positions::SignedWad loss;
    /// Ids of positions that become liquidatable (pool loans, perps).
    std::vector<std::string> liquidated;
    /// Fixed-term loans worth less than their payoff afterwards.
    std::vector<std::string> underwater;
};

PortfolioSummary summarize(const positions::Snapshot& snapshot);
std::vector<StressRow> stress(const positions::Snapshot& snapshot, const std::vector<unsigned>& shocks_percent = {10, 25, 50});

}  // namespace nftterm::protocols::risk
