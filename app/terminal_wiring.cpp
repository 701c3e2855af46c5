#include "terminal_wiring.hpp"

#include "history_service.hpp"
#include "monitor_bridge.hpp"

#include <ui/main_window.hpp>

namespace nftterm::app {

void connect_monitor(ui::MainWindow& window, MonitorBridge& bridge)
{
    QObject::connect(&bridge, &MonitorBridge::snapshotReady, &window, [&window](const SnapshotUpdate& update) {
        window.applySnapshot(update.snapshot, update.changes);
        window.setStress(update.stress);
    });
    QObject::connect(&bridge, &MonitorBridge::statusChanged, &window, &ui::MainWindow::setNodeStatus);
}

void connect_history(ui::MainWindow& window, MonitorBridge& bridge, HistoryService& history)
{
    QObject::connect(&bridge, &MonitorBridge::snapshotReady, &history, &HistoryService::record);
    QObject::connect(&window, &ui::MainWindow::historyRequested, &history, &HistoryService::select);
    QObject::connect(&history, &HistoryService::loaded, &window, &ui::MainWindow::setHistory);
    QObject::connect(&history, &HistoryService::appended, &window, &ui::MainWindow::appendHistory);
    QObject::connect(&history, &HistoryService::failed, &window, &ui::MainWindow::addActivity);
}

}  // namespace nftterm::app
