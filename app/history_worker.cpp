#include "history_worker.hpp"

namespace nftterm::app {

HistoryWorker::HistoryWorker(QString file, HistoryPolicy policy) : m_file(std::move(file)), m_policy(policy), m_recorder(policy) {}

HistoryWorker::~HistoryWorker() = default;

void HistoryWorker::open()
{
    auto store = HistoryStore::open(m_file);
    if (!store) return report(store.error() + tr(" — the charts show only what arrives from now on"));
    m_store = std::move(*store);
}

void HistoryWorker::report(const QString& message)
{
    if (message == m_last_error) return;
    m_last_error = message;
    Q_EMIT failed(message);
}

void HistoryWorker::record(const SnapshotUpdate& update)
{
    if (!update.snapshot || update.chain_key.empty()) return;
    const QString chain = QString::fromStdString(update.chain_key);
    const bool new_chain = chain != m_chain;
    m_chain = chain;
    if (new_chain && m_store) {
        // Old samples go once per run, when the chain is first seen: the file does not grow without end.
        if (auto pruned = m_store->prune(m_chain, static_cast<qint64>(m_policy.retention_seconds)); !pruned) report(pruned.error());
    }
    HistorySamples samples = m_recorder.samples(*update.snapshot, update.changes);
    for (const auto& sample : samples.positions) m_collection_of[sample.position_id] = sample.collection;
    if (m_store) {
        if (auto written = m_store->record(m_chain, samples.positions, samples.collections); !written) report(written.error());
    }
    if (m_selected.isEmpty()) return;
    if (new_chain) return load();  // asked for before the chain was known

    ui::PositionHistory more{m_selected, {}};
    for (const auto& sample : samples.positions)
        if (sample.position_id == m_selected) more.points.push_back(sample.point);
    const auto collection = m_collection_of.find(m_selected);
    for (const auto& sample : samples.collections) {
        if (collection == m_collection_of.end() || sample.collection != collection->second || !sample.twap) continue;
        ui::HistoryPoint point;
        point.time = sample.time;
        point.block = sample.block;
        point.twap = sample.twap;
        more.points.push_back(point);
    }
    if (!more.points.empty()) Q_EMIT appended(more);
}

void HistoryWorker::select(const QString& position_id)
{
    m_selected = position_id;
    if (!m_selected.isEmpty() && !m_chain.isEmpty()) load();
}

void HistoryWorker::load()
{
    if (!m_store) return Q_EMIT loaded({m_selected, {}});
    auto history = m_store->position_history(m_chain, m_selected);
    if (!history) {
        report(history.error());
        return Q_EMIT loaded({m_selected, {}});
    }
    Q_EMIT loaded(*history);
}

}  // namespace nftterm::app
