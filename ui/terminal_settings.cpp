#include "terminal_settings.hpp"

#include <QSettings>

namespace nftterm::ui {

namespace {

double number(const QSettings& settings, const char* key, double fallback)
{
    bool ok = false;
    const double value = settings.value(QString::fromLatin1(key), fallback).toDouble(&ok);
    return ok ? value : fallback;
}

}  // namespace

TerminalSettings TerminalSettings::load(const QSettings& settings)
{
    TerminalSettings loaded;
    const QString endpoints = settings.value(QStringLiteral("network/endpoints")).toString();
    // "chain=url" pairs, one per line: readable and editable in the ini file.
    for (const QString& line : endpoints.split(u'\n', Qt::SkipEmptyParts)) {
        const auto at = line.indexOf(u'=');
        bool ok = false;
        const quint64 chain = line.left(at).trimmed().toULongLong(&ok);
        if (at > 0 && ok) loaded.endpoints.insert(chain, line.mid(at + 1).trimmed());
    }
    loaded.registry = settings.value(QStringLiteral("network/registry")).toString();
    auto& t = loaded.thresholds;
    t.health_warning = number(settings, "risk/healthWarning", t.health_warning);
    t.health_critical = number(settings, "risk/healthCritical", t.health_critical);
    t.margin_warning = number(settings, "risk/marginWarning", t.margin_warning);
    t.margin_critical = number(settings, "risk/marginCritical", t.margin_critical);
    t.maturity_warning_days = number(settings, "risk/maturityWarningDays", t.maturity_warning_days);
    t.maturity_critical_days = number(settings, "risk/maturityCriticalDays", t.maturity_critical_days);
    loaded.health_target = number(settings, "topUp/healthTarget", loaded.health_target);
    loaded.margin_target = number(settings, "topUp/marginTarget", loaded.margin_target);
    loaded.poll_ms = static_cast<int>(number(settings, "refresh/pollMs", loaded.poll_ms));
    loaded.history_heartbeat_s = static_cast<int>(number(settings, "refresh/historyHeartbeatSeconds", loaded.history_heartbeat_s));
    loaded.history_retention_days = static_cast<int>(number(settings, "refresh/historyRetentionDays", loaded.history_retention_days));
    loaded.auto_lock_s = static_cast<int>(number(settings, "security/autoLockSeconds", loaded.auto_lock_s));
    loaded.max_fee_per_gas_gwei = number(settings, "security/maxFeePerGasGwei", loaded.max_fee_per_gas_gwei);
    loaded.max_fee_eth = number(settings, "security/maxFeeEth", loaded.max_fee_eth);
    loaded.allow_insecure_http = settings.value(QStringLiteral("network/allowInsecureHttp"), false).toBool();
    loaded.max_response_mb = static_cast<int>(number(settings, "network/maxResponseMiB", loaded.max_response_mb));
    loaded.alert_desktop = settings.value(QStringLiteral("alerts/desktop"), true).toBool();
    loaded.alert_webhook = settings.value(QStringLiteral("alerts/webhook")).toString();
    loaded.alert_command = settings.value(QStringLiteral("alerts/command")).toString();
    loaded.alert_escalate_minutes = static_cast<int>(number(settings, "alerts/escalateMinutes", loaded.alert_escalate_minutes));
    loaded.alert_quiet_from = static_cast<int>(number(settings, "alerts/quietFrom", loaded.alert_quiet_from));
    loaded.alert_quiet_to = static_cast<int>(number(settings, "alerts/quietTo", loaded.alert_quiet_to));
    loaded.alert_sound = settings.value(QStringLiteral("alerts/sound"), false).toBool();
    return loaded;
}

void TerminalSettings::save(QSettings& settings) const
{
    QStringList lines;
    for (auto it = endpoints.begin(); it != endpoints.end(); ++it) lines << QString::number(it.key()) + u'=' + it.value();
    settings.setValue(QStringLiteral("network/endpoints"), lines.join(u'\n'));
    settings.setValue(QStringLiteral("network/registry"), registry);
    settings.setValue(QStringLiteral("risk/healthWarning"), thresholds.health_warning);
    settings.setValue(QStringLiteral("risk/healthCritical"), thresholds.health_critical);
    settings.setValue(QStringLiteral("risk/marginWarning"), thresholds.margin_warning);
    settings.setValue(QStringLiteral("risk/marginCritical"), thresholds.margin_critical);
    settings.setValue(QStringLiteral("risk/maturityWarningDays"), thresholds.maturity_warning_days);
    settings.setValue(QStringLiteral("risk/maturityCriticalDays"), thresholds.maturity_critical_days);
    settings.setValue(QStringLiteral("topUp/healthTarget"), health_target);
    settings.setValue(QStringLiteral("topUp/marginTarget"), margin_target);
    settings.setValue(QStringLiteral("refresh/pollMs"), poll_ms);
    settings.setValue(QStringLiteral("refresh/historyHeartbeatSeconds"), history_heartbeat_s);
    settings.setValue(QStringLiteral("refresh/historyRetentionDays"), history_retention_days);
    settings.setValue(QStringLiteral("security/autoLockSeconds"), auto_lock_s);
    settings.setValue(QStringLiteral("security/maxFeePerGasGwei"), max_fee_per_gas_gwei);
    settings.setValue(QStringLiteral("security/maxFeeEth"), max_fee_eth);
    settings.setValue(QStringLiteral("network/allowInsecureHttp"), allow_insecure_http);
    settings.setValue(QStringLiteral("network/maxResponseMiB"), max_response_mb);
    settings.setValue(QStringLiteral("alerts/desktop"), alert_desktop);
    settings.setValue(QStringLiteral("alerts/webhook"), alert_webhook);
    settings.setValue(QStringLiteral("alerts/command"), alert_command);
    settings.setValue(QStringLiteral("alerts/escalateMinutes"), alert_escalate_minutes);
    settings.setValue(QStringLiteral("alerts/quietFrom"), alert_quiet_from);
    settings.setValue(QStringLiteral("alerts/quietTo"), alert_quiet_to);
    settings.setValue(QStringLiteral("alerts/sound"), alert_sound);
}

}  // namespace nftterm::ui
