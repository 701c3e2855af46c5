#include "../support/demo_world_fixture.hpp"
#include "../support/forwarding_proxy.hpp"
#include "../support/ledger_simulator.hpp"

#include <app/action_controller.hpp>
#include <app/history_service.hpp>
#include <app/monitor_bridge.hpp>
#include <app/terminal_wiring.hpp>
#include <charts/history_chart_view.hpp>
#include <charts/stress_chart_view.hpp>
#include <protocols/risk/stress.hpp>
#include <ui/models/history_model.hpp>
#include <ui/widgets/charts_pane.hpp>
#include <protocols/eth/rpc/transport.hpp>
#include <protocols/positions/monitor.hpp>
#include <protocols/eth/rpc/eth_api.hpp>
#include <protocols/actions/plan.hpp>
#include <ui/dialogs/top_up_dialog.hpp>
#include <ui/main_window.hpp>
#include <wallet/keys/keystore.hpp>
#include <ui/models/position_table_model.hpp>
#include <ui/models/position_filter_model.hpp>
#include <ui/models/position_format.hpp>

#include <QChart>
#include <QXYSeries>

#include <QDialogButtonBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QListWidget>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QPlainTextEdit>
#include <QTemporaryDir>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

#include <protocols/eth/tx/tx_journal.hpp>

#include "../support/test_registry.hpp"
#include <QTimer>

#include <atomic>
#include <cmath>
#include <fstream>
#include <set>
#include <thread>

using namespace nftterm;
using namespace nftterm::protocols;
using namespace nftterm::protocols::positions;
using namespace nftterm::protocols::actions;
using wallet::U256;

namespace {

std::string q(const wallet::Address& address)
{
    return "\"" + address.to_hex() + "\"";
}

}  // namespace

/// The window on a live devnet: the monitor runs on the bridge's thread and
/// the table follows the chain; a node that stops answering turns the status
/// red and the rows stale while the window keeps responding.
/// A window fed by the monitor, with its history kept in `file` (as main() wires it).
struct WithHistory {
    // The monitor goes first (declared last): no snapshot reaches a history that is gone.
    app::HistoryService history;
    app::MonitorBridge bridge;

    WithHistory(ui::MainWindow& window, const app::MonitorConfig& config, const QString& file) : history(file), bridge(config)
    {
        app::connect_monitor(window, bridge);
        app::connect_history(window, bridge, history);
        bridge.start();
    }
};

class TerminalWindowTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        m_world = std::make_unique<tests::DemoWorldFixture>();
        QVERIFY2(m_world->ready(), m_world->error().c_str());
        m_registry = m_world->registry();
        // The node, behind a proxy that can be told to stop answering.
        m_proxy = tests::forwarding_proxy(m_world->url(), [this](const std::string&) {
            if (!m_silent.load()) return;
            ++m_held;
            while (m_silent.load()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
            --m_held;
        });
        for (const char* name : {"alice", "bob", "carol"}) m_accounts.push_back(m_world->address_of(name));
    }

    void cleanupTestCase() { m_silent = false; }

    void positionsAppearAndAPriceDropTurnsARowCritical()
    {
        ui::MainWindow window;
        app::MonitorBridge bridge(config());
        app::connect_monitor(window, bridge);
        QSignalSpy reset(window.positionModel(), &QAbstractItemModel::modelReset);
        bridge.start();
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        // The same positions as the monitor finds itself.
        Monitor monitor(m_world->client(), m_registry, m_accounts);
        QVERIFY(monitor.discover().has_value());
        auto expected = monitor.refresh();
        QVERIFY(expected.has_value());
        auto* model = window.positionModel();
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), int((*expected)->positions.size()), 30000);
        std::set<std::string> ids;
        for (const auto& position : (*expected)->positions) ids.insert(position.key.id());
        for (int row = 0; row < model->rowCount(); ++row)
            QVERIFY(ids.contains(model->index(row, 0).data(ui::PositionTableModel::PositionIdRole).toString().toStdString()));

        // A safe DAPE pool loan…
        const wallet::Address dape = m_world->manifest().contracts.at("DAPE");
        int row = -1;
        for (int r = 0; r < model->rowCount(); ++r) {
            const auto* position = model->positionAt(r);
            if (position->key.protocol == protocols::positions::Protocol::BendDao && position->collection == dape && risk(*model, r) == ui::RiskLevel::Safe) row = r;
        }
        QVERIFY2(row >= 0, "no safe DAPE pool loan in the seeded world");
        const std::string id = model->positionAt(row)->key.id();
        // A safe row offers no top-up button…
        QCOMPARE(model->index(row, ui::PositionTableModel::Action).data().toString(), QString());
        // …becomes critical when the oracle floor halves.
        const wallet::Address oracle = m_world->contract("NFTOracle");
        const U256 price = m_world->read_u256(oracle, "getAssetPrice(address)", "[" + q(dape) + "]");
        QVERIFY(m_world->send("deployer", oracle, "setAssetData(address,uint256)", "[" + q(dape) + "," + tests::dec(price / U256(2)) + "]").has_value());
        QTRY_COMPARE_WITH_TIMEOUT(risk(*model, model->rowOf(id)), ui::RiskLevel::Critical, 20000);
        QVERIFY(model->index(model->rowOf(id), ui::PositionTableModel::Health).data().toString().startsWith(QStringLiteral("HF 0.")));
        // …a critical one does, and clicking it asks for that position's top-up.
        QCOMPARE(model->index(model->rowOf(id), ui::PositionTableModel::Action).data().toString(), QStringLiteral("Top up…"));
        QSignalSpy asked(&window, &ui::MainWindow::topUpRequested);
        QVERIFY(click_top_up_button(window, id));
        QCOMPARE(asked.count(), 1);
        QCOMPARE(asked.at(0).at(0).toString(), QString::fromStdString(id));
        QCOMPARE(reset.count(), 0);
        QVERIFY(window.findChild<QLabel*>(QStringLiteral("connectionStatus"))->text().contains(QStringLiteral("live")));
    }

    void oneClickTopUpLandsAtThePredictedHealth()
    {
        // alice signs with a keystore of her own.
        QTemporaryDir dir;
        const auto keystore_json = wallet::keystore::encrypt(m_world->actor("alice").key, wallet::as_view(std::string_view("correct horse")),
                                                             wallet::keystore::ScryptParams::light());
        QVERIFY(keystore_json.has_value());
        const std::filesystem::path keystore = dir.filePath(QStringLiteral("alice.json")).toStdString();
        { std::ofstream(keystore) << *keystore_json; }
        app::SignerSource source;
        source.kind = app::SignerSource::Kind::Keystore;
        source.keystore = keystore;
        source.description = QStringLiteral("keystore of alice");
        const wallet::Address alice = m_world->address_of("alice");

        ui::MainWindow window;
        app::MonitorBridge bridge(config());
        app::connect_monitor(window, bridge);
        app::ActionController actions(window, config().node, m_registry, {{alice, source}}, dir.filePath(QStringLiteral("journal.jsonl")).toStdString());
        bridge.start();
        window.show();
        auto* model = window.positionModel();
        QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() > 0, 30000);

        // alice's weakest active pool loan.
        std::string id;
        double weakest = 1e18;
        for (int row = 0; row < model->rowCount(); ++row) {
            const auto* position = model->positionAt(row);
            if (position->key.protocol != protocols::positions::Protocol::BendDao || position->key.account != alice || position->state != protocols::positions::PositionState::Active) continue;
            const double health = position->health_factor->native().convert_to<double>();
            if (health < weakest) {
                weakest = health;
                id = position->key.id();
            }
        }
        QVERIFY(!id.empty());
        QVERIFY(click_top_up_button(window, id));
        auto* dialog = actions.dialog();
        QVERIFY(dialog);
        auto* confirm = dialog->findChild<QPushButton*>(QStringLiteral("topUpConfirm"));
        auto* password = dialog->findChild<QLineEdit*>(QStringLiteral("topUpPassword"));
        auto* status = dialog->findChild<QLabel*>(QStringLiteral("topUpStatus"));
        QTRY_VERIFY_WITH_TIMEOUT(confirm->isEnabled(), 20000);
        QVERIFY(dialog->findChild<QListWidget*>(QStringLiteral("topUpCalls"))->item(0)->text().contains(QStringLiteral("repay ")));
        QVERIFY(password->isVisible());
        // The fee as the transaction allows it, and on request each transaction raw.
        const QString money = dialog->findChild<QLabel*>(QStringLiteral("topUpMoney"))->text();
        QVERIFY2(money.contains(QStringLiteral("fee at most")) && money.contains(QStringLiteral("likely")), qPrintable(money));
        auto* raw = dialog->findChild<QPlainTextEdit*>(QStringLiteral("topUpRaw"));
        QVERIFY(!raw->isVisible());
        dialog->findChild<QPushButton*>(QStringLiteral("topUpShowRaw"))->click();
        QVERIFY(raw->isVisible());
        const QString from = QStringLiteral("from ") + QString::fromStdString(alice.to_hex());
        for (const QString& part : {QStringLiteral("chain 31337"), from, QStringLiteral("calldata 0x"), QStringLiteral("gas limit"), QStringLiteral("nonce "),
                                    QStringLiteral("max fee")})
            QVERIFY2(raw->toPlainText().contains(part), qPrintable(part + QStringLiteral(" not in: ") + raw->toPlainText()));
        const QRegularExpression most(QStringLiteral("fee at most ([0-9.]+) ETH"));
        const auto shown_most = most.match(money);
        QVERIFY(shown_most.hasMatch());
        const auto most_fee = wallet::U256::parse_units(shown_most.captured(1).toStdString(), 18);
        QVERIFY(most_fee.has_value());
        const auto nonce_before = eth::get_transaction_count(m_world->client(), alice, eth::BlockTag::latest());
        QVERIFY(nonce_before.has_value());

        // A wrong password: a clear error, nothing signed.
        password->setText(QStringLiteral("battery staple"));
        confirm->click();
        QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("password")), 20000);
        QVERIFY(status->text().contains(QStringLiteral("nothing was sent")));
        QCOMPARE(*eth::get_transaction_count(m_world->client(), alice, eth::BlockTag::latest()), *nonce_before);

        // The right one: it lands, once, and the row's health rises to the prediction.
        QTRY_VERIFY_WITH_TIMEOUT(confirm->isEnabled(), 20000);
        password->setText(QStringLiteral("correct horse"));
        confirm->click();
        confirm->click();
        QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(QStringLiteral("Landed")), 30000);
        const auto plan = *actions.plan();
        QCOMPARE(*eth::get_transaction_count(m_world->client(), alice, eth::BlockTag::latest()), *nonce_before + plan.calls.size());
        // What it cost stayed within what the dialog said it could cost at most.
        auto journal = eth::TxJournal::open(dir.filePath(QStringLiteral("journal.jsonl")).toStdString());
        QVERIFY(journal.has_value());
        wallet::U256 paid;
        for (const auto& entry : (*journal)->entries()) {
            auto receipt = eth::get_receipt(m_world->client(), entry.hash);
            QVERIFY(receipt && receipt->has_value());
            paid = paid + (*receipt)->effective_gas_price * wallet::U256((*receipt)->gas_used);
        }
        QVERIFY(!paid.is_zero());
        QVERIFY2(paid <= *most_fee, (paid.to_dec() + " paid, shown at most " + most_fee->to_dec()).c_str());
        // The head now holds the repay: the table shows it once its snapshot reaches that block.
        const auto head = eth::block_number(m_world->client());
        QVERIFY(head.has_value());
        QTRY_VERIFY_WITH_TIMEOUT(model->snapshot()->block.number >= *head, 20000);
        const auto* after = model->positionAt(model->rowOf(id));
        QVERIFY(after);
        // Predicted for the snapshot's block, by the pool's index math; a few seconds of interest
        // at most separate it from the block the repay landed in.
        const double predicted = predicted_health_at(plan, model->snapshot()->block.timestamp)->native().convert_to<double>();
        const double actual = after->health_factor->native().convert_to<double>();
        QVERIFY2(std::abs(actual - predicted) <= predicted * 1e-6, qPrintable(QStringLiteral("%1 vs %2").arg(actual).arg(predicted)));
        QVERIFY(actual >= 1.5e18 * (1 - 1e-6));
        QVERIFY(window.findChild<QListWidget*>(QStringLiteral("activityList"))->item(0)->text().contains(QStringLiteral("Landed")));
    }

    void aTopUpSignedOnALedgerSaysWhatToConfirmCanBeCancelledAndLands()
    {
        m_world->snapshot();
        // A Ledger whose seed is anvil's test mnemonic: m/44'/60'/0'/0/1 is alice.
        tests::LedgerSimulator device("test test test test test test test test test test test junk");
        QVERIFY(device.listen());
        device.answer_delay_ms = 5000;  // the person reads the screen a while
        QTemporaryDir dir;
        app::SignerSource source;
        source.kind = app::SignerSource::Kind::Ledger;
        source.ledger_path = "m/44'/60'/0'/0/1";
        source.ledger_transport = device.transport_spec();
        source.description = QStringLiteral("Ledger m/44'/60'/0'/0/1");
        const wallet::Address alice = m_world->address_of("alice");
        const std::string journal_file = dir.filePath(QStringLiteral("journal.jsonl")).toStdString();

        ui::MainWindow window;
        app::MonitorBridge bridge(config());
        app::connect_monitor(window, bridge);
        app::ActionController actions(window, config().node, m_registry, {{alice, source}}, journal_file, 1.8);
        bridge.start();
        window.show();
        auto* model = window.positionModel();
        QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() > 0, 30000);
        std::string id;
        double weakest = 1e30;
        for (int row = 0; row < model->rowCount(); ++row) {
            const auto* position = model->positionAt(row);
            if (position->key.protocol != Protocol::BendDao || position->key.account != alice || position->state != PositionState::Active) continue;
            if (const double health = position->health_factor->native().convert_to<double>(); health < weakest) {
                weakest = health;
                id = position->key.id();
            }
        }
        QVERIFY(!id.empty());
        actions.openTopUp(QString::fromStdString(id));
        auto* dialog = actions.dialog();
        QVERIFY(dialog);
        auto* confirm = dialog->findChild<QPushButton*>(QStringLiteral("topUpConfirm"));
        auto* status = dialog->findChild<QLabel*>(QStringLiteral("topUpStatus"));
        auto* prompt = dialog->findChild<QLabel*>(QStringLiteral("topUpDevice"));
        QTRY_VERIFY_WITH_TIMEOUT(confirm->isEnabled(), 20000);
        // A hardware account needs no password.
        QVERIFY(!dialog->findChild<QLineEdit*>(QStringLiteral("topUpPassword"))->isVisible());
        const auto nonce_before = eth::get_transaction_count(m_world->client(), alice, eth::BlockTag::latest());
        QVERIFY(nonce_before.has_value());

        // Signing waits on the device, which the dialog says, with what it shows; Cancel calls it off.
        confirm->click();
        QTRY_VERIFY_WITH_TIMEOUT(prompt->isVisible(), 20000);
        QVERIFY2(prompt->text().contains(QStringLiteral("Confirm on your Ledger")) && prompt->text().contains(QStringLiteral("chain 31337")),
                 qPrintable(prompt->text()));
        // For the docs and a person's look (run under Xvfb with NFTTERM_SHOT_DIR set).
        if (const QString shots = qEnvironmentVariable("NFTTERM_SHOT_DIR"); !shots.isEmpty())
            dialog->grab().save(shots + QStringLiteral("/ledger-confirm.png"));
        dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Cancel)->click();
        QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("cancelled")), 20000);
        QVERIFY2(status->text().contains(QStringLiteral("was not sent")), qPrintable(status->text()));
        QVERIFY(dialog->isVisible());
        QVERIFY(!prompt->isVisible());
        QCOMPARE(*eth::get_transaction_count(m_world->client(), alice, eth::BlockTag::latest()), *nonce_before);
        auto journal = eth::TxJournal::open(journal_file);
        QVERIFY(journal.has_value());
        QVERIFY((*journal)->entries().empty());

        // Approved on the device: it lands at the prediction.
        device.answer_delay_ms = 300;
        QTRY_VERIFY_WITH_TIMEOUT(confirm->isEnabled(), 20000);
        confirm->click();
        QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(QStringLiteral("Landed")), 30000);
        QVERIFY(device.signatures() >= 1);
        const auto plan = *actions.plan();
        QCOMPARE(*eth::get_transaction_count(m_world->client(), alice, eth::BlockTag::latest()), *nonce_before + plan.calls.size());
        const auto head = eth::block_number(m_world->client());
        QTRY_VERIFY_WITH_TIMEOUT(model->snapshot()->block.number >= *head, 20000);
        const auto* after = model->positionAt(model->rowOf(id));
        const double predicted = predicted_health_at(plan, model->snapshot()->block.timestamp)->native().convert_to<double>();
        const double actual = after->health_factor->native().convert_to<double>();
        QVERIFY2(std::abs(actual - predicted) <= predicted * 1e-6, qPrintable(QStringLiteral("%1 vs %2").arg(actual).arg(predicted)));
        QVERIFY(actual >= 1.8e18 * (1 - 1e-6));
        m_world->revert();
    }

    void chartsFollowTheSelectedPositionAndSurviveARestart()
    {
        m_world->snapshot();
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("history.sqlite"));
        const wallet::Address dape = m_world->manifest().contracts.at("DAPE");
        std::string id;
        std::vector<qint64> recorded_times;
        {
            ui::MainWindow window;
            WithHistory terminal(window, config(), file);
            window.show();
            auto* model = window.positionModel();
            QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() > 0, 30000);
            for (int row = 0; row < model->rowCount() && id.empty(); ++row) {
                const auto* position = model->positionAt(row);
                if (position->key.protocol == protocols::positions::Protocol::BendDao && position->collection == dape && position->state == protocols::positions::PositionState::Active) id = position->key.id();
            }
            QVERIFY2(!id.empty(), "no active DAPE pool loan");
            QVERIFY(window.selectPosition(QString::fromStdString(id)));
            auto* price = window.chartsPane()->priceChart();
            auto* health = window.chartsPane()->healthChart();
            QTRY_VERIFY_WITH_TIMEOUT(health->pointCount(0) >= 1, 20000);

            // The floor falls 10 %: a new point on each chart, where the contracts now put the position.
            const wallet::Address oracle = m_world->contract("NFTOracle");
            const U256 floor = m_world->read_u256(oracle, "getAssetPrice(address)", "[" + q(dape) + "]");
            QVERIFY(m_world->send("deployer", oracle, "setAssetData(address,uint256)", "[" + q(dape) + "," + tests::dec(floor * U256(9) / U256(10)) + "]").has_value());
            const U256 new_floor = m_world->read_u256(oracle, "getAssetPrice(address)", "[" + q(dape) + "]");
            const auto last_y = [](charts::HistoryChartView* chart, int line) {
                const auto* series = static_cast<QXYSeries*>(chart->chart()->series().at(line));
                return series->count() ? series->at(series->count() - 1).y() : -1.0;
            };
            QTRY_VERIFY_WITH_TIMEOUT(std::abs(last_y(price, 0) - ui::wad_to_double(new_floor)) < 1e-9, 20000);
            const auto* position = model->positionAt(model->rowOf(id));
            QTRY_VERIFY_WITH_TIMEOUT(std::abs(last_y(health, 0) - ui::wad_to_double(*model->positionAt(model->rowOf(id))->health_factor)) < 1e-9, 20000);
            QVERIFY(std::abs(last_y(price, 2) - ui::wad_to_double(*position->liquidation_price)) < 1e-9);
            QVERIFY(health->pointCount(0) >= 2);
            // The health chart draws the warning, critical and liquidation levels.
            QCOMPARE(health->chart()->series().size(), 4);

            // The stress bars are the portfolio's stress table at the shown block.
            const auto rows = risk::stress(*model->snapshot());
            QTRY_COMPARE_WITH_TIMEOUT(window.chartsPane()->stressChart()->values().size(), qsizetype(rows.size()), 5000);
            const auto drawn = window.chartsPane()->stressChart()->values();
            for (std::size_t i = 0; i < rows.size(); ++i) QVERIFY(std::abs(drawn[qsizetype(i)] - ui::signed_wad_to_double(rows[i].loss)) < 1e-9);
            for (int row = 0; row < window.historyModel()->rowCount(); ++row)
                if (window.historyModel()->index(row, ui::HistoryModel::Health).data().isValid())
                    recorded_times.push_back(qint64(window.historyModel()->index(row, ui::HistoryModel::TimeMs).data().toDouble()));

            // A perp's margin ratio is drawn as a percentage, as the table shows it.
            std::string perp;
            for (int row = 0; row < model->rowCount() && perp.empty(); ++row)
                if (model->positionAt(row)->key.protocol == protocols::positions::Protocol::Perp) perp = model->positionAt(row)->key.id();
            QVERIFY(window.selectPosition(QString::fromStdString(perp)));
            auto* points = window.historyModel();
            QTRY_VERIFY_WITH_TIMEOUT(points->rowCount() > 0 && health->pointCount(0) > 0, 20000);
            double last_ratio = 0;
            for (int row = 0; row < points->rowCount(); ++row)
                if (const QVariant ratio = points->index(row, ui::HistoryModel::Health).data(); ratio.isValid()) last_ratio = ratio.toDouble();
            QVERIFY(std::abs(last_y(health, 0) - last_ratio * 100) < 1e-9);
        }
        QVERIFY(recorded_times.size() >= 2);

        // Restarted on the same file: the position's history is back before anything new is recorded.
        {
            ui::MainWindow window;
            WithHistory terminal(window, config(), file);
            QTRY_VERIFY_WITH_TIMEOUT(window.selectPosition(QString::fromStdString(id)), 30000);
            auto* model = window.historyModel();
            QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() >= int(recorded_times.size()), 20000);
            std::vector<qint64> times;
            for (int row = 0; row < model->rowCount(); ++row)
                if (model->index(row, ui::HistoryModel::Health).data().isValid())
                    times.push_back(qint64(model->index(row, ui::HistoryModel::TimeMs).data().toDouble()));
            QVERIFY(times.size() >= recorded_times.size());
            QVERIFY(std::equal(recorded_times.begin(), recorded_times.end(), times.begin()));
        }
        m_world->revert();
    }

    void aSilentNodeTurnsTheStatusRedWithoutFreezingTheWindow()
    {
        ui::MainWindow window;
        app::MonitorBridge bridge(config());
        app::connect_monitor(window, bridge);
        bridge.start();
        window.show();
        auto* model = window.positionModel();
        QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() > 0, 30000);
        auto* status = window.findChild<QLabel*>(QStringLiteral("connectionStatus"));

        // The window keeps handling events while a read sits unanswered at the node: timer events
        // are served while the proxy holds a request. (How long the longest pause is, is measured
        // by tests/bench/position_model_bench, not asserted here.)
        int ticks_while_held = 0;
        QTimer ticker;
        QObject::connect(&ticker, &QTimer::timeout, [&] {
            if (m_held.load() > 0) ++ticks_while_held;
        });
        ticker.start(10);
        m_silent = true;
        QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("offline")), 20000);
        // Neither the error nor the node's name shows the API key of its address.
        const QString node = window.findChild<QLabel*>(QStringLiteral("nodeStatus"))->text();
        QVERIFY2(node.contains(QStringLiteral("127.0.0.1")) && !node.contains(QStringLiteral("SECRETKEY")), qPrintable(node));
        QVERIFY2(!status->text().contains(QStringLiteral("SECRETKEY")) && !status->toolTip().contains(QStringLiteral("SECRETKEY")), qPrintable(status->toolTip()));
        QTRY_VERIFY_WITH_TIMEOUT(ticks_while_held >= 20, 20000);
        ticker.stop();
        QVERIFY(model->index(0, 0).data(ui::PositionTableModel::StaleRole).toBool());

        m_silent = false;
        QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("live")), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(!model->index(0, 0).data(ui::PositionTableModel::StaleRole).toBool() ||
                                     model->positionAt(0)->price_stale,
                                 20000);
    }

