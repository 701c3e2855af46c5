#pragma once

#include <ui/dialogs/connect_dialog.hpp>

#include <QObject>
#include <QPointer>
#include <QStringList>

namespace nftterm::ui {
class MainWindow;
}  // namespace nftterm::ui

namespace nftterm::app {

class SettingsController;
class WorkerThread;

/// The first run's *Connect to a node*: opens the connect dialog, checks
/// the endpoint off the GUI thread, reads registry files the user picks,
/// and on Connect saves the node and registry as the user's settings and
/// starts the terminal again on them (it reads its node once, at start).
class ConnectController : public QObject {
    Q_OBJECT
public:
    ConnectController(ui::MainWindow& window, SettingsController* settings, QStringList restart_arguments);
    ~ConnectController() override;

    void open();
    ui::ConnectDialog* dialog() const { return m_dialog; }

Q_SIGNALS:
    /// The node and registry are saved: start the terminal again with these arguments (FirstRun does).
    void restartRequested(const QStringList& arguments);

private:
    void connectTo();

    ui::MainWindow& m_window;
    SettingsController* m_settings;
    QStringList m_restart_arguments;
    WorkerThread* m_worker = nullptr;
    QPointer<ui::ConnectDialog> m_dialog;
};

}  // namespace nftterm::app
