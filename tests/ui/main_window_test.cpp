#include <ui/main_window.hpp>
#include <ui/models/position_table_model.hpp>

#include <QDateTime>
#include <QSettings>
#include <QTemporaryDir>
#include <QDockWidget>
#include <QLabel>
#include <QListWidget>
#include <QTableView>
#include <QGuiApplication>
#include <QScreen>
#include <QMessageBox>
#include <QAction>
#include <ui/widgets/welcome_page.hpp>
#include <QPushButton>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTest>

#include "../support/test_registry.hpp"

using namespace nftterm::ui;

class MainWindowTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void showsPanesAndEmptyTable()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto* table = window.findChild<QTableView*>(QStringLiteral("positionsTable"));
        QVERIFY(table);
        QCOMPARE(table->model()->rowCount(), 0);
        QCOMPARE(table->model()->columnCount(), int(PositionTableModel::ColumnCount));
        for (const char* name : {"accountsDock", "chartDock", "detailsDock", "activityDock"})
            QVERIFY2(window.findChild<QDockWidget*>(QString::fromLatin1(name)), name);
        QVERIFY(window.findChild<QLabel*>(QStringLiteral("nodeStatus"))->text().contains(QStringLiteral("not connected")));
    }

    void listsAccounts()
    {
        MainWindow window;
        auto* list = window.findChild<QListWidget*>(QStringLiteral("accountsList"));
        window.setAccounts({});
        QCOMPARE(list->count(), 1);
        QVERIFY(list->item(0)->text().contains(QStringLiteral("No accounts")));
        window.setAccounts({{QStringLiteral("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"), QStringLiteral("dev"), true},
                            {QStringLiteral("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"), QString(), false}});
        QCOMPARE(list->count(), 2);
        QVERIFY(list->item(0)->text().contains(QStringLiteral("dev")));
        QVERIFY(list->item(1)->text().contains(QStringLiteral("watch-only")));
    }

    void statusBarShowsTheNode()
    {
        MainWindow window;
        NodeStatus status;
        status.url = QStringLiteral("http://127.0.0.1:8545");
        status.chain_id = 31337;
        status.block = 42;
        status.block_time = QDateTime::currentSecsSinceEpoch() - 3;
        status.refresh_ms = 12.4;
        status.healthy = true;
        window.setNodeStatus(status);
        QCOMPARE(window.findChild<QLabel*>(QStringLiteral("chainStatus"))->text(), QStringLiteral("Chain 31337"));
        QVERIFY(window.findChild<QLabel*>(QStringLiteral("blockStatus"))->text().startsWith(QStringLiteral("Block 42")));
        QCOMPARE(window.findChild<QLabel*>(QStringLiteral("latencyStatus"))->text(), QStringLiteral("Refresh 12 ms"));
        QVERIFY(window.findChild<QLabel*>(QStringLiteral("connectionStatus"))->text().contains(QStringLiteral("live")));
        status.healthy = false;
        status.error = QStringLiteral("timed out");
        window.setNodeStatus(status);
        QVERIFY(window.findChild<QLabel*>(QStringLiteral("connectionStatus"))->text().contains(QStringLiteral("timed out")));
        QVERIFY(window.findChild<QListWidget*>(QStringLiteral("activityList"))->item(0)->text().contains(QStringLiteral("timed out")));
        // A long first scan is neither live nor broken: it says how far it is, and logs nothing.
        const int activity = window.findChild<QListWidget*>(QStringLiteral("activityList"))->count();
        status.error.clear();
        status.scanning = QStringLiteral("blocks 14,443,204 to 15,943,203 of 24,100,000 (16 %), 312 log requests");
        window.setNodeStatus(status);
        const auto* health = window.findChild<QLabel*>(QStringLiteral("connectionStatus"));
        QVERIFY2(health->text().contains(QStringLiteral("finding positions: blocks 14,443,204")), qPrintable(health->text()));
        QVERIFY(!health->text().contains(QStringLiteral("offline")));
        QCOMPARE(window.findChild<QListWidget*>(QStringLiteral("activityList"))->count(), activity);
        if (const QString shots = qEnvironmentVariable("NFTTERM_SHOT_DIR"); !shots.isEmpty()) {
            window.resize(1280, 800);
            window.show();
            QTest::qWait(50);
            window.grab().save(shots + QStringLiteral("/status-scanning.png"));
        }
    }

    void theWindowFitsA1280By800Screen()
    {
        MainWindow window;
        // Whatever a status text says, the window can shrink to 1280 × 800, and never opens bigger than its screen.
        NodeStatus status;
        status.url = QStringLiteral("https://eth-mainnet.example.com:8545/a-very-long-path-with-an-api-key-1234567890abcdef");
        status.error = QStringLiteral("no endpoint answered (") + QString(300, u'x') + u')';
        window.setNodeStatus(status);
        QVERIFY2(window.minimumSizeHint().width() <= 1280, qPrintable(QString::number(window.minimumSizeHint().width())));
        QVERIFY2(window.minimumSizeHint().height() <= 800, qPrintable(QString::number(window.minimumSizeHint().height())));
        window.resize(4000, 3000);
        window.fitToScreen();
        const QRect available = QGuiApplication::primaryScreen()->availableGeometry();
        QVERIFY(window.width() <= std::max(available.width(), window.minimumSizeHint().width()));
        QVERIFY(window.height() <= std::max(available.height(), window.minimumSizeHint().height()));
        QVERIFY(window.width() < 4000 && window.height() < 3000);
    }

    void helpAboutNamesTheVersions()
    {
        MainWindow window;
        window.setAboutText(QStringLiteral("Version 9.9<br>libsecp256k1 0.2.0"));
        window.findChild<QAction*>(QStringLiteral("aboutAction"))->trigger();
        auto* box = window.findChild<QMessageBox*>(QStringLiteral("aboutBox"));
        QVERIFY(box);
        QVERIFY(box->text().contains(QStringLiteral("libsecp256k1 0.2.0")));
        QVERIFY(box->text().contains(QStringLiteral("Version 9.9")));
        box->close();
    }

    void aFirstStartShowsTheWaysToStartInsteadOfAnEmptyTable()
    {
        MainWindow window;
        window.showWelcome(QStringLiteral("cannot read the registry /x/manifest.json"));
        auto* page = window.findChild<WelcomePage*>(QStringLiteral("welcomePage"));
        QVERIFY(page);
        QCOMPARE(window.findChild<QStackedWidget*>()->currentWidget(), page);
        QVERIFY(window.findChild<QLabel*>(QStringLiteral("welcomeReason"))->text().contains(QStringLiteral("cannot read the registry")));
        QSignalSpy demo(page, &WelcomePage::demoRequested), node(page, &WelcomePage::connectRequested), account(page, &WelcomePage::addAccountRequested);
        window.findChild<QPushButton*>(QStringLiteral("welcomeDemo"))->click();
        window.findChild<QPushButton*>(QStringLiteral("welcomeConnect"))->click();
        window.findChild<QPushButton*>(QStringLiteral("welcomeAccount"))->click();
        QCOMPARE(demo.count(), 1);
        QCOMPARE(node.count(), 1);
        QCOMPARE(account.count(), 1);
        // While the demo starts, no second start can be asked for; a failure says why and gives the choice back.
        page->setProgress(QStringLiteral("Starting the demo devnet…"), true);
        QVERIFY(!window.findChild<QPushButton*>(QStringLiteral("welcomeDemo"))->isEnabled());
        page->setProgress(QStringLiteral("The demo devnet did not start: no anvil on PATH"), false);
        QVERIFY(window.findChild<QPushButton*>(QStringLiteral("welcomeDemo"))->isEnabled());
        QVERIFY(window.findChild<QLabel*>(QStringLiteral("welcomeProgress"))->text().contains(QStringLiteral("no anvil on PATH")));
    }

    void layoutAndThemeAreRemembered()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("nftterm.conf")), QSettings::IniFormat);
        {
            MainWindow window;
            window.setTheme(Theme::Light);
            window.findChild<QDockWidget*>(QStringLiteral("activityDock"))->setFloating(true);
            window.saveLayout(settings);
        }
        MainWindow again;
        again.restoreLayout(settings);
        QCOMPARE(again.theme(), Theme::Light);
        QVERIFY(again.findChild<QDockWidget*>(QStringLiteral("activityDock"))->isFloating());
    }
};

NFTTERM_TEST_WIDGETS(MainWindowTest)
#include "main_window_test.moc"
