#include "history_recorder.hpp"

#include <ui/models/position_format.hpp>

#include <cmath>

namespace nftterm::app {

namespace {

using protocols::positions::PositionChange;

std::optional<double> wad(const std::optional<wallet::U256>& value)
{
    return value ? std::optional<double>(ui::wad_to_double(*value)) : std::nullopt;
}

std::optional<double> signed_wad(const std::optional<protocols::positions::SignedWad>& value)
{
    return value ? std::optional<double>(ui::signed_wad_to_double(*value)) : std::nullopt;
}

std::optional<double> quote(const std::optional<protocols::pricing::PriceQuote>& value)
{
    return value ? std::optional<double>(ui::wad_to_double(value->price)) : std::nullopt;
}

ui::HistoryPoint point_of(const protocols::positions::Position& position, const protocols::eth::BlockHeader& block)
{
    ui::HistoryPoint point;
    point.time = static_cast<qint64>(block.timestamp);
    point.block = block.number;
    point.price = wad(position.price);
    point.liquidation_price = wad(position.liquidation_price);
    point.health = position.health_factor ? wad(position.health_factor) : signed_wad(position.margin_ratio);
    point.cost_per_day = signed_wad(position.cost_per_day);
    return point;
}

bool moved(const std::optional<double>& before, const std::optional<double>& now, double fraction)
{
    if (before.has_value() != now.has_value()) return true;
    if (!now) return false;
    const double scale = std::max(std::abs(*before), 1e-12);
    return std::abs(*now - *before) / scale >= fraction;
}

}  // namespace

HistoryRecorder::HistoryRecorder(HistoryPolicy policy) : m_policy(policy) {}

bool HistoryRecorder::due(const ui::HistoryPoint* last, const ui::HistoryPoint& now,
                          std::initializer_list<std::pair<std::optional<double>, std::optional<double>>> figures) const
{
    if (!last) return true;
    if (now.time - last->time >= static_cast<qint64>(m_policy.heartbeat_seconds)) return true;
    for (const auto& [before, after] : figures)
        if (moved(before, after, m_policy.significant_move)) return true;
    return false;
}

HistorySamples HistoryRecorder::samples(const protocols::positions::Snapshot& snapshot, const std::vector<PositionChange>& changes)
{
    HistorySamples out;
    for (const auto& change : changes) {
        if (change.kind == PositionChange::Kind::Removed) {
            m_last_position.erase(change.id);
            continue;
        }
        if (!change.after_index) continue;
        const auto& position = snapshot.positions[*change.after_index];
        if (!position.readable) continue;
        const ui::HistoryPoint now = point_of(position, snapshot.block);
        const auto last = m_last_position.find(change.id);
        const ui::HistoryPoint* before = last == m_last_position.end() ? nullptr : &last->second;
        if (!due(before, now, {{before ? before->health : std::nullopt, now.health},
                               {before ? before->price : std::nullopt, now.price},
                               {before ? before->liquidation_price : std::nullopt, now.liquidation_price},
                               {before ? before->cost_per_day : std::nullopt, now.cost_per_day}}))
            continue;
        m_last_position[change.id] = now;
        out.positions.push_back({QString::fromStdString(change.id), QString::fromStdString(position.collection.to_hex()), now});
    }
    for (const auto& prices : snapshot.prices) {
        const std::string key = prices.collection.to_hex();
        CollectionSample now{QString::fromStdString(key), static_cast<qint64>(snapshot.block.timestamp), snapshot.block.number,
                             quote(prices.oracle), quote(prices.feed), quote(prices.best_bid), quote(prices.trade_twap)};
        const auto last = m_last_collection.find(key);
        const bool first = last == m_last_collection.end();
        ui::HistoryPoint before_time, now_time;
        now_time.time = now.time;
        if (!first) before_time.time = last->second.time;
        const auto figure = [&](auto member) { return std::pair{first ? std::nullopt : last->second.*member, now.*member}; };
        if (!due(first ? nullptr : &before_time, now_time,
                 {figure(&CollectionSample::oracle), figure(&CollectionSample::feed), figure(&CollectionSample::best_bid), figure(&CollectionSample::twap)}))
            continue;
        m_last_collection[key] = now;
        out.collections.push_back(std::move(now));
    }
    return out;
}

}  // namespace nftterm::app
