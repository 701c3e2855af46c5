#include "position_json.hpp"

#include "fixed_point.hpp"

#include <nlohmann/json.hpp>

namespace nftterm::protocols::positions {

using nlohmann::json;

namespace {

json number_or_null(const std::optional<wallet::U256>& value)
{
    return value ? json(value->to_dec()) : json(nullptr);
}

json signed_or_null(const std::optional<SignedWad>& value)
{
    return value ? json(fixed::to_string(*value)) : json(nullptr);
}

std::string symbol_of(const wallet::Address& collection, const Registry& registry)
{
    for (const auto& [name, address] : registry.contracts)
        if (address == collection && registry.amms.contains(name)) return name;
    return {};
}

json position_object(const Position& p, const Registry& registry)
{
    return {
        {"id", p.key.id()},
        {"protocol", p.key.protocol},
        {"account", p.key.account.to_hex()},
        {"collection", p.collection.to_hex()},
        {"collectionSymbol", symbol_of(p.collection, registry)},
        {"tokenId", number_or_null(p.token_id)},
        {"currency", p.currency.to_hex()},
        {"collateralValue", p.collateral_value.to_dec()},
        {"debt", p.debt.to_dec()},
        {"healthFactor", number_or_null(p.health_factor)},
        {"marginRatio", signed_or_null(p.margin_ratio)},
        {"liquidationPrice", number_or_null(p.liquidation_price)},
        {"maturity", p.maturity ? json(*p.maturity) : json(nullptr)},
        {"costPerDay", signed_or_null(p.cost_per_day)},
        {"size", signed_or_null(p.size)},
        {"state", p.state},
        {"priceSource", p.price_source},
        {"priceBlock", p.price_block},
        {"priceAgeSeconds", p.price_age_seconds},
        {"priceStale", p.price_stale},
        {"readable", p.readable},
        {"unreadableReason", p.readable ? json(nullptr) : json(p.unreadable_reason)},
    };
}

}  // namespace

std::string position_to_json(const Position& position, const Registry& registry)
{
    return position_object(position, registry).dump();
}

std::string snapshot_to_json(const Snapshot& snapshot, const Registry& registry, int indent)
{
    json out = {{"block", snapshot.block.number}, {"timestamp", snapshot.block.timestamp}, {"positions", json::array()}};
    for (const auto& position : snapshot.positions) out["positions"].push_back(position_object(position, registry));
    return out.dump(indent);
}

}  // namespace nftterm::protocols::positions
