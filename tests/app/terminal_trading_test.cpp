#include "../support/demo_world_fixture.hpp"
#include "../support/terminal_fixture.hpp"
#include "../support/test_registry.hpp"

#include <app/action_controller.hpp>
#include <app/perp_trigger_controller.hpp>
#include <app/terminal.hpp>
#include <charts/depth_chart_view.hpp>
#include <protocols/devnet/demo_world.hpp>
#include <protocols/pricing/order_book.hpp>
#include <protocols/risk/perp_triggers.hpp>
#include <ui/dialogs/perp_trigger_dialog.hpp>
#include <ui/dialogs/trade_ticket_dialog.hpp>
#include <ui/main_window.hpp>
#include <ui/models/position_table_model.hpp>
#include <ui/widgets/charts_pane.hpp>

#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

#include <functional>

using namespace nftterm;
using namespace nftterm::protocols;
using wallet::U256;

/// The trading side of the window, through the whole terminal on a live
/// devnet: the depth chart of the selected collection, the trade ticket's
/// routed buy and its perps, and a stop-loss set in the window that closes
/// a perp once when the mark crosses it.
namespace {

/// Waits for a position's row (the refresh after a landing); on a timeout says what the window shows:
/// the activity pane, the node state and the rows there are.
bool row_appears(ui::MainWindow& window, const std::string& id)
{
    if (QTest::qWaitFor([&] { return window.positionModel()->rowOf(id) >= 0; }, 60000)) return true;
    auto* activity = window.findChild<QListWidget*>(QStringLiteral("activityList"));
    for (int row = 0; activity && row < activity->count(); ++row) qWarning("activity: %s", qPrintable(activity->item(row)->text()));
    if (auto* state = window.findChild<QLabel*>(QStringLiteral("connectionStatus"))) qWarning("state: %s", qPrintable(state->text()));
    qWarning("rows: %d", window.positionModel()->rowCount());
    for (int row = 0; row < window.positionModel()->rowCount(); ++row) qWarning("row: %s", window.positionModel()->positionAt(row)->key.id().c_str());
    return false;
}

}  // namespace

class TerminalTradingTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        m_world = std::make_unique<tests::DemoWorldFixture>();
        QVERIFY2(m_world->ready(), m_world->error().c_str());
        QVERIFY(m_dir.isValid());
        // A plain registry: no demo traders come with it, so only the accounts added here are watched.
        m_registry = tests::plain_registry(*m_world, m_dir);
    }
    void init() { m_world->snapshot(); }
    void cleanup() { m_world->revert(); }

    void theDepthChartShowsTheSelectedCollectionsBook()
    {
        QTemporaryDir data;
        QSettings settings(data.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
        ui::MainWindow window;
        app::Terminal terminal(window, settings, tests::terminal_options(m_registry, m_world->url(), data.path()));
        terminal.start();
        auto* model = window.positionModel();
        QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() > 0, 30000);
        std::string id;
        for (int row = 0; row < model->rowCount() && id.empty(); ++row)
            if (model->positionAt(row)->key.protocol == positions::Protocol::BendDao && model->positionAt(row)->collection == m_world->contract("DAPE"))
                id = model->positionAt(row)->key.id();
        QVERIFY(!id.empty());
        QVERIFY(window.selectPosition(QString::fromStdString(id)));
        auto* depth = window.chartsPane()->depthChart();
        QTRY_VERIFY_WITH_TIMEOUT(!depth->askPoints().isEmpty() && !depth->bidPoints().isEmpty(), 20000);
        // The chart's steps are the book's levels near the market: it starts at the best ask and bid, every step is a level's price, and
        // the counts climb one NFT a level.
        auto registry = positions::registry_from_json(protocols::devnet::manifest_to_json(m_world->manifest()));
        QVERIFY(registry.has_value());
        auto pools = protocols::pricing::read_collection_pools(m_world->client(), *registry, m_world->contract("DAPE"));
        QVERIFY(pools.has_value());
        const auto book = protocols::pricing::build_book(*pools, 30);
        QCOMPARE(depth->askPoints().first().x(), QString::fromStdString(book.asks.front().price.format_units(18)).toDouble());
        QCOMPARE(depth->bidPoints().first().x(), QString::fromStdString(book.bids.front().price.format_units(18)).toDouble());
        for (const auto& [points, levels] : {std::pair{depth->askPoints(), &book.asks}, std::pair{depth->bidPoints(), &book.bids}}) {
            QCOMPARE(points.size() % 2, qsizetype(0));
            for (qsizetype i = 0; i < points.size(); i += 2) {
                const auto& level = (*levels)[std::size_t(i / 2)];
                QCOMPARE(points[i + 1].x(), QString::fromStdString(level.price.format_units(18)).toDouble());
                QCOMPARE(points[i + 1].y(), double(level.cumulative_count));
            }
        }
    }

    void theTradeTicketRoutesABuyAndItLands()
    {
        QTemporaryDir data;
        QSettings settings(data.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
        ui::MainWindow window;
        app::Terminal terminal(window, settings, tests::terminal_options(m_registry, m_world->url(), data.path()));
        terminal.start();
        // alice's key (anvil's published account 1), imported into the store: the ticket signs with it.
        tests::import_key(terminal, QStringLiteral("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"));
        const auto alice = m_world->address_of("alice");
        terminal.actions()->setActiveSigner(alice);
        const wallet::Address dape = m_world->contract("DAPE");
        const U256 before = m_world->read_u256(dape, "balanceOf(address)", "[\"" + alice.to_hex() + "\"]");
        Q_EMIT window.tradeRequested();
        auto* ticket = terminal.actions()->tradeTicket();
        QVERIFY(ticket);
        auto* collection = tests::child<QComboBox>(ticket, "tradeCollection");
        collection->setCurrentIndex(collection->findText(QStringLiteral("DAPE")));
        tests::child<QSpinBox>(ticket, "tradeCount")->setValue(3);
        auto* confirm = tests::child<QPushButton>(ticket, "tradeConfirm");
        auto* summary = tests::child<QLabel>(ticket, "tradeSummary");
        const bool routed = QTest::qWaitFor([&] { return confirm->isEnabled() && summary->text().startsWith(QStringLiteral("buy 3 NFTs")); }, 20000);
        QVERIFY2(routed, qPrintable(summary->text() + QStringLiteral(" | ") + tests::child<QLabel>(ticket, "tradeStatus")->text()));
        QVERIFY2(tests::child<QLabel>(ticket, "tradeSigner")->text().contains(QString::fromStdString(alice.to_hex())), qPrintable(tests::child<QLabel>(ticket, "tradeSigner")->text()));
        QVERIFY(tests::child<QListWidget>(ticket, "tradeCalls")->count() >= 1);
        // A limit below the route: no plan, nothing to sign.
        tests::child<QLineEdit>(ticket, "tradeLimit")->setText(QStringLiteral("10"));
        QTRY_VERIFY_WITH_TIMEOUT(tests::child<QLabel>(ticket, "tradeStatus")->text().contains(QStringLiteral("above --max-total")) && !confirm->isEnabled(), 20000);
        tests::child<QLineEdit>(ticket, "tradeLimit")->clear();
        QTRY_VERIFY_WITH_TIMEOUT(confirm->isEnabled(), 20000);
        tests::child<QLineEdit>(ticket, "tradePassword")->setText(tests::kTerminalPassword);
        confirm->click();
        QTRY_VERIFY_WITH_TIMEOUT(tests::child<QLabel>(ticket, "tradeStatus")->text().startsWith(QStringLiteral("Landed: bought 3 NFTs")), 30000);
        QCOMPARE(m_world->read_u256(dape, "balanceOf(address)", "[\"" + alice.to_hex() + "\"]"), before + U256(3));
    }

    void theTradeTicketOpensAPerpThatLandsAsPlannedAndAppearsInTheTable()
    {
        QTemporaryDir data;
        m_data_dir = data.path();
        QSettings settings(data.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
        ui::MainWindow window;
        app::Terminal terminal(window, settings, tests::terminal_options(m_registry, m_world->url(), data.path()));
        terminal.start();
        // The demo keeper's key (no perp yet), with WETH for the margin.
        tests::import_key(terminal, QString::fromStdString(wallet::to_hex(m_world->actor("keeper").key.view())));
        const auto trader = m_world->address_of("keeper");
        QVERIFY(m_world->send("keeper", m_world->contract("WETH9"), "deposit()", "[]", *U256::parse_units("10", 18)).has_value());
        terminal.actions()->setActiveSigner(trader);
        const wallet::Address house = m_world->contract("PerpClearingHouse");
        const wallet::Address amm = *wallet::Address::from_hex(m_world->manifest().amms.at("DAPE").to_hex());
        Q_EMIT window.tradeRequested();
        auto* ticket = terminal.actions()->tradeTicket();
        QVERIFY(ticket);
        auto* collection = tests::child<QComboBox>(ticket, "tradeCollection");
        collection->setCurrentIndex(collection->findText(QStringLiteral("DAPE")));
        tests::child<QComboBox>(ticket, "tradeSide")->setCurrentIndex(2);
        QVERIFY(tests::child<QLineEdit>(ticket, "tradeMargin")->isVisible() && !tests::child<QSpinBox>(ticket, "tradeCount")->isVisible());
        tests::child<QLineEdit>(ticket, "tradeMargin")->setText(QStringLiteral("1.5"));
        tests::child<QLineEdit>(ticket, "tradeLeverage")->setText(QStringLiteral("4"));
        auto* confirm = tests::child<QPushButton>(ticket, "tradeConfirm");
        auto* summary = tests::child<QLabel>(ticket, "tradeSummary");
        const bool planned = QTest::qWaitFor([&] { return confirm->isEnabled() && summary->text().startsWith(QStringLiteral("open long")); }, 20000);
        QVERIFY2(planned, qPrintable(summary->text() + QStringLiteral(" | ") + tests::child<QLabel>(ticket, "tradeStatus")->text()));
        // Margin 1.5 × 4: a notional of 6; the risk after and the fees are in words before anything is signed.
        QVERIFY2(summary->text().contains(QStringLiteral("notional 6.0000")) && summary->text().contains(QStringLiteral("liquidation price")), qPrintable(summary->text()));
        QVERIFY2(tests::child<QLabel>(ticket, "tradeFees")->text().startsWith(QStringLiteral("at most ")), qPrintable(tests::child<QLabel>(ticket, "tradeFees")->text()));
        // A leverage the clearing house refuses: no plan.
        tests::child<QLineEdit>(ticket, "tradeLeverage")->setText(QStringLiteral("40"));
        QTRY_VERIFY_WITH_TIMEOUT(tests::child<QLabel>(ticket, "tradeStatus")->text().contains(QStringLiteral("above what the clearing house allows")) && !confirm->isEnabled(), 20000);
        tests::child<QLineEdit>(ticket, "tradeLeverage")->setText(QStringLiteral("4"));
        QTRY_VERIFY_WITH_TIMEOUT(confirm->isEnabled() && summary->text().startsWith(QStringLiteral("open long")), 20000);
        // For the docs and a person's look (run under Xvfb with NFTTERM_SHOT_DIR set).
        if (const QString shots = qEnvironmentVariable("NFTTERM_SHOT_DIR"); !shots.isEmpty()) ticket->grab().save(shots + QStringLiteral("/perp-ticket.png"));
        tests::child<QLineEdit>(ticket, "tradePassword")->setText(tests::kTerminalPassword);
        confirm->click();
        QTRY_VERIFY_WITH_TIMEOUT(tests::child<QLabel>(ticket, "tradeStatus")->text().startsWith(QStringLiteral("Landed: perp open")), 30000);
        auto stored = m_world->read(house, "getPosition(address,address)", "[\"" + amm.to_hex() + "\",\"" + trader.to_hex() + "\"]",
                                    "(((int256),(uint256),(uint256),(int256),uint256,uint256))");
        QVERIFY(stored.has_value());
        QCOMPARE(QString::fromStdString((*stored)[0][1][0].get<std::string>()), QStringLiteral("1500000000000000000"));
        QCOMPARE(QString::fromStdString((*stored)[0][2][0].get<std::string>()), QStringLiteral("6000000000000000000"));
        // The new position is a row of the table at the next refresh.
        positions::PositionKey key;
        key.protocol = positions::Protocol::Perp;
        key.contract = house;
        key.market = amm;
        key.account = trader;
        QVERIFY(row_appears(window, key.id()));
        if (m_then) m_then(terminal, window, key);
    }

    void aStopLossSetInTheWindowClosesThePerpOnceWhenTheMarkCrossesIt()
    {
        // The perp opened through the ticket (its keystore left open by that signature), then:
        m_then = [this](app::Terminal& terminal, ui::MainWindow& window, const positions::PositionKey& key) {
            auto* model = window.positionModel();
            const auto* position = model->positionAt(model->rowOf(key.id()));
            QVERIFY(position && position->price && position->liquidation_price);
            const U256 mark = *position->price;
            Q_EMIT window.triggersRequested(QString::fromStdString(key.id()));
            auto* dialog = terminal.triggers()->dialog();
            QVERIFY(dialog);
            auto* stop = tests::child<QLineEdit>(dialog, "triggerStopLoss");
            auto* status = tests::child<QLabel>(dialog, "triggerStatus");
            // Above the mark, a long's stop would close it at once; under the liquidation price, too late: both refused.
            stop->setText(QString::fromStdString((mark + U256(1)).format_units(18)));
            tests::child<QPushButton>(dialog, "triggerSave")->click();
            QVERIFY2(status->text().contains(QStringLiteral("next block")), qPrintable(status->text()));
            stop->setText(QString::fromStdString(position->liquidation_price->format_units(18)));
            tests::child<QPushButton>(dialog, "triggerSave")->click();
            QVERIFY2(status->text().contains(QStringLiteral("liquidated at")), qPrintable(status->text()));
            QVERIFY(!terminal.triggers()->book().triggerFor(key.id()));
            // Half a percent under the mark: saved, in the file the watcher's --triggers reads.
            const U256 level = mark * U256(995) / U256(1000);
            stop->setText(QString::fromStdString(level.format_units(18)));
            if (const QString shots = qEnvironmentVariable("NFTTERM_SHOT_DIR"); !shots.isEmpty()) dialog->grab().save(shots + QStringLiteral("/perp-triggers.png"));
            tests::child<QPushButton>(dialog, "triggerSave")->click();
            QTRY_VERIFY(!terminal.triggers()->dialog());
            QFile file(m_data_dir + QStringLiteral("/perp_triggers.json"));
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray text = file.readAll();
            auto saved = protocols::risk::perp_triggers_from_json(std::string_view(text.constData(), std::size_t(text.size())));
            QVERIFY(saved.has_value() && saved->size() == 1);
            QCOMPARE(saved->front().position, key.id());
            QCOMPARE(*saved->front().stop_loss, level);

            // Another trader sells the Amm down 3 %: the mark crosses the stop and the window closes the long.
            const wallet::Address house = key.contract;
            QVERIFY(m_world->send("deployer", m_world->contract("WETH9"), "deposit()", "[]", mark * U256(10)).has_value());
            QVERIFY(m_world->send("deployer", house, "openPosition(address,uint8,(uint256),(uint256),(uint256))",
                                  "[\"" + key.market.to_hex() + "\",\"1\",[\"" + (mark * U256(4)).to_dec() + "\"],[\"" +
                                      U256::parse_units("5", 18)->to_dec() + "\"],[\"0\"]]").has_value());
            const auto size_of = [&] {
                auto stored = m_world->read(house, "getPosition(address,address)", "[\"" + key.market.to_hex() + "\",\"" + key.account.to_hex() + "\"]",
                                            "(((int256),(uint256),(uint256),(int256),uint256,uint256))");
                return stored ? QString::fromStdString((*stored)[0][0][0].get<std::string>()) : QStringLiteral("unreadable");
            };
            QTRY_COMPARE_WITH_TIMEOUT(size_of(), QStringLiteral("0"), 30000);
            auto* activity = window.findChild<QListWidget*>(QStringLiteral("activityList"));
            const auto lines_with = [&](const QString& words) {
                int n = 0;
                for (int row = 0; row < activity->count(); ++row) n += activity->item(row)->text().contains(words);
                return n;
            };
            QTRY_COMPARE_WITH_TIMEOUT(lines_with(QStringLiteral("closed it in block")), 1, 30000);
            // More blocks with the mark still past the level: no second try.
            m_world->advance(15);
            m_world->advance(15);
            QTest::qWait(1500);
            QCOMPARE(lines_with(QStringLiteral("crossed (mark")), 1);
        };
        theTradeTicketOpensAPerpThatLandsAsPlannedAndAppearsInTheTable();
        m_then = nullptr;
    }

    void theTicketPlansADownPaymentLongThatLandsAsThePoolLoanInTheTable()
    {
        QTemporaryDir data;
        QSettings settings(data.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
        ui::MainWindow window;
        app::Terminal terminal(window, settings, tests::terminal_options(m_registry, m_world->url(), data.path()));
        terminal.start();
        tests::import_key(terminal, QString::fromStdString(wallet::to_hex(m_world->actor("keeper").key.view())));
        const auto trader = m_world->address_of("keeper");
        terminal.actions()->setActiveSigner(trader);
        Q_EMIT window.tradeRequested();
        auto* ticket = terminal.actions()->tradeTicket();
        QVERIFY(ticket);
        auto* collection = tests::child<QComboBox>(ticket, "tradeCollection");
        collection->setCurrentIndex(collection->findText(QStringLiteral("DAPE")));
        tests::child<QComboBox>(ticket, "tradeSide")->setCurrentIndex(5);
        QVERIFY(tests::child<QLineEdit>(ticket, "tradeDownPayment")->isVisible() && !tests::child<QLineEdit>(ticket, "tradeMargin")->isVisible());
        // Below what the LTV allows: refused in words, nothing to sign.
        tests::child<QLineEdit>(ticket, "tradeDownPayment")->setText(QStringLiteral("5"));
        auto* confirm = tests::child<QPushButton>(ticket, "tradeConfirm");
        auto* status = tests::child<QLabel>(ticket, "tradeStatus");
        QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("the least down payment is")) && !confirm->isEnabled(), 20000);
        tests::child<QLineEdit>(ticket, "tradeDownPayment")->setText(QStringLiteral("50"));
        auto* summary = tests::child<QLabel>(ticket, "tradeSummary");
        const bool planned = QTest::qWaitFor([&] { return confirm->isEnabled() && summary->text().startsWith(QStringLiteral("long NFT #")); }, 20000);
        QVERIFY2(planned, qPrintable(summary->text() + QStringLiteral(" | ") + status->text()));
        QVERIFY2(summary->text().contains(QStringLiteral("Entry health factor")) && summary->text().contains(QStringLiteral("leverage")), qPrintable(summary->text()));
        QVERIFY(tests::child<QLabel>(ticket, "tradeFees")->text().startsWith(QStringLiteral("at most ")));
        if (const QString shots = qEnvironmentVariable("NFTTERM_SHOT_DIR"); !shots.isEmpty()) ticket->grab().save(shots + QStringLiteral("/down-payment-ticket.png"));
        const QString token = summary->text().section(u'#', 1).section(u' ', 0, 0);
        tests::child<QLineEdit>(ticket, "tradePassword")->setText(tests::kTerminalPassword);
        confirm->click();
        QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(QStringLiteral("Landed")), 30000);
        // The loan is the keeper's, and a row of the table.
        positions::PositionKey key;
        key.protocol = positions::Protocol::BendDao;
        key.contract = m_world->contract("BendLendPool");
        key.market = m_world->contract("DAPE");
        key.number = *U256::from_dec(token.toStdString());
        QVERIFY(row_appears(window, key.id()));
        const auto* row = window.positionModel()->positionAt(window.positionModel()->rowOf(key.id()));
        QCOMPARE(row->key.account, trader);
    }

    void theTicketAcceptsAP2pOfferAndTheLoanAppearsInTheTable()
    {
        QTemporaryDir data;
        QSettings settings(data.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
        ui::MainWindow window;
        app::Terminal terminal(window, settings, tests::terminal_options(m_registry, m_world->url(), data.path()));
        terminal.start();
        // alice's key: the demo world's first open offers are on her DAPE #103.
        tests::import_key(terminal, QStringLiteral("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"));
        const auto alice = m_world->address_of("alice");
        terminal.actions()->setActiveSigner(alice);
        const auto& offer = m_world->manifest().offers.front();
        QCOMPARE(offer.borrower, alice);
        Q_EMIT window.tradeRequested();
        auto* ticket = terminal.actions()->tradeTicket();
        QVERIFY(ticket);
        tests::child<QComboBox>(ticket, "tradeSide")->setCurrentIndex(6);
        tests::child<QSpinBox>(ticket, "tradeOffer")->setValue(0);
        auto* confirm = tests::child<QPushButton>(ticket, "tradeConfirm");
        auto* summary = tests::child<QLabel>(ticket, "tradeSummary");
        auto* status = tests::child<QLabel>(ticket, "tradeStatus");
        const bool planned = QTest::qWaitFor([&] { return confirm->isEnabled() && summary->text().startsWith(QStringLiteral("accept ")); }, 20000);
        QVERIFY2(planned, qPrintable(summary->text() + QStringLiteral(" | ") + status->text()));
        QVERIFY2(summary->text().contains(QString::fromStdString(offer.principal.format_units(18)).left(4)) && summary->text().contains(QStringLiteral("APR")),
                 qPrintable(summary->text()));
        tests::child<QLineEdit>(ticket, "tradePassword")->setText(tests::kTerminalPassword);
        confirm->click();
        QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(QStringLiteral("Landed")), 30000);
        // The new P2P loan on #103 is a row of alice's.
        const auto has_loan = [&] {
            const auto* model = window.positionModel();
            for (int row = 0; row < model->rowCount(); ++row) {
                const auto* p = model->positionAt(row);
                if (p->key.protocol == positions::Protocol::Nftfi && p->token_id && *p->token_id == U256(offer.token_id) && p->key.account == alice) return true;
            }
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(has_loan(), 30000);
    }

private:
    std::unique_ptr<tests::DemoWorldFixture> m_world;
    QTemporaryDir m_dir;
    std::string m_registry;
    /// What a test does after the perp ticket test's steps (with its terminal still up), and that terminal's data folder.
    std::function<void(app::Terminal&, ui::MainWindow&, const positions::PositionKey&)> m_then;
    QString m_data_dir;
};

NFTTERM_TEST_WIDGETS(TerminalTradingTest)
#include "terminal_trading_test.moc"
