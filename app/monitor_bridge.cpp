#include "monitor_bridge.hpp"

namespace nftterm::app {

MonitorBridge::MonitorBridge(MonitorConfig config, QObject* parent) : QObject(parent)
{
    m_worker = new MonitorWorker(std::move(config));
    m_thread.adopt(m_worker);
    connect(m_worker, &MonitorWorker::snapshotReady, this, &MonitorBridge::snapshotReady, Qt::QueuedConnection);
    connect(m_worker, &MonitorWorker::statusChanged, this, &MonitorBridge::statusChanged, Qt::QueuedConnection);
    connect(m_worker, &MonitorWorker::alertsRaised, this, &MonitorBridge::alertsRaised, Qt::QueuedConnection);
    connect(&m_thread, &WorkerThread::failed, this, [this](const QString& message) {
        ui::NodeStatus status;
        status.error = message;
        Q_EMIT statusChanged(status);
    }, Qt::QueuedConnection);
}

MonitorBridge::~MonitorBridge()
{
    // Saves discovery on the worker's own thread; the thread then stops and joins.
    if (m_thread.running()) m_thread.post_and_wait([worker = m_worker] { worker->stop(); });
}

void MonitorBridge::start()
{
    m_thread.start();
    m_thread.post([worker = m_worker] { worker->start(); });
}

void MonitorBridge::setAccounts(const std::vector<wallet::Address>& accounts)
{
    m_thread.post([worker = m_worker, accounts] { worker->setAccounts(accounts); });
}

void MonitorBridge::acknowledge(const std::string& id)
{
    m_thread.post([worker = m_worker, id] { worker->acknowledge(id); });
}

void MonitorBridge::setAlertLevels(const protocols::risk::AlertLevels& levels)
{
    m_thread.post([worker = m_worker, levels] { worker->setAlertLevels(levels); });
}

void MonitorBridge::setPollMs(int poll_ms)
{
    m_thread.post([worker = m_worker, poll_ms] { worker->setPollMs(poll_ms); });
}

}  // namespace nftterm::app
