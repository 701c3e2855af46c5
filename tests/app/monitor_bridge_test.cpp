#include <app/monitor_bridge.hpp>

#include "../support/scripted_monitor.hpp"

#include <QSignalSpy>
#include <QTest>

#include "../support/test_registry.hpp"

using namespace nftterm;
using protocols::positions::Position;
using protocols::positions::PositionChange;
using protocols::positions::PositionField;
using tests::ScriptedMonitor;
using wallet::U256;

namespace {

/// A long perp of `size` whole units (WAD).
Position perp(std::uint8_t account, std::uint64_t size)
{
    Position position;
    position.key.protocol = protocols::positions::Protocol::Perp;
    position.key.account.bytes[19] = account;
    position.key.contract.bytes[19] = 0xd0;
    position.key.market.bytes[19] = 0xe0;
    position.size = protocols::positions::SignedWad{false, U256(size) * U256(1000000000000000000ULL)};
    position.margin_ratio = protocols::positions::SignedWad{false, U256(100000000000000000ULL)};
    position.state = protocols::positions::PositionState::Open;
    return position;
}

/// A pool loan at health `health` (WAD text).
Position loan_at(const char* health)
{
    Position position;
    position.key.protocol = protocols::positions::Protocol::BendDao;
    position.key.account.bytes[19] = 0xb0;
    position.key.number = U256(4);
    position.token_id = U256(4);
    position.state = protocols::positions::PositionState::Active;
    position.health_factor = *U256::parse_units(health, 18);
    position.debt = *U256::parse_units("10", 18);
    return position;
}

app::MonitorConfig scripted(std::vector<ScriptedMonitor::Step> steps)
{
    app::MonitorConfig config;
    config.node.urls = {"http://127.0.0.1:1"};  // never asked: the scripted monitor answers
    config.poll_ms = 50;
    config.make_monitor = [steps](const app::MonitorConfig&) { return std::make_unique<ScriptedMonitor>(steps); };
    return config;
}

}  // namespace

