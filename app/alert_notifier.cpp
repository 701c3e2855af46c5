#include "alert_notifier.hpp"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QApplication>
#include <QDateTime>

namespace nftterm::app {

namespace {

const QString kService = QStringLiteral("org.freedesktop.Notifications");
const QString kPath = QStringLiteral("/org/freedesktop/Notifications");
const QString kInterface = QStringLiteral("org.freedesktop.Notifications");
const QString kTopUp = QStringLiteral("top-up");
const QString kSnooze = QStringLiteral("snooze");
constexpr qint64 kSnoozeSeconds = 3600;

}  // namespace

AlertNotifier::AlertNotifier(QObject* parent) : QObject(parent)
{
    auto bus = QDBusConnection::sessionBus();
    bus.connect(kService, kPath, kInterface, QStringLiteral("ActionInvoked"), this, SLOT(onActionInvoked(uint, QString)));
    if (!bus.isConnected()) return;
    auto* capabilities = new QDBusPendingCallWatcher(bus.asyncCall(QDBusMessage::createMethodCall(kService, kPath, kInterface, QStringLiteral("GetCapabilities"))), this);
    connect(capabilities, &QDBusPendingCallWatcher::finished, this, [this, capabilities] {
        capabilities->deleteLater();
        const QDBusPendingReply<QStringList> reply = *capabilities;
        m_markup = !reply.isError() && reply.value().contains(QStringLiteral("body-markup"));
    });
}

bool AlertNotifier::quiet(int hour) const
{
    if (m_quiet_from == m_quiet_to) return false;
    return m_quiet_from < m_quiet_to ? hour >= m_quiet_from && hour < m_quiet_to : hour >= m_quiet_from || hour < m_quiet_to;
}

void AlertNotifier::snooze(const QString& id, qint64 until)
{
    m_snoozed_until[id] = until;
}

bool AlertNotifier::snoozed(const QString& id, qint64 now) const
{
    return m_snoozed_until.value(id, 0) > now;
}

void AlertNotifier::deliver(const protocols::risk::Alert& alert, qint64 now)
{
    using protocols::risk::AlertState;
    using protocols::risk::Severity;
    const QString id = QString::fromStdString(alert.id);
    const bool resolved = alert.state == AlertState::Resolved;
    if (!m_enabled || (!resolved && (snoozed(id, now) || alert.acknowledged))) return;
    const bool is_critical = alert.severity == Severity::Critical && !resolved;
    if (!is_critical && quiet(QDateTime::fromSecsSinceEpoch(now).time().hour())) return;
    if (is_critical && m_sound) QApplication::beep();
    auto bus = QDBusConnection::sessionBus();
    if (!bus.isConnected()) {
        if (!m_reported_unavailable) Q_EMIT unavailable(tr("Desktop notifications are off: there is no session D-Bus"));
        m_reported_unavailable = true;
        return;
    }
    const bool critical = alert.severity == Severity::Critical && !resolved;
    QStringList actions;
    const QString position = alert.position ? QString::fromStdString(*alert.position) : QString();
    // A top-up helps a pool loan's health or a perp's margin; the rest gets the snooze only.
    if (!resolved && (alert.rule == "health" || alert.rule == "margin")) actions << kTopUp << tr("Top up…");
    if (!resolved) actions << kSnooze << tr("Snooze 1 h");
    QVariantMap hints;
    hints.insert(QStringLiteral("urgency"), QVariant::fromValue<uchar>(critical ? 2 : alert.severity == Severity::Warning ? 1 : 0));
    const uint replaces = m_notification_of.value(id, 0);
    const QString summary = resolved ? tr("nftterm: resolved") : tr("nftterm: %1").arg(QString::fromUtf8(to_string(alert.severity)));
    auto call = QDBusMessage::createMethodCall(kService, kPath, kInterface, QStringLiteral("Notify"));
    call << QStringLiteral("nftterm") << replaces << QStringLiteral("dialog-warning") << summary << (m_markup ? QString::fromStdString(alert.message).toHtmlEscaped() : QString::fromStdString(alert.message)) << actions << hints
         << (critical ? 0 : -1);
    auto* watcher = new QDBusPendingCallWatcher(bus.asyncCall(call), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this, watcher, id, position, resolved] {
        watcher->deleteLater();
        const QDBusPendingReply<uint> reply = *watcher;
        if (reply.isError()) {
            if (!m_reported_unavailable) Q_EMIT unavailable(tr("Desktop notifications are off: %1").arg(reply.error().message()));
            m_reported_unavailable = true;
            return;
        }
        if (resolved) {
            m_shown.remove(m_notification_of.take(id));
            return;
        }
        m_notification_of.insert(id, reply.value());
        m_shown.insert(reply.value(), {id, position});
    });
}

void AlertNotifier::onActionInvoked(uint notification, const QString& action)
{
    const auto shown = m_shown.constFind(notification);
    if (shown == m_shown.constEnd()) return;  // another program's notification
    if (action == kTopUp && !shown->position_id.isEmpty()) Q_EMIT topUpRequested(shown->position_id);
    if (action == kSnooze) {
        const qint64 until = QDateTime::currentSecsSinceEpoch() + kSnoozeSeconds;
        snooze(shown->alert_id, until);
        Q_EMIT snoozedByUser(shown->alert_id, until);
    }
}

}  // namespace nftterm::app
