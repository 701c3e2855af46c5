#include <app/alert_notifier.hpp>
#include <app/monitor_bridge.hpp>

#include "../support/notification_server.hpp"
#include "../support/scripted_monitor.hpp"

#include <QDateTime>
#include <QSignalSpy>
#include <QTest>

#include "../support/test_registry.hpp"

using namespace nftterm;
using protocols::positions::Position;
using tests::ScriptedMonitor;
using wallet::U256;

namespace {

Position pool_loan(const char* health)
{
    Position loan;
    loan.key.protocol = protocols::positions::Protocol::BendDao;
    loan.key.account.bytes[19] = 0xb0;
    loan.key.contract.bytes[19] = 0xc0;
    loan.key.number = U256(4);
    loan.token_id = U256(4);
    loan.state = protocols::positions::PositionState::Active;
    loan.health_factor = *U256::parse_units(health, 18);
    loan.debt = *U256::parse_units("10", 18);
    return loan;
}

}  // namespace

/// The window's alerts on a real session bus (ctest runs this unit under
/// dbus-run-session) with a notification server of our own: the bridge's
/// alert events become notifications, their actions come back.
class AlertNotifierTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(qEnvironmentVariableIsSet("DBUS_SESSION_BUS_ADDRESS"), "no session bus: run this unit under dbus-run-session, as ctest does");
        QVERIFY2(m_server.start(), "cannot own org.freedesktop.Notifications on the session bus");
    }

    void aCriticalLoanIsNotifiedWithActionsThatWork()
    {
        app::MonitorConfig config;
        config.node.urls = {"http://127.0.0.1:1"};
        config.poll_ms = 50;
        config.alert_levels.node_lagging_seconds = 0;  // the scripted blocks are from 2023
        config.alert_names.accounts[pool_loan("1").key.account] = QStringLiteral("bob").toStdString();
        const std::vector<ScriptedMonitor::Step> steps{ScriptedMonitor::snapshot_step({pool_loan("0.97")}, 10)};
        config.make_monitor = [steps](const app::MonitorConfig&) { return std::make_unique<ScriptedMonitor>(steps); };
        app::MonitorBridge bridge(config);
        app::AlertNotifier notifier;
        QObject::connect(&bridge, &app::MonitorBridge::alertsRaised, &notifier, [&](const app::AlertEvents& events) {
            for (const auto& alert : events.alerts) notifier.deliver(alert, QDateTime::currentSecsSinceEpoch());
        });
        QSignalSpy top_up(&notifier, &app::AlertNotifier::topUpRequested);
        bridge.start();
        QTRY_COMPARE_WITH_TIMEOUT(m_server.shown().size(), 1, 10000);
        const auto shown = m_server.shown().first();
        QCOMPARE(shown.urgency, 2);
        QCOMPARE(shown.timeout, 0);
        QVERIFY2(shown.body.startsWith(QStringLiteral("bob's ")), qPrintable(shown.body));
        QVERIFY2(shown.body.contains(QStringLiteral("health 0.97 < 1.05, liquidatable now")), qPrintable(shown.body));
        QCOMPARE(shown.actions, (QStringList{QStringLiteral("top-up"), QStringLiteral("Top up…"), QStringLiteral("snooze"), QStringLiteral("Snooze 1 h")}));

        // A click on Top up… asks the window for that position's top-up.
        m_server.invoke(shown.id, QStringLiteral("top-up"));
        QTRY_COMPARE(top_up.count(), 1);
        QCOMPARE(top_up.first().first().toString(), QString::fromStdString(pool_loan("1").key.id()));

        // Snoozed for an hour: the alert notified again (an escalation) is not shown in that hour.
        QSignalSpy snoozed(&notifier, &app::AlertNotifier::snoozedByUser);
        m_server.invoke(shown.id, QStringLiteral("snooze"));
        QTRY_COMPARE(snoozed.count(), 1);
        protocols::risk::Alert again;
        again.id = "health:" + pool_loan("1").key.id();
        again.severity = protocols::risk::Severity::Critical;
        again.escalation = true;
        notifier.deliver(again, QDateTime::currentSecsSinceEpoch() + 60);
        QTest::qWait(300);
        QCOMPARE(m_server.shown().size(), 1);
        // … and is shown again after it, replacing the first notification.
        notifier.deliver(again, QDateTime::currentSecsSinceEpoch() + 3700);
        QTRY_COMPARE(m_server.shown().size(), 2);
        QCOMPARE(m_server.shown().last().replaces, shown.id);
    }

    void anAlertAcknowledgedBeforeARestartIsShownNotNotified()
    {
        const auto run = [&](std::set<std::string> acknowledged, std::vector<app::AlertEvents>& seen) {
            app::MonitorConfig config;
            config.node.urls = {"http://127.0.0.1:1"};
            config.poll_ms = 50;
            config.alert_levels.node_lagging_seconds = 0;
            config.alerts_acknowledged = std::move(acknowledged);
            Position loan = pool_loan("0.90");
            loan.key.number = U256(5);
            const std::vector<ScriptedMonitor::Step> steps{ScriptedMonitor::snapshot_step({loan}, 20)};
            config.make_monitor = [steps](const app::MonitorConfig&) { return std::make_unique<ScriptedMonitor>(steps); };
            app::MonitorBridge bridge(config);
            app::AlertNotifier notifier;
            QObject::connect(&bridge, &app::MonitorBridge::alertsRaised, &notifier, [&](const app::AlertEvents& events) {
                seen.push_back(events);
                for (const auto& alert : events.alerts) notifier.deliver(alert, QDateTime::currentSecsSinceEpoch());
            });
            bridge.start();
            QTRY_VERIFY(!seen.empty());
        };
        const auto before = m_server.shown().size();
        std::vector<app::AlertEvents> first;
        run({}, first);
        QTRY_COMPARE(m_server.shown().size(), before + 1);
        const std::string id = first.front().alerts.front().id;
        QVERIFY(!first.front().alerts.front().acknowledged);
        // Acknowledged, then the program restarts: the same alert fires again, marked seen, and no notification goes out.
        std::vector<app::AlertEvents> second;
        run({id}, second);
        QCOMPARE(second.front().alerts.front().id, id);
        QVERIFY(second.front().alerts.front().acknowledged);
        QTest::qWait(300);
        QCOMPARE(m_server.shown().size(), before + 1);
    }

    void quietHoursLetOnlyCriticalAlertsThrough()
    {
        app::AlertNotifier notifier;
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        const int hour = QDateTime::fromSecsSinceEpoch(now).time().hour();
        notifier.setQuietHours(hour, (hour + 1) % 24);
        QVERIFY(notifier.quiet(hour));
        QVERIFY(!notifier.quiet((hour + 1) % 24));
        notifier.setQuietHours(22, 7);  // across midnight
        QVERIFY(notifier.quiet(23) && notifier.quiet(3) && !notifier.quiet(7) && !notifier.quiet(12));
        notifier.setQuietHours(hour, (hour + 1) % 24);
        const auto before = m_server.shown().size();
        protocols::risk::Alert warning;
        warning.id = "due:nftfi:0x1:9";
        warning.severity = protocols::risk::Severity::Warning;
        warning.message = "due in 20 h";
        notifier.deliver(warning, now);
        QTest::qWait(300);
        QCOMPARE(m_server.shown().size(), before);
        protocols::risk::Alert critical = warning;
        critical.id = "due:nftfi:0x1:10";
        critical.severity = protocols::risk::Severity::Critical;
        notifier.deliver(critical, now);
        QTRY_COMPARE(m_server.shown().size(), before + 1);
    }

    void aNotificationOfAnotherProgramIsNotOurs()
    {
        app::AlertNotifier notifier;
        QSignalSpy top_up(&notifier, &app::AlertNotifier::topUpRequested);
        m_server.invoke(9999, QStringLiteral("top-up"));
        QTest::qWait(200);
        QCOMPARE(top_up.count(), 0);
    }

private:
    tests::NotificationServer m_server;
};

NFTTERM_TEST_GUILESS(AlertNotifierTest)
#include "alert_notifier_test.moc"
