#include "terminal_wiring.hpp"

#include "alert_log.hpp"
#include "alert_notifier.hpp"
#include "history_service.hpp"
#include "monitor_bridge.hpp"

#include <ui/main_window.hpp>
#include <ui/widgets/alerts_pane.hpp>

#include <QDateTime>

namespace nftterm::app {

void connect_monitor(ui::MainWindow& window, MonitorBridge& bridge)
{
    QObject::connect(&bridge, &MonitorBridge::snapshotReady, &window, [&window](const SnapshotUpdate& update) {
        window.applySnapshot(update.snapshot, update.changes);
        window.setStress(update.stress);
    });
    QObject::connect(&bridge, &MonitorBridge::statusChanged, &window, &ui::MainWindow::setNodeStatus);
}

void connect_alerts(ui::MainWindow& window, MonitorBridge& bridge, AlertNotifier& notifier, AlertLog* log,
                    std::function<void(const protocols::risk::Alert&)> forward)
{
    const auto note = [&window, log](const std::expected<void, QString>& written) {
        if (!written) window.addActivity(written.error());
    };
    QObject::connect(&bridge, &MonitorBridge::alertsRaised, &window, [&window, &notifier, log, note, forward](const AlertEvents& events) {
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        window.alertsPane()->addEvents(events.alerts, now);
        for (const auto& alert : events.alerts) {
            notifier.deliver(alert, now);
            if (forward) forward(alert);
            if (log) note(log->record(alert, now));
        }
    });
    QObject::connect(window.alertsPane(), &ui::AlertsPane::acknowledgeRequested, &bridge, [&bridge, log, note](const QString& id) {
        bridge.acknowledge(id.toStdString());
        if (log) note(log->record_user(id.toStdString(), "acknowledged", QDateTime::currentSecsSinceEpoch()));
    });
    QObject::connect(window.alertsPane(), &ui::AlertsPane::snoozeRequested, &notifier, [&window, &notifier, log, note](const QString& id) {
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        notifier.snooze(id, now + 3600);
        if (log) note(log->record_user(id.toStdString(), "snoozed", now, now + 3600));
        window.addActivity(QObject::tr("Alert snoozed for an hour: %1").arg(id));
    });
    QObject::connect(&notifier, &AlertNotifier::snoozedByUser, &window, [log, note](const QString& id, qint64 until) {
        if (log) note(log->record_user(id.toStdString(), "snoozed", QDateTime::currentSecsSinceEpoch(), until));
    });
    QObject::connect(&notifier, &AlertNotifier::topUpRequested, &window, [&window](const QString& id) {
        window.raise();
        window.activateWindow();
        window.selectPosition(id);
        Q_EMIT window.topUpRequested(id);
    });
    QObject::connect(&notifier, &AlertNotifier::unavailable, &window, &ui::MainWindow::addActivity);
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
