#include "first_run.hpp"

#include "account_controller.hpp"
#include "connect_controller.hpp"
#include "settings_controller.hpp"
#include "terminal.hpp"

#include <ui/main_window.hpp>
#include <ui/widgets/welcome_page.hpp>

#include <QCoreApplication>
#include <QDir>
#include <QProcess>

namespace nftterm::app {

QString sibling_cli()
{
    return QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("nftterm-cli"));
}

FirstRun::FirstRun(ui::MainWindow& window, Terminal& terminal, QStringList restart_arguments)
    : QObject(&window), m_window(window), m_terminal(terminal), m_restart_arguments(std::move(restart_arguments))
{
    auto* page = window.welcome();
    connect(page, &ui::WelcomePage::demoRequested, this, &FirstRun::startDemo);
    m_connect = new ConnectController(window, m_terminal.settings(), m_restart_arguments);
    connect(page, &ui::WelcomePage::connectRequested, m_connect, &ConnectController::open);
    connect(m_connect, &ConnectController::restartRequested, this, [page](const QStringList& arguments) {
        if (!QProcess::startDetached(QCoreApplication::applicationFilePath(), arguments)) {
            page->setProgress(tr("The settings are saved, but the terminal could not start again: start it yourself."), false);
            return;
        }
        QCoreApplication::quit();
    });
    connect(page, &ui::WelcomePage::addAccountRequested, this, [this] {
        if (m_terminal.accounts()) m_terminal.accounts()->openAddDialog();
    });
}

void FirstRun::startDemo()
{
    if (m_devnet) return;  // one start at a time
    auto* page = m_window.welcome();
    page->setProgress(tr("Starting the demo devnet (a local anvil with the demo protocols and traders; a few seconds)…"), true);
    m_devnet = new QProcess(this);
    connect(m_devnet, &QProcess::finished, this, [this, page](int code, QProcess::ExitStatus status) {
        const QString why = QString::fromUtf8(m_devnet->readAllStandardError()).trimmed();
        m_devnet->deleteLater();
        m_devnet = nullptr;
        if (status != QProcess::NormalExit || code != 0) {
            page->setProgress(tr("The demo devnet did not start: %1").arg(why.isEmpty() ? tr("nftterm-cli exited with %1").arg(code) : why), false);
            return;
        }
        // The terminal reads its node and registry once, at start: it starts again on the devnet, with the market moving.
        page->setProgress(tr("The devnet is up: opening it…"), true);
        QStringList arguments = m_restart_arguments;
        if (!arguments.contains(QStringLiteral("--simulate"))) arguments << QStringLiteral("--simulate");
        if (!QProcess::startDetached(QCoreApplication::applicationFilePath(), arguments)) {
            page->setProgress(tr("The devnet is up, but the terminal could not start again: start it yourself."), false);
            return;
        }
        QCoreApplication::quit();
    });
    connect(m_devnet, &QProcess::errorOccurred, this, [this, page](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart) return;
        page->setProgress(tr("Cannot run %1: %2").arg(sibling_cli(), m_devnet->errorString()), false);
        m_devnet->deleteLater();
        m_devnet = nullptr;
    });
    m_devnet->start(sibling_cli(), {QStringLiteral("devnet"), QStringLiteral("up")});
}

}  // namespace nftterm::app
