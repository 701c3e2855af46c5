#include "../support/demo_world_fixture.hpp"
#include "../support/notification_server.hpp"

#include <protocols/devnet/demo_world.hpp>

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "../support/test_registry.hpp"

using namespace nftterm;
using wallet::Address;
using wallet::U256;

/// Desktop notifications over a real session bus (ctest runs this unit
/// under dbus-run-session) to a notification server of our own on it: the
/// headless watcher's `--notify desktop`.
class DesktopNotifyTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(qEnvironmentVariableIsSet("DBUS_SESSION_BUS_ADDRESS"), "no session bus: run this unit under dbus-run-session, as ctest does");
        QVERIFY2(m_server.start(), "cannot own org.freedesktop.Notifications on the session bus");
        m_world = std::make_unique<tests::DemoWorldFixture>();
        QVERIFY2(m_world->ready(), m_world->error().c_str());
        QVERIFY(m_world->write_manifest(m_dir.filePath(QStringLiteral("manifest.json")).toStdString()));
    }

    void theWatcherNotifiesTheDesktopWithTheSeverityAsUrgency()
    {
        m_server.body_markup = true;  // as dunst: "health 0.97 < 1.05" must come escaped
        QProcess watcher;
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("NFTTERM_DATA_DIR"), m_dir.filePath(QStringLiteral("data")));
        watcher.setProcessEnvironment(env);
        QStringList args{QStringLiteral("alerts"), QStringLiteral("--registry"), m_dir.filePath(QStringLiteral("manifest.json")),
                         QStringLiteral("--rpc-url"), QString::fromStdString(m_world->url()), QStringLiteral("--json"), QStringLiteral("--no-cache"),
                         QStringLiteral("--interval-ms"), QStringLiteral("100"), QStringLiteral("--notify"), QStringLiteral("desktop")};
        for (const char* who : {"alice", "bob", "carol"}) args << QStringLiteral("--account") << QString::fromStdString(m_world->address_of(who).to_hex());
        watcher.start(QStringLiteral(NFTTERM_CLI), args);
        QVERIFY(watcher.waitForStarted());
        // The demo world's weakest loans are critical from the first block: each becomes a notification.
        QStringList critical_lines;
        QTRY_VERIFY_WITH_TIMEOUT((critical_lines = lines_with(watcher, "\"severity\":\"critical\"")).size() > 0, 30000);
        const auto urgent = [&] {
            int count = 0;
            for (const auto& shown : m_server.shown()) count += shown.urgency == 2;
            return count;
        };
        QTRY_COMPARE_WITH_TIMEOUT(urgent(), lines_with(watcher, "\"severity\":\"critical\"").size(), 15000);
        for (const auto& shown : m_server.shown()) {
            QCOMPARE(shown.app, QStringLiteral("nftterm"));
            if (shown.urgency != 2) continue;
            QCOMPARE(shown.summary, QStringLiteral("nftterm: critical"));
            QCOMPARE(shown.timeout, 0);  // a critical alert stays until dismissed
            QVERIFY2(shown.body.contains(QStringLiteral("'s ")), qPrintable(shown.body));
            if (shown.body.contains(QStringLiteral(": health ")))
                QVERIFY2(shown.body.contains(QStringLiteral(" &lt; ")) && !shown.body.contains(u'<'), qPrintable(shown.body));
        }
        watcher.terminate();
        QVERIFY(watcher.waitForFinished(10000));
        QCOMPARE(watcher.exitCode(), 0);
    }

private:
    QStringList lines_with(QProcess& process, const char* needle)
    {
        while (process.canReadLine()) m_out << QString::fromUtf8(process.readLine().trimmed());
        QStringList out;
        for (const auto& line : m_out)
            if (line.contains(QLatin1String(needle))) out << line;
        return out;
    }

    tests::NotificationServer m_server;
    std::unique_ptr<tests::DemoWorldFixture> m_world;
    QTemporaryDir m_dir;
    QStringList m_out;
};

NFTTERM_TEST_GUILESS(DesktopNotifyTest)
#include "desktop_notify_test.moc"
