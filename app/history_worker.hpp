#pragma once

#include "history_recorder.hpp"
#include "monitor_worker.hpp"

#include <QObject>

#include <unordered_map>

namespace nftterm::app {

/// Keeps the history file: records what each snapshot brings that is worth
/// keeping and reads a position's history when it is selected. Lives on its
/// own thread (disk never stalls the GUI or the monitor); results leave by
/// queued signals, in the order the work came in.
class HistoryWorker : public QObject {
    Q_OBJECT
public:
    HistoryWorker(QString file, HistoryPolicy policy);
    ~HistoryWorker() override;

public Q_SLOTS:
    void open();
    void record(const nftterm::app::SnapshotUpdate& update);
    /// Reads the position's history and follows it: later samples of it
    /// (and its collection's TWAP) leave by `appended`. Empty: none.
    void select(const QString& position_id);

Q_SIGNALS:
    void loaded(const nftterm::ui::PositionHistory& history);
    void appended(const nftterm::ui::PositionHistory& more);
    /// The history cannot be kept or read (in words; said once per cause).
    void failed(const QString& message);

private:
    void load();
    void report(const QString& message);

    QString m_file;
    HistoryPolicy m_policy;
    HistoryRecorder m_recorder;
    std::unique_ptr<HistoryStore> m_store;
    QString m_chain;
    QString m_selected;
    std::unordered_map<QString, QString> m_collection_of;
    QString m_last_error;
};

}  // namespace nftterm::app
