#include "../support/demo_world_fixture.hpp"
#include "../support/terminal_fixture.hpp"
#include "../support/ledger_simulator.hpp"

#include "../support/fault_server.hpp"

#include <app/account_controller.hpp>
#include <app/action_controller.hpp>
#include <app/settings_controller.hpp>
#include <app/terminal.hpp>
#include <protocols/devnet/demo_world.hpp>
#include <protocols/eth/rpc/eth_api.hpp>
#include <ui/dialogs/top_up_dialog.hpp>
#include <ui/main_window.hpp>
#include <ui/terminal_settings.hpp>
#include <ui/models/position_table_model.hpp>
#include <ui/widgets/accounts_pane.hpp>
#include <ui/widgets/alerts_pane.hpp>
#include <wallet/accounts/account_store.hpp>
#include <wallet/accounts/atomic_file.hpp>
#include <wallet/keys/keystore.hpp>

#include <nlohmann/json.hpp>

#include <functional>

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QSpinBox>
#include <QFile>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QComboBox>
#include <QSpinBox>
#include <QTest>

#include <wallet/crypto/secret_memory.hpp>

#include "../support/test_registry.hpp"

#include <mutex>

#include <filesystem>
#include <fstream>

using namespace nftterm;
using namespace nftterm::protocols;
using wallet::U256;

namespace {

// Published vectors: the BIP-39 test mnemonic's first Ethereum account, and anvil's test account #2 (bob on the devnet).
const char* kMnemonic = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
const char* kMnemonicAddress = "0x9858EfFD232B4033E47d90003D41EC34EcaEda94";
const char* kBobKey = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";
const QString& kPassword = tests::kTerminalPassword;
using tests::child;

}  // namespace

/// The accounts, signer and settings side of the window, through the whole
/// terminal (app::Terminal, as main() builds it) on a live devnet: adding
/// accounts from a mnemonic, a private key and a watch-only address; the
/// active signer paying a watch-only account's pool loan; a keystore that
/// stays unlocked until idle; settings applied at once and remembered.
class TerminalAccountsTest : public QObject {
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

    void aMnemonicImportStoresItsFirstAccountAndABadOneStoresNothing()
    {
        QTemporaryDir data;
        QSettings settings(data.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
        ui::MainWindow window;
        app::Terminal terminal(window, settings, options(data.path()));
        QVERIFY(terminal.ready());
        terminal.accounts()->openAddDialog();
        auto* dialog = terminal.accounts()->dialog();
        QVERIFY(dialog);
        dialog->showKind(ui::AccountRequest::Kind::Mnemonic);
        auto* status = child<QLabel>(dialog, "accountStatus");

        // Eleven "abandon"s and "abandon": the checksum fails; nothing is written.
        child<QPlainTextEdit>(dialog, "accountMnemonic")->setPlainText(QStringLiteral("abandon ").repeated(11) + QStringLiteral("abandon"));
        child<QLineEdit>(dialog, "accountPassword")->setText(kPassword);
        child<QLineEdit>(dialog, "accountConfirm")->setText(kPassword);
        child<QPushButton>(dialog, "accountAdd")->click();
        QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("checksum"), Qt::CaseInsensitive), 10000);
        QVERIFY(!std::filesystem::exists(std::filesystem::path(data.path().toStdString()) / "keystore") ||
                std::filesystem::is_empty(std::filesystem::path(data.path().toStdString()) / "keystore"));

        // Passwords that differ are refused in the dialog.
        child<QPlainTextEdit>(dialog, "accountMnemonic")->setPlainText(QString::fromLatin1(kMnemonic));
        child<QLineEdit>(dialog, "accountConfirm")->setText(QStringLiteral("something else"));
        child<QPushButton>(dialog, "accountAdd")->click();
        QVERIFY(status->text().contains(QStringLiteral("differ")));

