#include "history_service.hpp"

#include "monitor_bridge.hpp"

namespace nftterm::app {

HistoryService::HistoryService(const QString& file, HistoryPolicy policy, QObject* parent) : QObject(parent)
{
    register_bridge_types();
    m_thread.setObjectName(QStringLiteral("nftterm history"));
    m_worker = new HistoryWorker(file, policy);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &HistoryWorker::loaded, this, &HistoryService::loaded, Qt::QueuedConnection);
    connect(m_worker, &HistoryWorker::appended, this, &HistoryService::appended, Qt::QueuedConnection);
    connect(m_worker, &HistoryWorker::failed, this, &HistoryService::failed, Qt::QueuedConnection);
    m_thread.start();
    QMetaObject::invokeMethod(m_worker, &HistoryWorker::open, Qt::QueuedConnection);
}

HistoryService::~HistoryService()
{
    // Queued records are written before the thread ends: quit() is handled after them.
    m_thread.quit();
    m_thread.wait();
}

void HistoryService::record(const SnapshotUpdate& update)
{
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, update] { worker->record(update); }, Qt::QueuedConnection);
}

void HistoryService::select(const QString& position_id)
{
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, position_id] { worker->select(position_id); }, Qt::QueuedConnection);
}

}  // namespace nftterm::app
