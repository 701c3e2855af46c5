#pragma once

#include "monitor_worker.hpp"
#include "worker_thread.hpp"

#include <QObject>

namespace nftterm::app {

/// Owns the monitor's worker thread. Created and used on the GUI thread:
/// its signals arrive there, queued; the GUI thread never waits on the
/// network. Destroying it saves discovery, stops the worker and joins.
class MonitorBridge : public QObject {
    Q_OBJECT
public:
    explicit MonitorBridge(MonitorConfig config, QObject* parent = nullptr);
    ~MonitorBridge() override;

    void start();
    /// Watches another set of accounts from the next poll on.
    void setAccounts(const std::vector<wallet::Address>& accounts);
    void setPollMs(int poll_ms);
    /// New alert levels, from the next block on.
    void setAlertLevels(const protocols::risk::AlertLevels& levels);
    /// The user has seen a critical alert: it is not notified again until it fires anew.
    void acknowledge(const std::string& id);

Q_SIGNALS:
    void snapshotReady(const nftterm::app::SnapshotUpdate& update);
    void statusChanged(const nftterm::ui::NodeStatus& status);
    void alertsRaised(const nftterm::app::AlertEvents& events);

private:
    WorkerThread m_thread{QStringLiteral("monitor")};
    MonitorWorker* m_worker = nullptr;
};

}  // namespace nftterm::app
