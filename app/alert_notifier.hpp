#pragma once

#include <protocols/risk/alerts.hpp>

#include <QHash>
#include <QObject>
#include <QString>

namespace nftterm::app {

/// Shows alerts as freedesktop notifications on the session bus (QtDBus,
/// org.freedesktop.Notifications.Notify, asynchronously: the window never
/// waits for the notification server). Critical alerts are urgent and stay
/// until dismissed, with the actions *Top up…* (pool loans and perps) and
/// *Snooze 1 h*; a resolution replaces its alert's notification. Lives on
/// the GUI thread. Without a session bus or a server it says so once and
/// the window goes on.
class AlertNotifier : public QObject {
    Q_OBJECT
public:
    explicit AlertNotifier(QObject* parent = nullptr);

    /// Shows `alert` unless it is snoozed; `now` is unix time.
    void deliver(const protocols::risk::Alert& alert, qint64 now);
    /// No notification of `id` before `until` (unix time).
    void snooze(const QString& id, qint64 until);
    bool snoozed(const QString& id, qint64 now) const;
    /// Desktop notifications on or off (Settings ▸ Alerts).
    void setEnabled(bool enabled) { m_enabled = enabled; }
    /// Local hours [from, to) in which only critical alerts are shown (from == to: none); wraps midnight.
    void setQuietHours(int from, int to) { m_quiet_from = from, m_quiet_to = to; }
    bool quiet(int hour) const;
    /// The desktop's bell for each critical alert.
    void setSound(bool on) { m_sound = on; }

Q_SIGNALS:
    /// The user chose *Top up…* on the notification of this position.
    void topUpRequested(const QString& position_id);
    /// The user chose *Snooze 1 h* (already applied here).
    void snoozedByUser(const QString& alert_id, qint64 until);
    /// The bus or the server is not there (once), in words.
    void unavailable(const QString& why);

private Q_SLOTS:
    void onActionInvoked(uint notification, const QString& action);

private:
    struct Shown {
        QString alert_id;
        QString position_id;
    };
    /// Alert id → the notification showing it; notification → what it shows.
    QHash<QString, uint> m_notification_of;
    QHash<uint, Shown> m_shown;
    QHash<QString, qint64> m_snoozed_until;
    bool m_reported_unavailable = false;
    bool m_enabled = true;
    /// The server reads the body as markup (its capabilities say "body-markup"): "<" is escaped then.
    bool m_markup = false;
    bool m_sound = false;
    int m_quiet_from = 0;
    int m_quiet_to = 0;
};

}  // namespace nftterm::app