private:
    app::MonitorConfig config() const
    {
        app::MonitorConfig config;
        config.registry = m_registry;
        config.accounts = m_accounts;
        // A provider-style address with an API key in its path: the key must never be shown.
        config.node.urls = {m_proxy->url() + "/v2/SECRETKEY"};
        config.node.chain_id = m_registry.chain_id;
        config.node.read_rounds = 1;
        config.node.transport.total_timeout = std::chrono::milliseconds(1500);
        config.poll_ms = 100;
        return config;
    }

    /// Clicks the "Top up…" button drawn in the position's row, as a user does.
    static bool click_top_up_button(ui::MainWindow& window, const std::string& id)
    {
        auto* table = window.findChild<QTableView*>(QStringLiteral("positionsTable"));
        auto* model = window.positionModel();
        const QModelIndex cell = window.filterModel()->mapFromSource(model->index(model->rowOf(id), ui::PositionTableModel::Action));
        if (!cell.isValid() || cell.data().toString().isEmpty()) return false;
        table->scrollTo(cell);
        const QRect rect = table->visualRect(cell);
        if (rect.isEmpty()) return false;
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, rect.center());
        return true;
    }

    static ui::RiskLevel risk(const ui::PositionTableModel& model, int row)
    {
        return static_cast<ui::RiskLevel>(model.index(row, 0).data(ui::PositionTableModel::RiskRole).toInt());
    }

    std::unique_ptr<tests::DemoWorldFixture> m_world;
    Registry m_registry;
    std::vector<wallet::Address> m_accounts;
    std::unique_ptr<tests::FaultServer> m_proxy;
    std::atomic<bool> m_silent{false};
    /// Requests the proxy is holding unanswered right now.
    std::atomic<int> m_held{0};
};

NFTTERM_TEST_WIDGETS(TerminalWindowTest)
#include "terminal_window_test.moc"
