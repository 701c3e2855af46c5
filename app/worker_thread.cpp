#include "worker_thread.hpp"

#include "account_worker.hpp"
#include "action_worker.hpp"
#include "monitor_worker.hpp"

#include <ui/account_request.hpp>
#include <ui/history_point.hpp>
#include <ui/node_status.hpp>
#include <ui/terminal_settings.hpp>

#include <exception>
#include <mutex>

namespace nftterm::app {

std::optional<QString> run_catching(const std::function<void()>& work)
{
    try {
        work();
        return std::nullopt;
    } catch (const std::exception& e) {
        return QString::fromUtf8(e.what());
    } catch (...) {
        return QStringLiteral("an unknown exception");
    }
}

WorkerThread::WorkerThread(QString name, QObject* parent) : QObject(parent), m_name(std::move(name))
{
    register_worker_types();
    m_thread.setObjectName(QStringLiteral("nftterm ") + m_name);
}

WorkerThread::~WorkerThread()
{
    m_stop.request_stop();
    if (m_thread.isRunning()) {
        // quit() is handled after the work queued before it.
        m_thread.quit();
        m_thread.wait();
    } else {
        delete m_worker;
    }
}

void WorkerThread::adopt(QObject* worker)
{
    m_worker = worker;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
}

void WorkerThread::run(const std::function<void()>& work)
{
    if (const auto error = run_catching(work))
        Q_EMIT failed(tr("The %1 worker stopped one task: %2. The terminal goes on; please report this.").arg(m_name, *error));
}

void WorkerThread::post(std::function<void()> work)
{
    QMetaObject::invokeMethod(m_worker, [this, work = std::move(work)] { run(work); }, Qt::QueuedConnection);
}

void WorkerThread::post_and_wait(std::function<void()> work)
{
    if (!m_thread.isRunning()) return run(work);
    QMetaObject::invokeMethod(m_worker, [this, work = std::move(work)] { run(work); }, Qt::BlockingQueuedConnection);
}

void register_worker_types()
{
    static std::once_flag once;
    std::call_once(once, [] {
        qRegisterMetaType<SnapshotUpdate>();
        qRegisterMetaType<AlertEvents>();
        qRegisterMetaType<ui::NodeStatus>();
        qRegisterMetaType<ui::PositionHistory>();
        qRegisterMetaType<ui::TerminalSettings>();
        qRegisterMetaType<ui::AccountRequest>();
        qRegisterMetaType<AddedAccount>();
        qRegisterMetaType<PlanResult>();
        qRegisterMetaType<TradePlanResult>();
        qRegisterMetaType<TradeRequest>();
        qRegisterMetaType<SignerSource>();
        qRegisterMetaType<protocols::positions::Position>();
        qRegisterMetaType<protocols::actions::PositionPlan>();
        qRegisterMetaType<std::shared_ptr<QByteArray>>();
    });
}

}  // namespace nftterm::app
