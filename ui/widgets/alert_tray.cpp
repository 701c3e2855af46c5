#include "alert_tray.hpp"

#include <QColor>
#include <QFont>
#include <QIcon>
#include <QPainter>
#include <QPixmap>
#include <QSystemTrayIcon>

namespace nftterm::ui {

namespace {

/// A round badge with the count (empty when nothing fires).
QIcon badge(int firing, int critical)
{
    QPixmap pixmap(64, 64);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    const QColor fill = critical > 0 ? QColor(0xc6, 0x28, 0x28) : firing > 0 ? QColor(0xef, 0x8f, 0x00) : QColor(0x2e, 0x7d, 0x32);
    painter.setBrush(fill);
    painter.setPen(Qt::NoPen);
    painter.drawEllipse(4, 4, 56, 56);
    if (firing > 0) {
        QFont font = painter.font();
        font.setBold(true);
        font.setPixelSize(firing > 9 ? 26 : 34);
        painter.setFont(font);
        painter.setPen(Qt::white);
        painter.drawText(QRect(4, 4, 56, 56), Qt::AlignCenter, firing > 99 ? QStringLiteral("99+") : QString::number(firing));
    }
    return QIcon(pixmap);
}

}  // namespace

AlertTray::AlertTray(QObject* parent) : QObject(parent)
{
    if (!QSystemTrayIcon::isSystemTrayAvailable()) return;
    m_icon = new QSystemTrayIcon(badge(0, 0), this);
    m_icon->setToolTip(tr("nftterm: no alert firing"));
    connect(m_icon, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason) { Q_EMIT showWindowRequested(); });
    m_icon->show();
}

void AlertTray::setCounts(int firing, int critical)
{
    if (!m_icon) return;
    m_icon->setIcon(badge(firing, critical));
    m_icon->setToolTip(firing == 0 ? tr("nftterm: no alert firing") : tr("nftterm: %1 alerts firing, %2 critical").arg(firing).arg(critical));
}

}  // namespace nftterm::ui
