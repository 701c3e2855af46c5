#include "terminal.hpp"

#include "account_controller.hpp"
#include "account_rows.hpp"
#include "alert_log.hpp"
#include "alert_notifier.hpp"
#include "action_controller.hpp"
#include "error_words.hpp"

#include <protocols/eth/rpc/endpoint_url.hpp>
#include <protocols/risk/alert_rules_file.hpp>
#include <wallet/accounts/atomic_file.hpp>
#include "book_service.hpp"
#include "history_service.hpp"
#include "monitor_bridge.hpp"
#include "perp_trigger_controller.hpp"
#include "settings_controller.hpp"
#include "terminal_wiring.hpp"

#include <ui/main_window.hpp>
#include <ui/widgets/charts_pane.hpp>

#include <QSettings>

#include <algorithm>

namespace nftterm::app {
namespace {

/// The settings' ceilings in wei (gwei and ETH as a person types them).
protocols::eth::FeeCeiling fee_ceiling(const ui::TerminalSettings& settings)
{
    protocols::eth::FeeCeiling ceiling;
    if (auto per_gas = wallet::U256::parse_units(QString::number(settings.max_fee_per_gas_gwei, 'f', 9).toStdString(), 9)) ceiling.max_fee_per_gas = *per_gas;
    if (auto total = wallet::U256::parse_units(QString::number(settings.max_fee_eth, 'f', 18).toStdString(), 18)) ceiling.max_total_fee = *total;
    return ceiling;
}

/// A level as typed in the settings (1.05) as WAD.
wallet::U256 wad_of(double level)
{
    return wallet::U256::parse_units(QString::number(level, 'f', 6).toStdString(), 18).value_or(wallet::U256());
}

}  // namespace

Terminal::Terminal(ui::MainWindow& window, QSettings& settings, TerminalOptions options) : QObject(&window), m_window(window)
{
    const auto preferences = ui::TerminalSettings::load(settings);
    window.setRiskThresholds(preferences.thresholds);
    const std::filesystem::path registry = options.registry                 ? *options.registry
                                           : !preferences.registry.isEmpty() ? std::filesystem::path(preferences.registry.toStdString())
                                                                             : options.data_dir / "devnet" / "manifest.json";
    std::map<std::uint64_t, std::string> endpoints;
    for (auto it = preferences.endpoints.begin(); it != preferences.endpoints.end(); ++it) endpoints[it.key()] = it.value().toStdString();
    auto setup = terminal_setup(registry, options.rpc_urls, options.data_dir, endpoints);
    if (setup) {
        setup->monitor.node.allow_insecure_http = preferences.allow_insecure_http || options.allow_insecure_http;
        setup->monitor.node.transport.max_response_bytes = static_cast<std::size_t>(std::clamp(preferences.max_response_mb, 1, 4096)) << 20;
    }

    m_account_service = std::make_unique<AccountService>(options.data_dir, options.kdf);
    std::vector<ui::AccountRow> rows;
    QHash<QString, QString> symbols;
    if (setup) {
        setup->monitor.poll_ms = std::max(50, options.poll_ms.value_or(preferences.poll_ms));
        rows = setup->accounts;
        symbols = setup->collection_symbols;
        m_data_dir = options.data_dir;
        m_chain_id = setup->monitor.registry.chain_id;
        setup->monitor.alert_levels = alertLevels(preferences);
        for (const auto& [address, label] : setup->account_labels.asKeyValueRange())
            if (auto account = wallet::Address::from_hex(address.toStdString())) setup->monitor.alert_names.accounts[*account] = label.toStdString();
        for (const auto& [address, symbol] : setup->collection_symbols.asKeyValueRange())
            if (auto collection = wallet::Address::from_hex(address.toStdString())) setup->monitor.alert_names.collections[*collection] = symbol.toStdString();
        // What happened to alerts survives a restart; an acknowledged one comes back seen.
        if (auto log = AlertLog::open(QString::fromStdString((options.data_dir / "alerts.sqlite").string()))) {
            m_alert_log = std::move(*log);
            setup->monitor.alerts_acknowledged = m_alert_log->acknowledged();
        } else {
            window.addActivity(log.error());
        }
        m_bridge = std::make_unique<MonitorBridge>(setup->monitor);
        connect_monitor(window, *m_bridge);
        m_notifier = new AlertNotifier(this);
        m_notifier->setEnabled(preferences.alert_desktop);
        m_notifier->setQuietHours(preferences.alert_quiet_from, preferences.alert_quiet_to);
        m_notifier->setSound(preferences.alert_sound);
        setAlertChannels(preferences);
        connect_alerts(window, *m_bridge, *m_notifier, m_alert_log.get(), [this](const protocols::risk::Alert& alert) {
            const std::string line = protocols::risk::alert_to_json(alert);
            for (const auto& channel : m_alert_channels) channel->post(line);
        });
        // History: recorded off the GUI thread, read when a position is selected.
        HistoryPolicy policy;
        policy.heartbeat_seconds = static_cast<std::uint64_t>(std::max(0, preferences.history_heartbeat_s));
        policy.retention_seconds = static_cast<std::uint64_t>(std::max(1, preferences.history_retention_days)) * 86400;
        m_history = std::make_unique<HistoryService>(QString::fromStdString((options.data_dir / "history.sqlite").string()), policy);
        connect_history(window, *m_bridge, *m_history);
        // The depth chart: the selected position's collection's book, read again at each block.
        m_book = std::make_unique<BookService>(setup->monitor.node, setup->monitor.registry);
        connect(&window, &ui::MainWindow::bookRequested, m_book.get(), &BookService::request);
        connect(m_bridge.get(), &MonitorBridge::snapshotReady, m_book.get(), [book = m_book.get()] { book->refresh(); });
        connect(m_book.get(), &BookService::ready, &window, [&window](const BookView& book) { window.chartsPane()->setBook(book.title, book.bids, book.asks); });
        connect(m_book.get(), &BookService::failed, &window, [&window](const QString& why) { window.addActivity(tr("Depth: %1").arg(why)); });
        m_actions = new ActionController(window, setup->monitor.node, setup->monitor.registry, setup->signers, setup->journal,
                                         preferences.health_target, preferences.margin_target);
        m_actions->setParent(this);
        QList<QPair<QString, QString>> collections;
        for (const auto& [address, symbol] : setup->collection_symbols.asKeyValueRange()) collections.append({symbol, address});
        std::sort(collections.begin(), collections.end());
        connect(&window, &ui::MainWindow::tradeRequested, m_actions, [this, collections] { m_actions->openTradeTicket(collections); });
        m_actions->setAutoLock(preferences.auto_lock_s);
        m_actions->setOffersFile(registry);
        m_actions->setFeeCeiling(fee_ceiling(preferences));
        // Stop-losses and take-profits on perps, in the file the watcher's --triggers reads.
        m_triggers = new PerpTriggerController(window, *m_actions, options.data_dir / "perp_triggers.json", this);
        connect(m_bridge.get(), &MonitorBridge::snapshotReady, m_triggers, &PerpTriggerController::observe);
        window.addActivity(tr("Watching %1 accounts on chain %2").arg(setup->monitor.accounts.size()).arg(setup->monitor.registry.chain_id));
    } else {
        m_problem = words(setup.error());
        if (auto store = wallet::AccountStore::open(options.data_dir)) rows = account_rows(store->accounts());
        window.addActivity(m_problem);
    }

    AccountController::Hooks hooks;
    hooks.watch = [this](const std::vector<wallet::Address>& accounts) {
        if (m_bridge) m_bridge->setAccounts(accounts);
    };
    hooks.signer = [this](const wallet::Address& account, const SignerSource& source) {
        if (m_actions) m_actions->setSigner(account, source);
    };
    hooks.active_signer = [this](const std::optional<wallet::Address>& account) {
        if (m_actions) m_actions->setActiveSigner(account);
    };
    m_accounts = new AccountController(window, *m_account_service, std::move(rows), std::move(symbols), settings, std::move(hooks));
    m_settings = new SettingsController(window, settings, preferences, [this](const ui::TerminalSettings& chosen) { applySettings(chosen); });
    // Owned here, so that they go with the threads they use.
    m_accounts->setParent(this);
    m_settings->setParent(this);
}

Terminal::~Terminal()
{
    // The monitor first: no snapshot may reach a history that is gone.
    m_bridge.reset();
    m_book.reset();
    m_history.reset();
}

void Terminal::start()
{
    if (m_bridge) m_bridge->start();
}

void Terminal::setAlertChannels(const ui::TerminalSettings& settings)
{
    m_alert_channels.clear();
    // Failures come back from the channels' threads: shown in the activity pane, queued to the GUI thread.
    const auto report = [window = &m_window](const std::string& why) {
        QMetaObject::invokeMethod(window, [window, why] { window->addActivity(tr("Alert delivery: %1").arg(QString::fromStdString(why))); },
                                  Qt::QueuedConnection);
    };
    if (const std::string url = settings.alert_webhook.toStdString(); !url.empty()) {
        if (auto checked = protocols::eth::check_endpoint_url(url, settings.allow_insecure_http); !checked)
            m_window.addActivity(tr("The alert webhook is off: %1").arg(words(checked.error())));
        else
            m_alert_channels.push_back(std::make_unique<protocols::risk::AlertChannel>(
                "webhook", [url](const std::string& line) { return protocols::risk::post_json(url, line); }, report));
    }
    if (const std::string command = settings.alert_command.toStdString(); !command.empty())
        m_alert_channels.push_back(std::make_unique<protocols::risk::AlertChannel>(
            "alert command", [command](const std::string& line) { return protocols::risk::run_with_stdin(command, line); }, report, 1));
}

protocols::risk::AlertLevels Terminal::alertLevels(const ui::TerminalSettings& settings)
{
    // The alerts hold positions to the same health levels as the table's colours, unless the rules
    // file the headless watcher reads (DATA_DIR/alert_rules.json) says otherwise.
    protocols::risk::AlertLevels levels;
    levels.health_warning = wad_of(settings.thresholds.health_warning);
    levels.health_critical = wad_of(settings.thresholds.health_critical);
    levels.top_up_target = wad_of(settings.health_target);
    if (const auto rules_file = m_data_dir / "alert_rules.json"; std::filesystem::exists(rules_file)) {
        auto text = wallet::read_small_file(rules_file);
        auto rules = text ? protocols::risk::levels_from_json(*text)
                          : protocols::Result<protocols::risk::AlertLevels>(protocols::fail(protocols::Errc::Io, "cannot read " + rules_file.string()));
        if (rules) levels = *rules;
        else m_window.addActivity(tr("The alert rules file is not used: %1").arg(words(rules.error())));
    }
    if (m_chain_id == 31337) levels.node_lagging_seconds = 0;  // anvil mines on demand
    levels.escalate_every_seconds = static_cast<std::uint64_t>(std::max(1, settings.alert_escalate_minutes)) * 60;
    return levels;
}

void Terminal::applySettings(const ui::TerminalSettings& chosen)
{
    if (m_notifier) {
        m_notifier->setEnabled(chosen.alert_desktop);
        m_notifier->setQuietHours(chosen.alert_quiet_from, chosen.alert_quiet_to);
        m_notifier->setSound(chosen.alert_sound);
    }
    if (m_bridge) setAlertChannels(chosen);
    m_window.setRiskThresholds(chosen.thresholds);
    if (m_actions) {
        m_actions->setTargets(chosen.health_target, chosen.margin_target);
        m_actions->setAutoLock(chosen.auto_lock_s);
        m_actions->setFeeCeiling(fee_ceiling(chosen));
    }
    if (m_bridge) {
        m_bridge->setPollMs(chosen.poll_ms);
        m_bridge->setAlertLevels(alertLevels(chosen));  // from the next block on; what fires keeps its state
    }
}

}  // namespace nftterm::app
