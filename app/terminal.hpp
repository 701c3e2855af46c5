#pragma once

#include "terminal_setup.hpp"

#include <ui/terminal_settings.hpp>
#include <wallet/keys/keystore.hpp>

#include <protocols/risk/alert_channels.hpp>

#include <QObject>
#include <QString>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

class QSettings;

namespace nftterm::ui {
class MainWindow;
}

namespace nftterm::app {

class AccountController;
class AccountService;
class ActionController;
class AlertLog;
class AlertNotifier;
class BookService;
class HistoryService;
class MonitorBridge;
class PerpTriggerController;
class SettingsController;

/// What the command line says; unset: the settings decide.
struct TerminalOptions {
    std::optional<std::filesystem::path> registry = {};
    /// --rpc-url, once or more: the first serves, the others take over and confirm critical alerts.
    std::vector<std::string> rpc_urls = {};
    std::optional<int> poll_ms = {};
    /// --allow-insecure-http (or the setting): plain http to a remote node.
    bool allow_insecure_http = false;
    std::filesystem::path data_dir;
    /// Keystores the GUI writes (tests use light scrypt).
    wallet::keystore::ScryptParams kdf = wallet::keystore::ScryptParams::standard();
};

/// The terminal put together around a window: the monitor and history
/// threads, top-ups, accounts and settings, all wired to the window. The
/// one composition root of the GUI (main() and the window tests use it).
/// Destroying it stops the threads.
class Terminal : public QObject {
    Q_OBJECT
public:
    Terminal(ui::MainWindow& window, QSettings& settings, TerminalOptions options);
    ~Terminal() override;

    /// Starts watching (when the registry could be read).
    void start();
    bool ready() const { return m_bridge != nullptr; }
    /// Why the terminal could not be set up, in words (empty when it could).
    const QString& problem() const { return m_problem; }

    MonitorBridge* monitor() const { return m_bridge.get(); }
    ActionController* actions() const { return m_actions; }
    AccountController* accounts() const { return m_accounts; }
    SettingsController* settings() const { return m_settings; }
    AlertNotifier* notifier() const { return m_notifier; }
    PerpTriggerController* triggers() const { return m_triggers; }

private:
    void applySettings(const ui::TerminalSettings& settings);

    ui::MainWindow& m_window;
    QString m_problem;
    std::unique_ptr<MonitorBridge> m_bridge;
    std::unique_ptr<HistoryService> m_history;
    std::unique_ptr<BookService> m_book;
    std::unique_ptr<AccountService> m_account_service;
    ActionController* m_actions = nullptr;
    AccountController* m_accounts = nullptr;
    SettingsController* m_settings = nullptr;
    AlertNotifier* m_notifier = nullptr;
    PerpTriggerController* m_triggers = nullptr;
    std::unique_ptr<AlertLog> m_alert_log;
    /// The webhook and the command of Settings ▸ Alerts (each on a thread of its own).
    std::vector<std::unique_ptr<protocols::risk::AlertChannel>> m_alert_channels;
    void setAlertChannels(const ui::TerminalSettings& settings);
    /// The settings' levels, or the rules file's (DATA_DIR/alert_rules.json) when there is one.
    protocols::risk::AlertLevels alertLevels(const ui::TerminalSettings& settings);
    std::filesystem::path m_data_dir;
    std::uint64_t m_chain_id = 0;
};

}  // namespace nftterm::app
