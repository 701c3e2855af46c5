#pragma once

#include <ui/models/risk_level.hpp>

#include <QMap>
#include <QMetaType>
#include <QString>

class QSettings;

namespace nftterm::ui {

/// What the user sets once and the terminal remembers (QSettings): where
/// the chains are, when a position counts as at risk, what a top-up aims
/// for, how often to look, and how long an unlocked keystore stays open.
struct TerminalSettings {
    /// Chain id → JSON-RPC endpoint; used unless --rpc-url is given.
    QMap<quint64, QString> endpoints;
    /// The registry (or devnet manifest) to open; empty: the devnet's. --registry overrides it.
    QString registry;
    RiskThresholds thresholds;
    double health_target = 1.5;
    double margin_target = 0.25;
    /// How often the head is polled (ms).
    int poll_ms = 1000;
    /// History: a changing position is recorded at least this often (s).
    int history_heartbeat_s = 300;
    /// History: samples older than this (days of chain time) are deleted at start.
    int history_retention_days = 90;
    /// An unlocked keystore locks after this long unused (s; 0: ask for every signature).
    int auto_lock_s = 300;
    /// Nothing is signed above these (the fee ceiling): per gas, in gwei, and per transaction, in ETH.
    double max_fee_per_gas_gwei = 500;
    double max_fee_eth = 0.1;
    /// Plain http:// to a node on another machine (anyone on the way can change its answers).
    bool allow_insecure_http = false;
    /// The largest answer read from a node (MiB); a larger one is refused, not buffered.
    int max_response_mb = 64;
    /// Alerts: desktop notifications, a webhook (the alert JSON POSTed) and a
    /// command (the alert JSON on its stdin); empty: off. A critical alert
    /// not acknowledged is notified again this often (minutes).
    bool alert_desktop = true;
    QString alert_webhook;
    QString alert_command;
    int alert_escalate_minutes = 15;
    /// Quiet hours (local time, from..to, equal: none): only critical alerts reach the desktop then.
    int alert_quiet_from = 0;
    int alert_quiet_to = 0;
    /// A sound (the desktop's bell) for each critical alert.
    bool alert_sound = false;

    static TerminalSettings load(const QSettings& settings);
    void save(QSettings& settings) const;
};

}  // namespace nftterm::ui

Q_DECLARE_METATYPE(nftterm::ui::TerminalSettings)
