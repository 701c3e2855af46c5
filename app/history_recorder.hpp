#pragma once

#include "history_store.hpp"

#include <protocols/positions/snapshot_diff.hpp>

#include <string>
#include <unordered_map>

namespace nftterm::app {

/// When a moment is worth keeping.
struct HistoryPolicy {
    /// A changing position or collection is recorded at least this often (chain seconds)…
    std::uint64_t heartbeat_seconds = 300;
    /// …and at once when a charted figure moves by this fraction since it was last recorded.
    double significant_move = 0.002;
    /// Samples older than this (chain time before the newest) are deleted when a chain's history is opened.
    std::uint64_t retention_seconds = 90 * 86400;
};

/// One block's samples worth recording.
struct HistorySamples {
    std::vector<PositionSample> positions;
    std::vector<CollectionSample> collections;
};

/// Chooses what of each block goes into the history: every new position,
/// then a position or collection only when a figure moved noticeably or a
/// heartbeat passed, so that 10,000 positions accruing interest every block
/// do not write 10,000 rows a block. Not thread-safe: one caller.
class HistoryRecorder {
public:
    explicit HistoryRecorder(HistoryPolicy policy = {});

    HistorySamples samples(const protocols::positions::Snapshot& snapshot, const std::vector<protocols::positions::PositionChange>& changes);

private:
    bool due(const ui::HistoryPoint* last, const ui::HistoryPoint& now, std::initializer_list<std::pair<std::optional<double>, std::optional<double>>> figures) const;

    HistoryPolicy m_policy;
    std::unordered_map<std::string, ui::HistoryPoint> m_last_position;
    std::unordered_map<std::string, CollectionSample> m_last_collection;
};

}  // namespace nftterm::app
