#include <app/alert_log.hpp>

#include <QTemporaryDir>
#include <QTest>

#include "../support/test_registry.hpp"

#include <sys/stat.h>

using namespace nftterm;
using protocols::risk::Alert;
using protocols::risk::AlertState;
using protocols::risk::Severity;

namespace {

Alert alert(const char* id, AlertState state)
{
    Alert out;
    out.id = id;
    out.rule = "health";
    out.severity = Severity::Critical;
    out.state = state;
    out.position = "benddao:0x1:0x2:4";
    out.message = "bob's DAPE #4 pool loan: health 0.97 < 1.05";
    out.block = 12;
    return out;
}

}  // namespace

/// The alert log: a real SQLite file, reopened as after a restart.
class AlertLogTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void anAcknowledgementOutlivesARestartUntilTheAlertResolves()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("alerts.sqlite"));
        {
            auto log = app::AlertLog::open(file);
            QVERIFY2(log.has_value(), log.has_value() ? "" : qPrintable(log.error()));
            QVERIFY((*log)->record(alert("health:a", AlertState::Firing), 100).has_value());
            QVERIFY((*log)->record(alert("health:b", AlertState::Firing), 100).has_value());
            QVERIFY((*log)->record_user("health:a", "acknowledged", 110).has_value());
            QVERIFY((*log)->record_user("health:b", "snoozed", 110, 3710).has_value());
        }
        struct stat info {};
        QCOMPARE(::stat(file.toLocal8Bit().constData(), &info), 0);
        QCOMPARE(info.st_mode & 0777, 0600u);
        {
            auto log = app::AlertLog::open(file);
            QVERIFY(log.has_value());
            QCOMPARE((*log)->count(), 4);
            QVERIFY(((*log)->acknowledged() == std::set<std::string>{"health:a"}));
            // It resolves, then fires again: news again, not acknowledged.
            QVERIFY((*log)->record(alert("health:a", AlertState::Resolved), 200).has_value());
            QVERIFY((*log)->acknowledged().empty());
            QVERIFY((*log)->record(alert("health:a", AlertState::Firing), 300).has_value());
            QVERIFY((*log)->acknowledged().empty());
        }
    }

    void aFileThatIsNotALogIsRefusedInWords()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("alerts.sqlite"));
        QFile junk(file);
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write(QByteArray(4096, 'x'));
        junk.close();
        auto log = app::AlertLog::open(file);
        QVERIFY(!log.has_value());
        QVERIFY2(log.error().contains(file), qPrintable(log.error()));
    }
};

NFTTERM_TEST_GUILESS(AlertLogTest)
#include "alert_log_test.moc"
