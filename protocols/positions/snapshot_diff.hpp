#pragma once

#include <protocols/positions/monitor.hpp>
#include <protocols/positions/position_field.hpp>

#include <optional>
#include <string>
#include <vector>

namespace nftterm::protocols::positions {

/// How one position differs between two snapshots.
struct PositionChange {
    enum class Kind { Added, Removed, Changed };
    std::string id;
    Kind kind = Kind::Changed;
    /// The figures that changed; empty for Added / Removed.
    PositionFields fields;
    /// Where the position is in each snapshot.
    std::optional<std::size_t> before_index;
    std::optional<std::size_t> after_index;
};

/// What changed from `before` (null: nothing before) to `after`, in the
/// order of `after` (removals last). Positions whose figures are all equal
/// are not listed, so an unchanged block yields an empty diff.
std::vector<PositionChange> diff_snapshots(const Snapshot* before, const Snapshot& after);

std::string to_string(PositionChange::Kind kind);

}  // namespace nftterm::protocols::positions
