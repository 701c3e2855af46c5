#include "risk_level.hpp"

namespace nftterm::protocols::risk {
namespace {

/// For comparing with a threshold only, never for arithmetic.
double wad_to_double(const wallet::U256& wad)
{
    return wad.native().convert_to<double>() / 1e18;
}

double signed_wad_to_double(const positions::SignedWad& wad)
{
    const double magnitude = wad_to_double(wad.magnitude);
    return wad.negative ? -magnitude : magnitude;
}

}  // namespace

RiskLevel risk_of(const positions::Position& position, const RiskThresholds& thresholds, std::uint64_t now)
{
    if (!position.readable) return RiskLevel::Unknown;
    using positions::PositionState;
    switch (position.state) {
    case PositionState::Liquidatable:
    case PositionState::Auction:
    case PositionState::Overdue: return RiskLevel::Critical;
    case PositionState::Unknown:
    case PositionState::Active:
    case PositionState::Open:
    case PositionState::TokenPool:
    case PositionState::NftPool:
    case PositionState::TradePool: break;  // the figures below say how close it is
    }
    if (position.health_factor) {
        const double health = wad_to_double(*position.health_factor);
        return health < thresholds.health_critical ? RiskLevel::Critical : health < thresholds.health_warning ? RiskLevel::Warning : RiskLevel::Safe;
    }
    if (position.margin_ratio) {
        const double ratio = signed_wad_to_double(*position.margin_ratio);
        return ratio < thresholds.margin_critical ? RiskLevel::Critical : ratio < thresholds.margin_warning ? RiskLevel::Warning : RiskLevel::Safe;
    }
    if (position.maturity) {
        const double days = *position.maturity > now ? double(*position.maturity - now) / 86400.0 : 0.0;
        return days < thresholds.maturity_critical_days ? RiskLevel::Critical
             : days < thresholds.maturity_warning_days  ? RiskLevel::Warning
                                                        : RiskLevel::Safe;
    }
    return RiskLevel::Safe;
}

std::optional<double> distance_to_liquidation(const positions::Position& position)
{
    if (!position.liquidation_price || !position.price || position.price->is_zero()) return std::nullopt;
    const double price = wad_to_double(*position.price);
    const double liquidation = wad_to_double(*position.liquidation_price);
    // A short is liquidated when the price rises to its liquidation price.
    const bool short_perp = position.size && position.size->negative;
    return short_perp ? (liquidation - price) / price : (price - liquidation) / price;
}

}  // namespace nftterm::protocols::risk
