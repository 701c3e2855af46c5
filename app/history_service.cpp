#include "history_service.hpp"

namespace nftterm::app {

HistoryService::HistoryService(const QString& file, HistoryPolicy policy, QObject* parent) : QObject(parent)
{
    m_worker = new HistoryWorker(file, policy);
    m_thread.adopt(m_worker);
    connect(m_worker, &HistoryWorker::loaded, this, &HistoryService::loaded, Qt::QueuedConnection);
    connect(m_worker, &HistoryWorker::appended, this, &HistoryService::appended, Qt::QueuedConnection);
    connect(m_worker, &HistoryWorker::failed, this, &HistoryService::failed, Qt::QueuedConnection);
    connect(&m_thread, &WorkerThread::failed, this, &HistoryService::failed, Qt::QueuedConnection);
    m_thread.start();
    m_thread.post([worker = m_worker] { worker->open(); });
}

// Queued records are written before the thread ends: WorkerThread quits after them.
HistoryService::~HistoryService() = default;

void HistoryService::record(const SnapshotUpdate& update)
{
    m_thread.post([worker = m_worker, update] { worker->record(update); });
}

void HistoryService::select(const QString& position_id)
{
    m_thread.post([worker = m_worker, position_id] { worker->select(position_id); });
}

}  // namespace nftterm::app
