#pragma once

#include <QObject>
#include <QStringList>

class QProcess;

namespace nftterm::ui {
class MainWindow;
}

namespace nftterm::app {

class ConnectController;
class Terminal;

/// The welcome page's choices, carried out: the demo devnet (nftterm-cli
/// devnet up, then the terminal starts again on it with its market
/// simulator), a node of one's own (the settings' endpoints and registry),
/// an account (the add-account dialog).
class FirstRun : public QObject {
    Q_OBJECT
public:
    /// `restart_arguments`: what the terminal was started with, for its start on the devnet.
    FirstRun(ui::MainWindow& window, Terminal& terminal, QStringList restart_arguments);

private:
    void startDemo();

    ui::MainWindow& m_window;
    Terminal& m_terminal;
    QStringList m_restart_arguments;
    QProcess* m_devnet = nullptr;
    ConnectController* m_connect = nullptr;
};

/// nftterm-cli beside this program (an installed pair, or the build tree's).
QString sibling_cli();

}  // namespace nftterm::app
