#pragma once

#include <ui/dialogs/settings_dialog.hpp>
#include <ui/terminal_settings.hpp>

#include <QObject>
#include <QPointer>

#include <functional>

class QSettings;

namespace nftterm::ui {
class MainWindow;
}

namespace nftterm::app {

/// Wallet ▸ Settings…: opens the dialog on the current settings; what the
/// user applies is saved to QSettings and handed to `apply`, which changes
/// what can change at once (thresholds, targets, polling, auto-lock).
class SettingsController : public QObject {
    Q_OBJECT
public:
    using Apply = std::function<void(const ui::TerminalSettings&)>;

    SettingsController(ui::MainWindow& window, QSettings& settings, ui::TerminalSettings current, Apply apply);

    void openDialog();
    /// Saves a node and registry chosen elsewhere (the first run's Connect): the endpoint first for its chain.
    void saveNetwork(quint64 chain_id, const QString& endpoint, const QString& registry);
    ui::SettingsDialog* dialog() const { return m_dialog; }
    const ui::TerminalSettings& current() const { return m_current; }

private:
    void applied(const ui::TerminalSettings& chosen);

    ui::MainWindow& m_window;
    QSettings& m_settings;
    ui::TerminalSettings m_current;
    Apply m_apply;
    QPointer<ui::SettingsDialog> m_dialog;
};

}  // namespace nftterm::app
