#pragma once

namespace nftterm::ui {
class MainWindow;
}

namespace nftterm::app {

class HistoryService;
class MonitorBridge;

/// The window follows the monitor: snapshots into the table and the stress
/// chart, node status into the status bar.
void connect_monitor(ui::MainWindow& window, MonitorBridge& bridge);

/// Each snapshot is recorded; a selected position's history is read and
/// followed; history errors go to the activity pane.
void connect_history(ui::MainWindow& window, MonitorBridge& bridge, HistoryService& history);

}  // namespace nftterm::app
