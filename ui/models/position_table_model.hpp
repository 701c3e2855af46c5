#pragma once

#include "risk_level.hpp"

#include <protocols/positions/monitor.hpp>
#include <protocols/positions/snapshot_diff.hpp>

#include <QAbstractTableModel>
#include <QElapsedTimer>
#include <QHash>
#include <QString>

#include <memory>
#include <unordered_map>
#include <vector>

class QTimer;

namespace nftterm::ui {

/// The positions table, fed block by block with a snapshot and its diff
/// against the previous one: rows are inserted, removed or have only their
/// changed cells signalled, never reset. A health that moved is highlighted
/// briefly; stale prices, and every row while the node is unreachable, are
/// shown as stale. Lives on the GUI thread.
class PositionTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Protocol, Account, Collection, Token, Collateral, Debt, Health, LiquidationPrice, Distance, Maturity, DailyCost, State, Action, ColumnCount };
    enum Role {
        /// A number (or string) to sort the column by.
        SortRole = Qt::UserRole + 1,
        /// RiskLevel as int.
        RiskRole,
        /// The position's id (std::string as QString).
        PositionIdRole,
        ProtocolRole,
        AccountRole,
        CollectionRole,
        /// True when the row's data is not fresh.
        StaleRole,
    };

    /// The column a changed figure shows in; kNotShown for a figure the
    /// table deliberately leaves out (none today: the test checks each).
    static constexpr int kNotShown = -1;
    static int columnOfField(protocols::positions::PositionField field);

    explicit PositionTableModel(QObject* parent = nullptr);
    ~PositionTableModel() override;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Names to show instead of addresses (collection symbols, account labels).
    void setNames(QHash<QString, QString> collection_symbols, QHash<QString, QString> account_labels);
    void setThresholds(const RiskThresholds& thresholds);
    const RiskThresholds& thresholds() const { return m_thresholds; }

    /// Applies one block: `changes` is diff_snapshots(previous, *snapshot)
    /// for the previous snapshot this model was given (or null for the first).
    void applySnapshot(std::shared_ptr<const protocols::positions::Snapshot> snapshot,
                       const std::vector<protocols::positions::PositionChange>& changes);
    /// While the node does not answer, every row is shown as stale.
    void setConnectionStale(bool stale);

    const protocols::positions::Position* positionAt(int row) const;
    int rowOf(const std::string& id) const;
    std::shared_ptr<const protocols::positions::Snapshot> snapshot() const { return m_snapshot; }
    /// The health sort key of a row without a QVariant: the sorted proxy
    /// compares it ~140,000 times to sort 10,000 rows.
    double healthSortKey(int row) const { return m_health_key[static_cast<std::size_t>(row)]; }
    /// The block the rows show (0 before the first snapshot).
    quint64 block() const { return m_snapshot ? m_snapshot->block.number : 0; }

Q_SIGNALS:
    /// A block's snapshot is in the rows.
    void snapshotApplied(quint64 block);

private:
    QVariant display(const protocols::positions::Position& position, int column) const;
    QVariant sortKey(const protocols::positions::Position& position, int column) const;
    QString collectionName(const wallet::Address& collection) const;
    double healthKey(const protocols::positions::Position& position) const;
    void endFlashes();

    std::shared_ptr<const protocols::positions::Snapshot> m_snapshot;
    std::vector<protocols::positions::Position> m_rows;
    std::unordered_map<std::string, int> m_row_of;
    /// Per row: the health sort key, kept with the row (the sorted proxy asks for it many times per change).
    std::vector<double> m_health_key;
    /// Per row: when its health highlight ends (ms of m_clock), 0 for none.
    std::vector<qint64> m_flash_until;
    QElapsedTimer m_clock;
    QTimer* m_flash_timer = nullptr;
    QHash<QString, QString> m_collection_symbols;
    QHash<QString, QString> m_account_labels;
    RiskThresholds m_thresholds;
    bool m_connection_stale = false;
};

}  // namespace nftterm::ui
