#include "monitor_bridge.hpp"

#include <ui/history_point.hpp>

namespace nftterm::app {

void register_bridge_types()
{
    qRegisterMetaType<SnapshotUpdate>();
    qRegisterMetaType<ui::NodeStatus>();
    qRegisterMetaType<ui::PositionHistory>();
}

MonitorBridge::MonitorBridge(MonitorConfig config, QObject* parent) : QObject(parent)
{
    register_bridge_types();
    m_thread.setObjectName(QStringLiteral("nftterm monitor"));
    m_worker = new MonitorWorker(std::move(config));
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &MonitorWorker::snapshotReady, this, &MonitorBridge::snapshotReady, Qt::QueuedConnection);
    connect(m_worker, &MonitorWorker::statusChanged, this, &MonitorBridge::statusChanged, Qt::QueuedConnection);
}

MonitorBridge::~MonitorBridge()
{
    if (m_thread.isRunning()) {
        // Saves discovery on the worker's own thread, then stops it.
        QMetaObject::invokeMethod(m_worker, &MonitorWorker::stop, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    } else {
        delete m_worker;
    }
}

void MonitorBridge::start()
{
    m_thread.start();
    QMetaObject::invokeMethod(m_worker, &MonitorWorker::start, Qt::QueuedConnection);
}

void MonitorBridge::setAccounts(const std::vector<wallet::Address>& accounts)
{
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, accounts] { worker->setAccounts(accounts); }, Qt::QueuedConnection);
}

void MonitorBridge::setPollMs(int poll_ms)
{
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, poll_ms] { worker->setPollMs(poll_ms); }, Qt::QueuedConnection);
}

}  // namespace nftterm::app
