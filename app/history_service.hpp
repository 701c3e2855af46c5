#pragma once

#include "history_worker.hpp"
#include "worker_thread.hpp"

#include <QObject>

namespace nftterm::app {

/// Owns the history's worker thread. Used on the GUI thread; its signals
/// arrive there, queued. Destroying it finishes the work queued and joins.
class HistoryService : public QObject {
    Q_OBJECT
public:
    HistoryService(const QString& file, HistoryPolicy policy = {}, QObject* parent = nullptr);
    ~HistoryService() override;

public Q_SLOTS:
    void record(const nftterm::app::SnapshotUpdate& update);
    void select(const QString& position_id);

Q_SIGNALS:
    void loaded(const nftterm::ui::PositionHistory& history);
    void appended(const nftterm::ui::PositionHistory& more);
    void failed(const QString& message);

private:
    WorkerThread m_thread{QStringLiteral("history")};
    HistoryWorker* m_worker = nullptr;
};

}  // namespace nftterm::app
