#pragma once

#include <protocols/risk/alerts.hpp>

#include <functional>

namespace nftterm::ui {
class MainWindow;
}

namespace nftterm::app {

class AlertLog;
class AlertNotifier;
class HistoryService;
class MonitorBridge;

/// The window follows the monitor: snapshots into the table and the stress
/// chart, node status into the status bar.
void connect_monitor(ui::MainWindow& window, MonitorBridge& bridge);

/// Alert events go to the Alerts dock and the desktop; the dock's
/// acknowledge reaches the rules, its snooze and the notifications' Top up…
/// and Snooze 1 h act on the window.
/// `log` (may be null: it could not be opened) records every event and what the user did.
/// `forward` hands each event to the other channels (webhook, command).
void connect_alerts(ui::MainWindow& window, MonitorBridge& bridge, AlertNotifier& notifier, AlertLog* log,
                    std::function<void(const protocols::risk::Alert&)> forward);

/// Each snapshot is recorded; a selected position's history is read and
/// followed; history errors go to the activity pane.
void connect_history(ui::MainWindow& window, MonitorBridge& bridge, HistoryService& history);

}  // namespace nftterm::app
