#pragma once

#include <QDBusConnection>
#include <QObject>
#include <QStringList>
#include <QVariantMap>

namespace nftterm::tests {

/// A freedesktop notification server of our own on the session bus (the
/// real protocol, no daemon to install): keeps every Notify call, and can
/// invoke an action on a notification as a user's click would.
class NotificationServer : public QObject {
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")
public:
    struct Shown {
        uint id = 0;
        QString app, summary, body;
        uint replaces = 0;
        QStringList actions;
        int urgency = -1;
        int timeout = 0;
    };

    /// Says it reads markup in bodies (as dunst does): then '<' must come escaped.
    bool body_markup = false;
    /// Registers org.freedesktop.Notifications; false when the bus or the name is not there.
    bool start();
    const QList<Shown>& shown() const { return m_shown; }
    /// As a click on `action` of notification `id`: the ActionInvoked signal.
    void invoke(uint id, const QString& action);

public Q_SLOTS:
    uint Notify(const QString& app_name, uint replaces_id, const QString& app_icon, const QString& summary, const QString& body,
                const QStringList& actions, const QVariantMap& hints, int expire_timeout);
    QStringList GetCapabilities()
    {
        return body_markup ? QStringList{QStringLiteral("body"), QStringLiteral("actions"), QStringLiteral("body-markup")}
                           : QStringList{QStringLiteral("body"), QStringLiteral("actions")};
    }
    void CloseNotification(uint) {}
    QString GetServerInformation(QString& vendor, QString& version, QString& spec_version);

Q_SIGNALS:
    void ActionInvoked(uint id, const QString& action_key);
    void NotificationClosed(uint id, uint reason);

private:
    QList<Shown> m_shown;
    uint m_next = 1;
};

}  // namespace nftterm::tests
