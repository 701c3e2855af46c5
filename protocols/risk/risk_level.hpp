#pragma once

// The bands a position's health falls in: one definition for the window's
// colours and alerts and for the devnet simulator that keeps every band
// populated.

#include <protocols/positions/position.hpp>

#include <cstdint>
#include <optional>

namespace nftterm::protocols::risk {

/// Where health turns from safe to warning to critical (user settings).
struct RiskThresholds {
    double health_warning = 1.5;
    double health_critical = 1.1;
    double margin_warning = 0.15;
    double margin_critical = 0.08;
    double maturity_warning_days = 3;
    double maturity_critical_days = 1;
};

enum class RiskLevel { Unknown, Safe, Warning, Critical };

/// How close a position is to liquidation (or to its due date) at time `now`.
RiskLevel risk_of(const positions::Position& position, const RiskThresholds& thresholds, std::uint64_t now);

/// How far the collateral price may move against the position before it is
/// liquidatable, as a fraction of the price now (0.2 = a 20 % fall for a
/// loan or a long); nullopt where the position has no liquidation price.
std::optional<double> distance_to_liquidation(const positions::Position& position);

}  // namespace nftterm::protocols::risk