        child<QLineEdit>(dialog, "accountConfirm")->setText(kPassword);
        child<QLineEdit>(dialog, "accountLabel")->setText(QStringLiteral("vault"));
        child<QPushButton>(dialog, "accountAdd")->click();
        auto* list = child<QListWidget>(&window, "accountsList");
        QTRY_VERIFY_WITH_TIMEOUT(list->count() > 0 && list->item(0)->text().contains(QString::fromLatin1(kMnemonicAddress)), 20000);
        QVERIFY(list->item(0)->text().contains(QStringLiteral("vault")));
        QTRY_VERIFY(!terminal.accounts()->dialog());

        // The store holds an encrypted key, 0600, that the password opens to that address.
        auto store = wallet::AccountStore::open(data.path().toStdString());
        QVERIFY(store.has_value());
        QCOMPARE(store->accounts().size(), std::size_t(1));
        const auto& entry = store->accounts().front();
        QCOMPARE(entry.address.to_hex(), std::string(kMnemonicAddress));
        QCOMPARE(entry.label, std::string("vault"));
        const auto file = store->keystore_path(entry);
        QCOMPARE(std::filesystem::status(file).permissions() & std::filesystem::perms::all,
                 std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
        auto text = wallet::read_small_file(file);
        QVERIFY(text.has_value());
        const QByteArray password = kPassword.toUtf8();
        auto key = wallet::keystore::decrypt(*text, wallet::ByteView(reinterpret_cast<const std::uint8_t*>(password.constData()), std::size_t(password.size())));
        QVERIFY(key.has_value());
        QVERIFY(text->find("abandon") == std::string::npos);
    }

    void aLedgerAccountIsScannedAddedAndSignsAfterARestart()
    {
        tests::LedgerSimulator device("test test test test test test test test test test test junk");
        QVERIFY(device.listen());
        QTemporaryDir data;
        QSettings settings(data.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
        {
            ui::MainWindow window;
            app::Terminal terminal(window, settings, options(data.path()));
            QVERIFY(terminal.ready());
            terminal.accounts()->openAddDialog();
            auto* dialog = terminal.accounts()->dialog();
            QVERIFY(dialog);
            dialog->showKind(ui::AccountRequest::Kind::Ledger);
            // Nothing chosen yet: said in the dialog.
            child<QPushButton>(dialog, "accountAdd")->click();
            QVERIFY(child<QLabel>(dialog, "accountStatus")->text().contains(QStringLiteral("Scan")));
            child<QLineEdit>(dialog, "ledgerTransport")->setText(QString::fromStdString(device.transport_spec()));
            child<QPushButton>(dialog, "ledgerScan")->click();
            auto* found = child<QListWidget>(dialog, "ledgerAccounts");
            QTRY_COMPARE_WITH_TIMEOUT(found->count(), 5, 20000);
            QVERIFY(found->item(1)->text().contains(QString::fromStdString(m_world->address_of("alice").to_hex())));
            found->setCurrentRow(1);
            if (const QString shots = qEnvironmentVariable("NFTTERM_SHOT_DIR"); !shots.isEmpty()) dialog->grab().save(shots + QStringLiteral("/ledger-add.png"));
            child<QLineEdit>(dialog, "accountLabel")->setText(QStringLiteral("alice's ledger"));
            child<QPushButton>(dialog, "accountAdd")->click();
            QTRY_VERIFY_WITH_TIMEOUT(!terminal.accounts()->dialog(), 20000);
        }
        // In the store with its path and transport, no secret; after a restart it signs through the device.
        auto store = wallet::AccountStore::open(data.path().toStdString());
        QVERIFY(store.has_value());
        QCOMPARE(store->accounts().size(), std::size_t(1));
        QVERIFY(store->accounts().front().kind == wallet::AccountKind::Ledger);
        QCOMPARE(store->accounts().front().path, std::string("m/44'/60'/0'/0/1"));
        ui::MainWindow window;
        app::Terminal terminal(window, settings, options(data.path()));
        terminal.start();
        auto* model = window.positionModel();
        QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() > 0, 30000);
        const auto alice = m_world->address_of("alice");
        std::string id;
        for (int row = 0; row < model->rowCount() && id.empty(); ++row) {
            const auto* p = model->positionAt(row);
            if (p->key.protocol == positions::Protocol::BendDao && p->key.account == alice && p->state == positions::PositionState::Active) id = p->key.id();
        }
        QVERIFY(!id.empty());
        const int before = device.signatures();
        const auto plan = top_up(terminal, window, id, 2.5, {});
        QVERIFY(plan.has_value());
        QCOMPARE(device.signatures(), before + int(plan->calls.size()));
    }

