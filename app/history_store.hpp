#pragma once

#include <ui/history_point.hpp>

#include <QString>

#include <expected>
#include <memory>
#include <vector>

namespace nftterm::app {

/// One recorded moment of one position (display values: ETH, ratios).
struct PositionSample {
    QString position_id;
    QString collection;
    ui::HistoryPoint point;
};

/// One recorded moment of one collection's prices.
struct CollectionSample {
    QString collection;
    qint64 time = 0;
    quint64 block = 0;
    std::optional<double> oracle = {};
    std::optional<double> feed = {};
    std::optional<double> best_bid = {};
    std::optional<double> twap = {};
};

/// Position and price history in an SQLite file (Qt SQL), kept per chain
/// (the chain id and its genesis hash: a fresh devnet starts a new history).
/// Not thread-safe: one instance per thread, each with its own connection.
class HistoryStore {
public:
    /// Opens (creating) the file and its tables. Errors are in words.
    [[nodiscard]] static std::expected<std::unique_ptr<HistoryStore>, QString> open(const QString& file);
    ~HistoryStore();
    HistoryStore(const HistoryStore&) = delete;
    HistoryStore& operator=(const HistoryStore&) = delete;

    /// Writes one block's samples in one transaction: all or none.
    [[nodiscard]] std::expected<void, QString> record(const QString& chain, const std::vector<PositionSample>& positions,
                                        const std::vector<CollectionSample>& collections);
    /// Deletes the chain's samples older than `keep_seconds` before its newest
    /// one (chain time: a devnet's clock may run ahead of the wall's).
    [[nodiscard]] std::expected<void, QString> prune(const QString& chain, qint64 keep_seconds);
    /// The position's last `limit` samples, oldest first, with its
    /// collection's TWAP samples from the first of them on, merged in by block.
    [[nodiscard]] std::expected<ui::PositionHistory, QString> position_history(const QString& chain, const QString& position_id, int limit = 5000);

private:
    explicit HistoryStore(QString connection);
    QString m_connection;
};

}  // namespace nftterm::app
