#pragma once

#include <ui/history_point.hpp>

#include <QAbstractTableModel>

namespace nftterm::ui {

/// The selected position's recorded history, one row per recorded moment,
/// oldest first: what the charts draw. An empty cell is a figure that was
/// not recorded at that moment (the charts leave it out).
class HistoryModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { TimeMs, Price, Twap, LiquidationPrice, Health, CostPerDay, ColumnCount };

    explicit HistoryModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Another position's history (or none: an empty id).
    void setHistory(const PositionHistory& history);
    /// Newly recorded moments of the shown position; others are ignored.
    void append(const PositionHistory& more);

    const QString& positionId() const { return m_history.position_id; }

private:
    PositionHistory m_history;
};

}  // namespace nftterm::ui
