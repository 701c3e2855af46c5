#pragma once

#include <QObject>

class QSystemTrayIcon;

namespace nftterm::ui {

/// The tray icon: a shield with the number of firing alerts on it, red when
/// one is critical; a click brings the window back. Made only where the
/// desktop has a tray (not under Xvfb, not on a bare session).
class AlertTray : public QObject {
    Q_OBJECT
public:
    explicit AlertTray(QObject* parent = nullptr);
    bool available() const { return m_icon != nullptr; }
    void setCounts(int firing, int critical);

Q_SIGNALS:
    void showWindowRequested();

private:
    QSystemTrayIcon* m_icon = nullptr;
};

}  // namespace nftterm::ui