/// The bridge and its worker against a scripted monitor (no node: the
/// faults a node cannot be made to show on cue, and a bug that throws).
class MonitorBridgeTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void eachNewBlockArrivesWithItsDiff()
    {
        app::MonitorBridge bridge(scripted({ScriptedMonitor::snapshot_step({perp(1, 3), perp(2, 1)}, 10),
                                            ScriptedMonitor::snapshot_step({perp(1, 2), perp(2, 1)}, 11)}));
        QSignalSpy ready(&bridge, &app::MonitorBridge::snapshotReady);
        bridge.start();
        QTRY_COMPARE(ready.count(), 2);
        const auto first = ready.at(0).at(0).value<app::SnapshotUpdate>();
        QCOMPARE(first.snapshot->block.number, std::uint64_t(10));
        QCOMPARE(first.changes.size(), std::size_t(2));
        QCOMPARE(first.chain_key, std::string("31337:scripted"));
        const auto second = ready.at(1).at(0).value<app::SnapshotUpdate>();
        QCOMPARE(second.snapshot->block.number, std::uint64_t(11));
        QCOMPARE(second.changes.size(), std::size_t(1));
        QVERIFY(second.changes.front().kind == PositionChange::Kind::Changed);
        QVERIFY(second.changes.front().fields.contains(PositionField::Size));
    }

    void aBlockThatLandsBetweenAScanAndItsRefreshIsScannedToo()
    {
        // Discovery scans to head 10, but the refresh reads the newest head, 11 (a trade landed meanwhile):
        // block 11 must still be scanned, or the position it opened waits for a block that may never come (anvil).
        auto early = ScriptedMonitor::snapshot_step({perp(1, 3)}, 11);
        early.block = 10;
        app::MonitorBridge bridge(scripted({early, ScriptedMonitor::snapshot_step({perp(1, 3), perp(2, 1)}, 11)}));
        QSignalSpy ready(&bridge, &app::MonitorBridge::snapshotReady);
        bridge.start();
        QTRY_COMPARE(ready.count(), 2);
        const auto second = ready.at(1).at(0).value<app::SnapshotUpdate>();
        QCOMPARE(second.snapshot->positions.size(), std::size_t(2));
        QCOMPARE(second.changes.size(), std::size_t(1));
        QVERIFY(second.changes.front().kind == PositionChange::Kind::Added);
    }

    void newAlertLevelsApplyFromTheNextBlock()
    {
        // Health 1.10 is below the default warning (1.20); the user lowers the levels to 1.00 / 0.90 in Settings.
        auto config = scripted({ScriptedMonitor::snapshot_step({loan_at("1.10")}, 10), ScriptedMonitor::snapshot_step({loan_at("1.10")}, 11)});
        config.poll_ms = 2000;  // time to change the levels between the two blocks
        app::MonitorBridge bridge(config);
        QSignalSpy raised(&bridge, &app::MonitorBridge::alertsRaised);
        bridge.start();
        QTRY_COMPARE_WITH_TIMEOUT(raised.count(), 1, 10000);
        const auto first = raised.at(0).at(0).value<app::AlertEvents>().alerts;
        const auto health = std::find_if(first.begin(), first.end(), [](const auto& a) { return a.rule == "health"; });
        QVERIFY(health != first.end());
        QVERIFY(health->severity == protocols::risk::Severity::Warning);
        protocols::risk::AlertLevels lower;
        lower.health_warning = *U256::parse_units("1.0", 18);
        lower.health_critical = *U256::parse_units("0.9", 18);
        bridge.setAlertLevels(lower);
        // 1.10 is past the new warning level plus its re-arming margin (1.05): the alert resolves at the next block.
        QTRY_COMPARE_WITH_TIMEOUT(raised.count(), 2, 10000);
        const auto second = raised.at(1).at(0).value<app::AlertEvents>().alerts;
        QVERIFY(std::any_of(second.begin(), second.end(), [&](const auto& a) { return a.id == health->id && a.state == protocols::risk::AlertState::Resolved; }));
    }

    void aBugInOneRefreshIsReportedAndTheMonitorGoesOn()
    {
        app::MonitorBridge bridge(scripted({ScriptedMonitor::snapshot_step({perp(1, 3)}, 10),
                                            ScriptedMonitor::throw_step("U256 multiplication overflows", 11),
                                            ScriptedMonitor::snapshot_step({perp(1, 4)}, 12)}));
        QSignalSpy ready(&bridge, &app::MonitorBridge::snapshotReady);
        QSignalSpy status(&bridge, &app::MonitorBridge::statusChanged);
        bridge.start();
        QTRY_COMPARE(ready.count(), 2);
        QCOMPARE(ready.at(1).at(0).value<app::SnapshotUpdate>().snapshot->block.number, std::uint64_t(12));
        bool reported = false;
        for (const auto& signal : status) {
            const auto node = signal.at(0).value<ui::NodeStatus>();
            if (node.error.contains(QStringLiteral("U256 multiplication overflows"))) reported = true;
        }
        QVERIFY(reported);
        // The block after the bug is healthy again.
        QVERIFY(status.last().at(0).value<ui::NodeStatus>().healthy);
    }

    void aNodeErrorIsShownInWordsAndTheNextBlockRecovers()
    {
        app::MonitorBridge bridge(scripted({ScriptedMonitor::snapshot_step({perp(1, 3)}, 10),
                                            ScriptedMonitor::error_step(protocols::fail(protocols::Errc::Transport, "connection refused").error(), 11),
                                            ScriptedMonitor::snapshot_step({perp(1, 3)}, 12)}));
        QSignalSpy ready(&bridge, &app::MonitorBridge::snapshotReady);
        QSignalSpy status(&bridge, &app::MonitorBridge::statusChanged);
        bridge.start();
        QTRY_COMPARE(ready.count(), 2);
        QStringList errors;
        for (const auto& signal : status)
            if (const auto node = signal.at(0).value<ui::NodeStatus>(); !node.error.isEmpty()) errors << node.error;
        QVERIFY2(errors.contains(QStringLiteral("cannot reach the node: connection refused")), qPrintable(errors.join(u'|')));
        // An unchanged block after the error: no row moved, the diff is empty.
        QVERIFY(ready.at(1).at(0).value<app::SnapshotUpdate>().changes.empty());
    }
};

NFTTERM_TEST_GUILESS(MonitorBridgeTest)
#include "monitor_bridge_test.moc"
