#include "position_field.hpp"

namespace nftterm::protocols::positions {

std::string_view json_name(PositionField field)
{
    switch (field) {
    case PositionField::CollateralValue: return "collateralValue";
    case PositionField::ExitValue: return "exitValue";
    case PositionField::Pnl: return "pnl";
    case PositionField::Debt: return "debt";
    case PositionField::HealthFactor: return "healthFactor";
    case PositionField::MarginRatio: return "marginRatio";
    case PositionField::Price: return "price";
    case PositionField::LiquidationPrice: return "liquidationPrice";
    case PositionField::Maturity: return "maturity";
    case PositionField::CostPerDay: return "costPerDay";
    case PositionField::Size: return "size";
    case PositionField::State: return "state";
    case PositionField::PriceSource: return "priceSource";
    case PositionField::PriceStale: return "priceStale";
    case PositionField::Readable: return "readable";
    }
    return "unknown";
}

std::optional<PositionField> parse_position_field(std::string_view name)
{
    for (std::size_t i = 0; i < kPositionFieldCount; ++i)
        if (json_name(static_cast<PositionField>(i)) == name) return static_cast<PositionField>(i);
    return std::nullopt;
}

}  // namespace nftterm::protocols::positions
