#include "settings_controller.hpp"

#include "worker_thread.hpp"

#include <ui/main_window.hpp>

#include <QSettings>

namespace nftterm::app {

SettingsController::SettingsController(ui::MainWindow& window, QSettings& settings, ui::TerminalSettings current, Apply apply)
    : QObject(&window), m_window(window), m_settings(settings), m_current(std::move(current)), m_apply(std::move(apply))
{
    register_worker_types();
    connect(&window, &ui::MainWindow::settingsRequested, this, &SettingsController::openDialog);
}

void SettingsController::openDialog()
{
    if (m_dialog) {
        m_dialog->raise();
        return;
    }
    m_dialog = new ui::SettingsDialog(m_current, &m_window);
    m_dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_dialog, &ui::SettingsDialog::applied, this, &SettingsController::applied);
    m_dialog->open();
}

void SettingsController::saveNetwork(quint64 chain_id, const QString& endpoint, const QString& registry)
{
    ui::TerminalSettings chosen = m_current;
    // The new endpoint serves; the ones already kept for the chain stay as fallbacks.
    QStringList urls{endpoint};
    for (const auto& url : m_current.endpoints.value(chain_id).split(u' ', Qt::SkipEmptyParts))
        if (url != endpoint) urls << url;
    chosen.endpoints[chain_id] = urls.join(u' ');
    chosen.registry = registry;
    applied(chosen);
}

void SettingsController::applied(const ui::TerminalSettings& chosen)
{
    const bool network_changed = chosen.endpoints != m_current.endpoints || chosen.registry != m_current.registry;
    const bool history_changed =
        chosen.history_heartbeat_s != m_current.history_heartbeat_s || chosen.history_retention_days != m_current.history_retention_days;
    m_current = chosen;
    m_current.save(m_settings);
    m_settings.sync();
    if (m_apply) m_apply(m_current);
    QString note = tr("Settings saved");
    if (network_changed || history_changed) note += tr("; %1 apply at the next start").arg(network_changed ? tr("endpoints and registry") : tr("the history settings"));
    m_window.addActivity(note);
}

}  // namespace nftterm::app
