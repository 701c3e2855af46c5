#include <ui/main_window.hpp>
#include <ui/models/position_table_model.hpp>

#include <QAbstractItemModelTester>
#include <QDockWidget>
#include <QLabel>
#include <QListWidget>
#include <QTableView>
#include <QTest>

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
        QVERIFY(window.findChild<QDockWidget*>(QStringLiteral("accountsDock")));
        QVERIFY(window.findChild<QDockWidget*>(QStringLiteral("chartDock")));
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

    void positionModelPassesModelTester()
    {
        PositionTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRows({{QStringLiteral("BendDAO"), QStringLiteral("0xf39F…"), QStringLiteral("Apes #1"), QStringLiteral("30 ETH"),
                        QStringLiteral("12 ETH"), QStringLiteral("1.82")}});
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.data(model.index(0, PositionTableModel::Health)).toString(), QStringLiteral("1.82"));
    }
};

QTEST_MAIN(MainWindowTest)
#include "main_window_test.moc"
