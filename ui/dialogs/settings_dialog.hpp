#pragma once

#include <ui/terminal_settings.hpp>

#include <QDialog>

class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTableWidget;

namespace nftterm::ui {

/// Edits the terminal's settings: RPC endpoints per chain and the registry,
/// risk thresholds, top-up targets, refresh policy and keystore auto-lock.
/// OK checks them (a critical level below its warning level, endpoints that
/// are URLs) and emits applied(); the app applies what it can at once and
/// says what waits for a restart.
class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    explicit SettingsDialog(const TerminalSettings& settings, QWidget* parent = nullptr);

    /// What the fields say now.
    TerminalSettings settings() const;

Q_SIGNALS:
    void applied(const nftterm::ui::TerminalSettings& settings);

private:
    void apply();
    QString problem(const TerminalSettings& settings) const;

    TerminalSettings m_initial;
    QTableWidget* m_endpoints = nullptr;
    QLineEdit* m_registry = nullptr;
    QDoubleSpinBox* m_health_warning = nullptr;
    QDoubleSpinBox* m_health_critical = nullptr;
    QDoubleSpinBox* m_margin_warning = nullptr;
    QDoubleSpinBox* m_margin_critical = nullptr;
    QDoubleSpinBox* m_maturity_warning = nullptr;
    QDoubleSpinBox* m_maturity_critical = nullptr;
    QDoubleSpinBox* m_health_target = nullptr;
    QDoubleSpinBox* m_margin_target = nullptr;
    QSpinBox* m_poll = nullptr;
    QSpinBox* m_heartbeat = nullptr;
    QSpinBox* m_retention = nullptr;
    QSpinBox* m_auto_lock = nullptr;
    QDoubleSpinBox* m_max_fee_per_gas = nullptr;
    QDoubleSpinBox* m_max_fee = nullptr;
    QCheckBox* m_insecure_http = nullptr;
    QSpinBox* m_max_response = nullptr;
    QCheckBox* m_alert_desktop = nullptr;
    QLineEdit* m_alert_webhook = nullptr;
    QLineEdit* m_alert_command = nullptr;
    QSpinBox* m_alert_escalate = nullptr;
    QSpinBox* m_alert_quiet_from = nullptr;
    QSpinBox* m_alert_quiet_to = nullptr;
    QCheckBox* m_alert_sound = nullptr;
    QLabel* m_status = nullptr;
};

}  // namespace nftterm::ui
