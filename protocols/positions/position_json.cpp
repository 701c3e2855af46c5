#include "position_json.hpp"

#include "fixed_point.hpp"
#include "position_field.hpp"

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

/// The figures' names come from the one table the diff uses too.
std::string key(PositionField field)
{
    return std::string(json_name(field));
}

json position_object(const Position& p, const Registry& registry)
{
    return {
        {"id", p.key.id()},
        {"protocol", to_string(p.key.protocol)},
        {"account", p.key.account.to_hex()},
        {"collection", p.collection.to_hex()},
        {"collectionSymbol", registry.symbol_of(p.collection)},
        {"tokenId", number_or_null(p.token_id)},
        {"currency", p.currency.to_hex()},
        {key(PositionField::CollateralValue), p.collateral_value.to_dec()},
        {key(PositionField::Debt), p.debt.to_dec()},
        {key(PositionField::HealthFactor), number_or_null(p.health_factor)},
        {key(PositionField::MarginRatio), signed_or_null(p.margin_ratio)},
        {key(PositionField::Price), number_or_null(p.price)},
        {key(PositionField::LiquidationPrice), number_or_null(p.liquidation_price)},
        {key(PositionField::Maturity), p.maturity ? json(*p.maturity) : json(nullptr)},
        {key(PositionField::CostPerDay), signed_or_null(p.cost_per_day)},
        {key(PositionField::Size), signed_or_null(p.size)},
        {key(PositionField::ExitValue), number_or_null(p.exit_value)},
        {key(PositionField::Pnl), signed_or_null(p.pnl)},
        {"assetRecipient", p.asset_recipient ? json(p.asset_recipient->to_hex()) : json(nullptr)},
        {key(PositionField::State), to_string(p.state)},
        {key(PositionField::PriceSource), p.price_source},
        {"unpriced", p.unpriced.empty() ? json(nullptr) : json(p.unpriced)},
        {"priceBlock", p.price_block},
        {"priceAgeSeconds", p.price_age_seconds},
        {key(PositionField::PriceStale), p.price_stale},
        {key(PositionField::Readable), p.readable},
        {"unreadableReason", p.readable ? json(nullptr) : json(p.unreadable_reason)},
    };
}

json quote_object(const std::optional<pricing::PriceQuote>& quote)
{
    if (!quote) return nullptr;
    return {{"source", quote->source}, {"price", quote->price.to_dec()}, {"block", quote->block}, {"updatedAt", quote->updated_at},
            {"ageSeconds", quote->age_seconds}, {"stale", quote->stale}};
}

json prices_object(const pricing::CollectionPrices& prices, const Registry& registry)
{
    return {
        {"collection", prices.collection.to_hex()},
        {"collectionSymbol", registry.symbol_of(prices.collection)},
        {"oracle", quote_object(prices.oracle)},
        {"feed", quote_object(prices.feed)},
        {"bestBid", quote_object(prices.best_bid)},
        {"bestBidPair", prices.best_bid_pair ? json(prices.best_bid_pair->to_hex()) : json(nullptr)},
        {"tradeFloor", quote_object(prices.trade_floor)},
        {"tradeMedian", quote_object(prices.trade_median)},
        {"tradeTwap", quote_object(prices.trade_twap)},
        {"trades", prices.trades},
        {"tradesRejected", prices.trades_rejected},
        {"pools", prices.bids.size()},
    };
}

}  // namespace

std::string prices_to_json(const pricing::CollectionPrices& prices, const Registry& registry)
{
    return prices_object(prices, registry).dump();
}

std::string position_to_json(const Position& position, const Registry& registry)
{
    return position_object(position, registry).dump();
}

std::string snapshot_to_json(const Snapshot& snapshot, const Registry& registry, int indent, const std::vector<PositionChange>* changes)
{
    json out = {{"block", snapshot.block.number}, {"timestamp", snapshot.block.timestamp}, {"positions", json::array()}};
    for (const auto& position : snapshot.positions) out["positions"].push_back(position_object(position, registry));
    out["collections"] = json::array();
    for (const auto& prices : snapshot.prices) out["collections"].push_back(prices_object(prices, registry));
    if (changes) {
        out["changes"] = json::array();
        for (const auto& change : *changes) {
            json fields = json::array();
            change.fields.for_each([&](PositionField field) { fields.push_back(json_name(field)); });
            out["changes"].push_back({{"id", change.id}, {"kind", to_string(change.kind)}, {"fields", std::move(fields)}});
        }
    }
    return out.dump(indent);
}

}  // namespace nftterm::protocols::positions