    void theActiveSignerPaysAWatchedLoanAndStaysUnlockedUntilIdle()
    {
        // alice is watched only; bob's key comes in as a keystore.
        auto session = started_with_alice_and_bob("security/autoLockSeconds", 2);
        QVERIFY(session);
        auto& settings = session->settings;
        auto& window = session->window;
        auto& terminal = *session->terminal;
        const wallet::Address alice = m_world->address_of("alice");
        const wallet::Address bob = m_world->address_of("bob");
        QCOMPARE(terminal.accounts()->accounts()[1].address, QString::fromStdString(bob.to_hex()));

        // alice's positions appear once she is watched.
        auto* model = window.positionModel();
        std::string id;
        QTRY_VERIFY_WITH_TIMEOUT((id = weakest_pool_loan(*model, alice)) != "", 30000);

        // Without an active signer, nothing can be signed for her.
        Q_EMIT window.topUpRequested(QString::fromStdString(id));
        auto* dialog = terminal.actions()->dialog();
        QVERIFY(dialog);
        auto* confirm = child<QPushButton>(dialog, "topUpConfirm");
        auto* status = child<QLabel>(dialog, "topUpStatus");
        QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("watch-only")), 20000);
        QVERIFY(!confirm->isEnabled());
        dialog->close();

        // bob becomes the active signer (remembered): he pays, with his password once.
        window.accountsPane()->activeSignerChosen(QString::fromStdString(bob.to_hex()));
        QCOMPARE(settings.value(QStringLiteral("accounts/activeSigner")).toString(), QString::fromStdString(bob.to_hex()));
        const U256 bob_weth = weth(bob);
        const U256 alice_weth = weth(alice);
        auto plan = top_up(terminal, window, id, 0, kPassword);
        QVERIFY(plan.has_value());
        QCOMPARE(plan->account, bob);
        QCOMPARE(weth(bob), bob_weth - plan->amount);
        QCOMPARE(weth(alice), alice_weth);
        QTRY_VERIFY_WITH_TIMEOUT(terminal.actions()->isUnlocked(bob), 5000);

        // Right after, no password is asked: the keystore is still open.
        auto second = top_up(terminal, window, id, plan->target.native().convert_to<double>() / 1e18 + 0.3, {});
        QVERIFY(second.has_value());
        // Planned from the snapshot that holds the first top-up (an older one would repay it again): it lands at its target.
        QVERIFY(second->health_before >= plan->target * U256(999) / U256(1000));
        const auto* loan = model->positionAt(model->rowOf(id));
        const auto view = m_world->read(loan->key.contract, "getNftDebtData(address,uint256)",
                                        "[\"" + loan->collection.to_hex() + "\"," + tests::dec(*loan->token_id) + "]",
                                        "(uint256,address,uint256,uint256,uint256,uint256)");
        QVERIFY(view.has_value());
        const double health = U256::from_dec((*view)[5].get<std::string>())->native().convert_to<double>() / 1e18;
        QVERIFY2(std::abs(health - 1.8) < 1e-4, qPrintable(QString::number(health)));

        // Two idle seconds later it is locked, and the next top-up asks again.
        QTRY_VERIFY_WITH_TIMEOUT(!terminal.actions()->isUnlocked(bob), 10000);
        Q_EMIT window.topUpRequested(QString::fromStdString(id));
        dialog = terminal.actions()->dialog();
        set_target(dialog, second->target.native().convert_to<double>() / 1e18 + 0.3);
        QTRY_VERIFY2_WITH_TIMEOUT(child<QPushButton>(dialog, "topUpConfirm")->isEnabled() && terminal.actions()->plan().has_value(),
                                  qPrintable(child<QLabel>(dialog, "topUpStatus")->text()), 20000);
        QVERIFY(!child<QLineEdit>(dialog, "topUpPassword")->isHidden());
        dialog->close();
    }

    void aKeyNotToBeKeptIsWipedWhenItsTopUpEnds()
    {
        auto session = started_with_alice_and_bob("security/autoLockSeconds", 0);
        QVERIFY(session);
        auto& window = session->window;
        auto& terminal = *session->terminal;
        const wallet::Address alice = m_world->address_of("alice");
        const wallet::Address bob = m_world->address_of("bob");
        // Every secret the import touched is gone again: this is the process's baseline.
        const std::size_t baseline = wallet::live_secret_blocks();
        auto* model = window.positionModel();
        std::string id;
        QTRY_VERIFY_WITH_TIMEOUT((id = weakest_pool_loan(*model, alice)) != "", 30000);
        window.accountsPane()->activeSignerChosen(QString::fromStdString(bob.to_hex()));
        auto plan = top_up(terminal, window, id, 0, kPassword);
        QVERIFY(plan.has_value());
        // Auto-lock 0: the key was unlocked for this top-up only, and is wiped as it ends, not at the next signature.
        QVERIFY(!terminal.actions()->isUnlocked(bob));
        QTRY_COMPARE_WITH_TIMEOUT(wallet::live_secret_blocks(), baseline, 5000);
    }

    void theFeeCeilingOfTheSettingsStopsASignature()
    {
        // Below the devnet's base fee: no top-up can be signed.
        auto session = started_with_alice_and_bob("security/maxFeePerGasGwei", 0.001);
        QVERIFY(session);
        auto& window = session->window;
        auto& terminal = *session->terminal;
        const wallet::Address alice = m_world->address_of("alice");
        const wallet::Address bob = m_world->address_of("bob");
        auto* model = window.positionModel();
        std::string id;
        QTRY_VERIFY_WITH_TIMEOUT((id = weakest_pool_loan(*model, alice)) != "", 30000);
        window.accountsPane()->activeSignerChosen(QString::fromStdString(bob.to_hex()));
        const auto nonce_before = eth::get_transaction_count(m_world->client(), bob, eth::BlockTag::latest());
        QVERIFY(nonce_before.has_value());
        Q_EMIT window.topUpRequested(QString::fromStdString(id));
        auto* dialog = terminal.actions()->dialog();
        QVERIFY(dialog);
        auto* confirm = child<QPushButton>(dialog, "topUpConfirm");
        QTRY_VERIFY_WITH_TIMEOUT(confirm->isEnabled(), 20000);
        child<QLineEdit>(dialog, "topUpPassword")->setText(kPassword);
        confirm->click();
        auto* status = child<QLabel>(dialog, "topUpStatus");
        QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("above your ceiling")), 30000);
        QVERIFY2(status->text().contains(QStringLiteral("nothing was signed")), qPrintable(status->text()));
        QCOMPARE(*eth::get_transaction_count(m_world->client(), bob, eth::BlockTag::latest()), *nonce_before);
        dialog->close();
    }

    void theAlertWebhookOfTheSettingsGetsTheWindowsAlerts()
    {
        std::mutex mutex;
        QStringList bodies;
        tests::FaultServer receiver([&](const std::string& body) {
            std::lock_guard lock(mutex);
            bodies << QString::fromStdString(body);
            return std::string("ok");
        });
        const auto received = [&] {
            std::lock_guard lock(mutex);
            return bodies;
        };
        auto session = started_with_alice_and_bob("alerts/webhook", QString::fromStdString(receiver.url() + "/hook"));
        QVERIFY(session);
        // alice's weakest DAPE loan is under the critical level from the first block: its alert is in the dock and at the webhook.
        auto* pane = session->window.alertsPane();
        QTRY_VERIFY_WITH_TIMEOUT(pane->firingCount() > 0, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(!received().isEmpty(), 15000);
        bool critical = false;
        for (const auto& body : received()) {
            const auto alert = QJsonDocument::fromJson(body.toUtf8()).object();
            for (const char* key : {"id", "rule", "severity", "state", "position", "account", "message", "value", "threshold", "block"})
                QVERIFY2(alert.contains(QLatin1String(key)), key);
            critical = critical || alert.value(QStringLiteral("severity")).toString() == QStringLiteral("critical");
        }
        QVERIFY(critical);
        // The alert log is written beside the history.
        QVERIFY(QFile::exists(session->data.filePath(QStringLiteral("alerts.sqlite"))));
    }

    void settingsApplyAtOnceAndTheEndpointIsUsedAtTheNextStart()
    {
        QTemporaryDir data;
        const QString ini = data.filePath(QStringLiteral("settings.ini"));
        const wallet::Address alice = m_world->address_of("alice");
        {
            auto store = wallet::AccountStore::open(data.path().toStdString());
            QVERIFY(store.has_value());
            QVERIFY(store->add_watch_only(alice, "cold").has_value());
        }
        {
            QSettings settings(ini, QSettings::IniFormat);
            ui::MainWindow window;
            auto with_url = options(data.path());
            app::Terminal terminal(window, settings, with_url);
            terminal.start();
            auto* model = window.positionModel();
            std::string id;
            QTRY_VERIFY_WITH_TIMEOUT((id = strongest_pool_loan(*model, alice)) != "", 30000);
            const double health = model->positionAt(model->rowOf(id))->health_factor->native().convert_to<double>() / 1e18;
            QVERIFY2(health > 1.5, "alice's strongest pool loan should be safe at the default levels");
            QCOMPARE(risk(*model, id), ui::RiskLevel::Safe);

            terminal.settings()->openDialog();
            auto* dialog = terminal.settings()->dialog();
            // A critical level above the warning one is refused, and nothing is saved.
            child<QDoubleSpinBox>(dialog, "settingsHealthCritical")->setValue(3.0);
            child<QDoubleSpinBox>(dialog, "settingsHealthWarning")->setValue(2.0);
            child<QPushButton>(dialog, "settingsOk")->click();
            QVERIFY(child<QLabel>(dialog, "settingsStatus")->text().contains(QStringLiteral("critical")));
            QVERIFY(!settings.contains(QStringLiteral("risk/healthWarning")));

            // Warning just above this loan's health: the row turns amber at once.
            child<QDoubleSpinBox>(dialog, "settingsHealthCritical")->setValue(1.1);
            child<QDoubleSpinBox>(dialog, "settingsHealthWarning")->setValue(std::ceil(health * 100 + 1) / 100);
            auto* endpoints = child<QTableWidget>(dialog, "settingsEndpoints");
            endpoints->insertRow(0);
            endpoints->setItem(0, 0, new QTableWidgetItem(QString::number(m_world->manifest().chain_id)));
            endpoints->setItem(0, 1, new QTableWidgetItem(QString::fromStdString(m_world->url())));
            // The signing and network bounds are remembered too.
            child<QDoubleSpinBox>(dialog, "settingsMaxFeePerGas")->setValue(80);
            child<QDoubleSpinBox>(dialog, "settingsMaxFee")->setValue(0.02);
            child<QSpinBox>(dialog, "settingsMaxResponse")->setValue(16);
            child<QCheckBox>(dialog, "settingsInsecureHttp")->setChecked(true);
            child<QLineEdit>(dialog, "settingsAlertCommand")->setText(QStringLiteral("cat > /dev/null"));
            child<QSpinBox>(dialog, "settingsAlertEscalate")->setValue(5);
            child<QPushButton>(dialog, "settingsOk")->click();
            QTRY_COMPARE(risk(*model, id), ui::RiskLevel::Warning);
        }
        // Restarted without --rpc-url: the registry names no node, the saved endpoint does.
        QSettings settings(ini, QSettings::IniFormat);
        QCOMPARE(settings.value(QStringLiteral("risk/healthCritical")).toDouble(), 1.1);
        const auto remembered = ui::TerminalSettings::load(settings);
        QCOMPARE(remembered.max_fee_per_gas_gwei, 80.0);
        QCOMPARE(remembered.max_fee_eth, 0.02);
        QCOMPARE(remembered.max_response_mb, 16);
        QVERIFY(remembered.allow_insecure_http);
        QCOMPARE(remembered.alert_command, QStringLiteral("cat > /dev/null"));
        QCOMPARE(remembered.alert_escalate_minutes, 5);
        ui::MainWindow window;
        auto without_url = options(data.path());
        without_url.rpc_urls.clear();
        app::Terminal terminal(window, settings, without_url);
        QVERIFY2(terminal.ready(), qPrintable(terminal.problem()));
        terminal.start();
        QTRY_VERIFY_WITH_TIMEOUT(window.positionModel()->rowCount() > 0, 30000);
        QCOMPARE(window.positionModel()->thresholds().health_critical, 1.1);
    }

private:
    /// A terminal on a data folder of its own, with one setting preset.
    struct Session {
        QTemporaryDir data;
        QSettings settings{data.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat};
        ui::MainWindow window;
        std::unique_ptr<app::Terminal> terminal;
    };

    /// Started, with alice watched only and bob's key imported (watch_alice_and_import_bob); null if it could not start.
    std::unique_ptr<Session> started_with_alice_and_bob(const char* setting, const QVariant& value)
    {
        auto session = std::make_unique<Session>();
        session->settings.setValue(QString::fromLatin1(setting), value);
        session->terminal = std::make_unique<app::Terminal>(session->window, session->settings, options(session->data.path()));
        if (!session->terminal->ready()) return nullptr;
        session->terminal->start();
        watch_alice_and_import_bob(*session->terminal);
        return session;
    }

    /// Through the add-account dialog: alice watched only (labelled "cold"), bob's key imported into a keystore.
    void watch_alice_and_import_bob(app::Terminal& terminal)
    {
        const wallet::Address alice = m_world->address_of("alice");
        add(terminal, ui::AccountRequest::Kind::WatchOnly, [&](QDialog* dialog) {
            child<QLineEdit>(dialog, "accountAddress")->setText(QString::fromStdString(alice.to_hex()));
            child<QLineEdit>(dialog, "accountLabel")->setText(QStringLiteral("cold"));
        });
        add(terminal, ui::AccountRequest::Kind::PrivateKey, [&](QDialog* dialog) {
            child<QLineEdit>(dialog, "accountPrivateKey")->setText(QString::fromLatin1(kBobKey));
            child<QLineEdit>(dialog, "accountPassword")->setText(kPassword);
            child<QLineEdit>(dialog, "accountConfirm")->setText(kPassword);
        });
        QTRY_COMPARE_WITH_TIMEOUT(int(terminal.accounts()->accounts().size()), 2, 20000);
    }

    app::TerminalOptions options(const QString& data_dir) const { return tests::terminal_options(m_registry, m_world->url(), data_dir); }

    template <typename Fill>
    static void add(app::Terminal& terminal, ui::AccountRequest::Kind kind, Fill fill)
    {
        tests::add_account(terminal, kind, fill);
    }

    /// Tops up `id` (to `target`, or the default when 0) through the dialog; the plan once landed.
    std::optional<actions::PositionPlan> top_up(app::Terminal& terminal, ui::MainWindow& window, const std::string& id, double target,
                                                  const QString& password)
    {
        Q_EMIT window.topUpRequested(QString::fromStdString(id));
        auto* dialog = terminal.actions()->dialog();
        if (!dialog) return std::nullopt;
        auto* confirm = child<QPushButton>(dialog, "topUpConfirm");
        if (target > 0) set_target(dialog, target);
        const auto planned = [&] {
            const auto& plan = terminal.actions()->plan();
            return confirm->isEnabled() && plan && (target <= 0 || std::abs(plan->target.native().convert_to<double>() / 1e18 - target) < 1e-9);
        };
        if (!QTest::qWaitFor(planned, 20000)) {
            qWarning("no plan: %s", qPrintable(child<QLabel>(dialog, "topUpStatus")->text()));
            return std::nullopt;
        }
        auto* password_field = child<QLineEdit>(dialog, "topUpPassword");
        // The field is shown exactly when the keystore is locked.
        if (password.isEmpty() == !password_field->isHidden()) {
            qWarning("the password field is %s", password_field->isHidden() ? "hidden" : "shown");
            return std::nullopt;
        }
        password_field->setText(password);
        const auto plan = *terminal.actions()->plan();
        confirm->click();
        auto* status = child<QLabel>(dialog, "topUpStatus");
        if (!QTest::qWaitFor([&] { return status->text().startsWith(QStringLiteral("Landed")); }, 30000)) {
            qWarning("%s", qPrintable(status->text()));
            auto* activity = window.findChild<QListWidget*>(QStringLiteral("activityList"));
            for (int row = 0; activity && row < activity->count(); ++row) qWarning("activity: %s", qPrintable(activity->item(row)->text()));
            return std::nullopt;
        }
        dialog->close();
        return plan;
    }

    /// As a user does: types the target and leaves the field.
    static void set_target(QWidget* dialog, double target)
    {
        auto* spin = child<QDoubleSpinBox>(dialog, "topUpTarget");
        spin->setValue(target);
        Q_EMIT spin->editingFinished();
    }

    static std::string weakest_pool_loan(const ui::PositionTableModel& model, const wallet::Address& account)
    {
        std::string id;
        double weakest = 1e300;
        for (int row = 0; row < model.rowCount(); ++row) {
            const auto* position = model.positionAt(row);
            if (position->key.protocol != protocols::positions::Protocol::BendDao || position->key.account != account || position->state != protocols::positions::PositionState::Active) continue;
            const double health = position->health_factor->native().convert_to<double>();
            if (health < weakest) weakest = health, id = position->key.id();
        }
        return id;
    }

    static std::string strongest_pool_loan(const ui::PositionTableModel& model, const wallet::Address& account)
    {
        std::string id;
        double strongest = 0;
        for (int row = 0; row < model.rowCount(); ++row) {
            const auto* position = model.positionAt(row);
            if (position->key.protocol != protocols::positions::Protocol::BendDao || position->key.account != account || position->state != protocols::positions::PositionState::Active) continue;
            const double health = position->health_factor->native().convert_to<double>();
            if (health > strongest) strongest = health, id = position->key.id();
        }
        return id;
    }

    static ui::RiskLevel risk(const ui::PositionTableModel& model, const std::string& id)
    {
        return static_cast<ui::RiskLevel>(model.index(model.rowOf(id), 0).data(ui::PositionTableModel::RiskRole).toInt());
    }

    U256 weth(const wallet::Address& who)
    {
        return m_world->read_u256(m_world->contract("WETH9"), "balanceOf(address)", "[\"" + who.to_hex() + "\"]");
    }

    std::unique_ptr<tests::DemoWorldFixture> m_world;
    QTemporaryDir m_dir;
    std::string m_registry;
};

NFTTERM_TEST_WIDGETS(TerminalAccountsTest)
#include "terminal_accounts_test.moc"
