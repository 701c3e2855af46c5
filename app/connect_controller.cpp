#include "connect_controller.hpp"

#include "node_check.hpp"
#include "settings_controller.hpp"
#include "worker_thread.hpp"

#include <ui/dialogs/connect_dialog.hpp>
#include <ui/main_window.hpp>
#include <ui/widgets/welcome_page.hpp>

#include <QCoreApplication>
#include <QMetaObject>

namespace nftterm::app {

ConnectController::ConnectController(ui::MainWindow& window, SettingsController* settings, QStringList restart_arguments)
    : QObject(&window), m_window(window), m_settings(settings), m_restart_arguments(std::move(restart_arguments))
{
}

ConnectController::~ConnectController() = default;

void ConnectController::open()
{
    if (m_dialog) {
        m_dialog->raise();
        m_dialog->activateWindow();
        return;
    }
    if (!m_worker) {
        m_worker = new WorkerThread(QStringLiteral("connect check"), this);
        m_worker->adopt(new QObject);  // the checks run in its event loop
        m_worker->start();
    }
    m_dialog = new ui::ConnectDialog(shipped_registries(), &m_window);
    m_dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_dialog, &ui::ConnectDialog::checkRequested, this, [this](const QString& endpoint) {
        QPointer<ui::ConnectDialog> dialog = m_dialog;
        m_worker->post([dialog, endpoint] {
            const ui::NodeAnswer answer = check_node(endpoint);
            // Back on the GUI thread; the dialog may have closed meanwhile.
            QMetaObject::invokeMethod(qApp, [dialog, answer] {
                if (dialog) dialog->showAnswer(answer);
            });
        });
    });
    connect(m_dialog, &ui::ConnectDialog::registryFileChosen, this, [this](const QString& path) {
        const auto file = read_registry_file(path);
        if (file.error.isEmpty()) m_dialog->addRegistry(file.choice);
        else m_dialog->showProblem(file.error);
    });
    connect(m_dialog, &QDialog::accepted, this, &ConnectController::connectTo);
    m_dialog->show();
}

void ConnectController::connectTo()
{
    const QString endpoint = m_dialog->endpoint();
    const ui::RegistryChoice registry = m_dialog->registry();
    if (m_settings) m_settings->saveNetwork(registry.chain_id, endpoint, registry.path);
    // The settings now name the node and registry: a start without --registry/--rpc-url reads them.
    QStringList arguments;
    for (int i = 0; i < m_restart_arguments.size(); ++i) {
        const QString& word = m_restart_arguments[i];
        if (word == QStringLiteral("--registry") || word == QStringLiteral("--rpc-url")) {
            ++i;
            continue;
        }
        if (word == QStringLiteral("--simulate")) continue;
        arguments << word;
    }
    if (auto* page = m_window.welcome()) page->setProgress(tr("Connecting to %1 …").arg(registry.name), true);
    Q_EMIT restartRequested(arguments);
}

}  // namespace nftterm::app
