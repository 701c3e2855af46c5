#pragma once

#include <protocols/eth/rpc/rpc_client.hpp>
#include <protocols/positions/monitor.hpp>
#include <protocols/positions/position_monitor.hpp>
#include <protocols/positions/registry.hpp>
#include <protocols/positions/snapshot_diff.hpp>
#include <protocols/risk/alerts.hpp>
#include <protocols/risk/stress.hpp>
#include <ui/node_status.hpp>

#include <QMetaType>
#include <QObject>

#include <filesystem>
#include <functional>
#include <set>
#include <memory>
#include <optional>
#include <vector>

class QTimer;

namespace nftterm::app {

/// What the terminal watches and how.
struct MonitorConfig {
    protocols::eth::RpcClientOptions node;
    protocols::positions::Registry registry;
    std::vector<wallet::Address> accounts;
    /// Where discovery is remembered between runs; unset: always rescan.
    std::optional<std::filesystem::path> state_file;
    /// How often the head is polled (ms); a refresh runs only for a new block.
    int poll_ms = 1000;
    /// Makes the monitor the worker drives, on the worker's thread when it
    /// starts; unset: a node monitor of `node`. Tests script one here.
    std::function<std::unique_ptr<protocols::positions::PositionMonitor>(const MonitorConfig&)> make_monitor = {};
    /// The alert rules' levels and the names their messages use.
    protocols::risk::AlertLevels alert_levels = {};
    protocols::risk::AlertNames alert_names = {};
    /// Alerts the user acknowledged before (the alert log): they come back seen, not notified.
    std::set<std::string> alerts_acknowledged = {};
};

/// Alert events (firing, escalated, resolved), in the order they happened.
struct AlertEvents {
    std::vector<protocols::risk::Alert> alerts;
};

/// One block's snapshot and its diff against the previous one sent.
struct SnapshotUpdate {
    std::shared_ptr<const protocols::positions::Snapshot> snapshot;
    std::vector<protocols::positions::PositionChange> changes;
    /// When the new head was seen (ms since epoch) and what the refresh took.
    qint64 seen_at_ms = 0;
    double refresh_ms = 0;
    /// The portfolio under price shocks at this block.
    std::vector<protocols::risk::StressRow> stress = {};
    /// Which chain this is: its id and genesis hash ("31337:0x…"), so that a
    /// fresh devnet's history is not drawn on top of the last one's.
    std::string chain_key = {};
};

/// Runs the position monitor: polls the head, discovers and refreshes on
/// each new block, diffs against the last snapshot. Lives on the bridge's
/// worker thread and blocks only it; every result leaves by a queued signal.
class MonitorWorker : public QObject {
    Q_OBJECT
public:
    explicit MonitorWorker(MonitorConfig config);
    ~MonitorWorker() override;

public Q_SLOTS:
    /// Loads the saved discovery, then polls every poll_ms.
    void start();
    /// Saves what discovery found (called on the worker thread before it stops).
    void stop();
    /// Watches another set of accounts from the next poll on (discovery starts over for them).
    void setAccounts(const std::vector<wallet::Address>& accounts);
    /// How often the head is polled from the next poll on.
    void setPollMs(int poll_ms) { m_config.poll_ms = std::max(50, poll_ms); }
    /// Stops re-notifying a critical alert (the user has seen it).
    void acknowledge(const std::string& id) { m_alerts.acknowledge(id); }
    void setAlertLevels(const protocols::risk::AlertLevels& levels) { m_alerts.set_levels(levels); }

Q_SIGNALS:
    void snapshotReady(const nftterm::app::SnapshotUpdate& update);
    void statusChanged(const nftterm::ui::NodeStatus& status);
    /// Alert events of a block, or of the node's state.
    void alertsRaised(const nftterm::app::AlertEvents& events);

private:
    void poll();
    void pollCatching();
    void raise(std::vector<protocols::risk::Alert> alerts);
    void report_error(const QString& message);

    MonitorConfig m_config;
    std::unique_ptr<protocols::positions::PositionMonitor> m_monitor;
    std::shared_ptr<const protocols::positions::Snapshot> m_last;
    QTimer* m_timer = nullptr;
    std::uint64_t m_head = 0;
    /// The head the last discovery scanned to (the snapshot may be of a newer block).
    std::uint64_t m_scanned_head = 0;
    std::uint64_t m_refreshes = 0;
    std::string m_chain_key;
    bool m_healthy = false;
    protocols::risk::AlertEngine m_alerts;
    /// When the node last answered and the time of its newest block (unix s), for the node rules.
    std::optional<std::uint64_t> m_unreachable_since;
    std::uint64_t m_head_time = 0;
};

}  // namespace nftterm::app

Q_DECLARE_METATYPE(nftterm::app::SnapshotUpdate)
Q_DECLARE_METATYPE(nftterm::app::AlertEvents)
