#include "snapshot_diff.hpp"

#include <algorithm>
#include <unordered_map>

namespace nftterm::protocols::positions {

namespace {

/// The figures a trader watches; block-bound fields (price block, age) are not changes of the position.
PositionFields changed_fields(const Position& a, const Position& b)
{
    PositionFields out;
    const auto check = [&](bool differs, PositionField field) {
        if (differs) out.insert(field);
    };
    check(a.collateral_value != b.collateral_value, PositionField::CollateralValue);
    check(a.exit_value != b.exit_value, PositionField::ExitValue);
    check(a.pnl != b.pnl, PositionField::Pnl);
    check(a.debt != b.debt, PositionField::Debt);
    check(a.health_factor != b.health_factor, PositionField::HealthFactor);
    check(a.margin_ratio != b.margin_ratio, PositionField::MarginRatio);
    check(a.price != b.price, PositionField::Price);
    check(a.liquidation_price != b.liquidation_price, PositionField::LiquidationPrice);
    check(a.maturity != b.maturity, PositionField::Maturity);
    check(a.cost_per_day != b.cost_per_day, PositionField::CostPerDay);
    check(a.size != b.size, PositionField::Size);
    check(a.state != b.state, PositionField::State);
    check(a.price_source != b.price_source, PositionField::PriceSource);
    check(a.price_stale != b.price_stale, PositionField::PriceStale);
    check(a.readable != b.readable || a.unreadable_reason != b.unreadable_reason, PositionField::Readable);
    return out;
}

}  // namespace

std::string to_string(PositionChange::Kind kind)
{
    switch (kind) {
    case PositionChange::Kind::Added: return "added";
    case PositionChange::Kind::Removed: return "removed";
    case PositionChange::Kind::Changed: return "changed";
    }
    return "changed";
}

std::vector<PositionChange> diff_snapshots(const Snapshot* before, const Snapshot& after)
{
    // The monitor keeps its order from block to block: most positions are
    // where they were, matched by key without building ids (each id hashes
    // its addresses for EIP-55). Only the rest are matched by id.
    const std::size_t before_size = before ? before->positions.size() : 0;
    std::vector<std::optional<std::size_t>> was(after.positions.size());
    std::vector<bool> matched(before_size, false);
    for (std::size_t i = 0; i < std::min(before_size, after.positions.size()); ++i)
        if (before->positions[i].key == after.positions[i].key) {
            was[i] = i;
            matched[i] = true;
        }
    std::unordered_map<std::string, std::size_t> earlier;
    for (std::size_t i = 0; i < before_size; ++i)
        if (!matched[i]) earlier.emplace(before->positions[i].key.id(), i);
    for (std::size_t i = 0; i < after.positions.size(); ++i) {
        if (was[i] || earlier.empty()) continue;
        if (const auto found = earlier.find(after.positions[i].key.id()); found != earlier.end()) {
            was[i] = found->second;
            earlier.erase(found);
        }
    }

    std::vector<PositionChange> changes;
    for (std::size_t i = 0; i < after.positions.size(); ++i) {
        const auto& position = after.positions[i];
        if (!was[i]) {
            changes.push_back({position.key.id(), PositionChange::Kind::Added, {}, std::nullopt, i});
            continue;
        }
        const auto fields = changed_fields(before->positions[*was[i]], position);
        if (!fields.empty()) changes.push_back({position.key.id(), PositionChange::Kind::Changed, fields, was[i], i});
    }
    std::vector<std::pair<std::size_t, std::string>> gone;
    for (auto& [id, index] : earlier) gone.emplace_back(index, id);
    std::sort(gone.begin(), gone.end());
    for (auto& [index, id] : gone) changes.push_back({std::move(id), PositionChange::Kind::Removed, {}, index, std::nullopt});
    return changes;
}

}  // namespace nftterm::protocols::positions
