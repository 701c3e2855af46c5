#include "notification_server.hpp"

#include <QDBusConnectionInterface>

namespace nftterm::tests {

bool NotificationServer::start()
{
    auto bus = QDBusConnection::sessionBus();
    if (!bus.isConnected()) return false;
    if (!bus.registerObject(QStringLiteral("/org/freedesktop/Notifications"), this, QDBusConnection::ExportAllSlots | QDBusConnection::ExportAllSignals))
        return false;
    return bus.registerService(QStringLiteral("org.freedesktop.Notifications"));
}

uint NotificationServer::Notify(const QString& app_name, uint replaces_id, const QString&, const QString& summary, const QString& body,
                                const QStringList& actions, const QVariantMap& hints, int expire_timeout)
{
    Shown shown;
    shown.id = replaces_id ? replaces_id : m_next++;
    shown.app = app_name;
    shown.summary = summary;
    shown.body = body;
    shown.replaces = replaces_id;
    shown.actions = actions;
    shown.urgency = hints.contains(QStringLiteral("urgency")) ? hints.value(QStringLiteral("urgency")).toInt() : -1;
    shown.timeout = expire_timeout;
    m_shown << shown;
    return shown.id;
}

QString NotificationServer::GetServerInformation(QString& vendor, QString& version, QString& spec_version)
{
    vendor = QStringLiteral("nftterm tests");
    version = QStringLiteral("1");
    spec_version = QStringLiteral("1.2");
    return QStringLiteral("nftterm-test-notifications");
}

void NotificationServer::invoke(uint id, const QString& action)
{
    Q_EMIT ActionInvoked(id, action);
}

}  // namespace nftterm::tests
