#pragma once

#include <protocols/positions/position.hpp>
#include <protocols/risk/perp_triggers.hpp>

#include <QString>

#include <expected>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace nftterm::app {

/// The window's stop-losses and take-profits: kept in DATA_DIR/perp_triggers.json
/// (the shape `nftterm-cli alerts --triggers` reads, so the headless watcher can
/// guard the same positions while the window is closed), written atomically,
/// and checked against every snapshot by the core's PerpTriggerGuard (one try
/// per crossing). Used on the GUI thread.
class PerpTriggerBook {
public:
    /// Reads the file when there is one; a file that cannot be read is an error in words (and the book starts empty).
    explicit PerpTriggerBook(std::filesystem::path file);

    const std::optional<QString>& loadError() const { return m_load_error; }
    std::optional<protocols::risk::PerpTrigger> triggerFor(const std::string& position) const;
    /// Sets (neither level: removes) a trigger and writes the file; on failure nothing changes.
    [[nodiscard]] std::expected<void, QString> set(const protocols::risk::PerpTrigger& trigger);

    /// A crossing to act on.
    struct Crossing {
        protocols::positions::Position position;
        protocols::risk::PerpTrigger trigger;
        std::string level;  // "stop-loss" / "take-profit"
    };
    /// The crossings in this snapshot, each marked done: one try per crossing.
    std::vector<Crossing> crossings(const protocols::positions::Snapshot& snapshot);

private:
    std::filesystem::path m_file;
    protocols::risk::PerpTriggerGuard m_guard{{}};
    std::optional<QString> m_load_error;
};

}  // namespace nftterm::app
