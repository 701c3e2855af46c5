#pragma once

#include <protocols/risk/stress.hpp>

#include <QAbstractTableModel>

namespace nftterm::ui {

/// The portfolio stress table: one row per price shock (every collection
/// down by N %), with the mark-to-market loss in ETH and how many positions
/// it would liquidate or put underwater. What the stress chart draws.
class StressModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Shock, Loss, Liquidated, Underwater, ColumnCount };

    explicit StressModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Each block's rows; the same shocks as before only change cells.
    void setRows(std::vector<protocols::risk::StressRow> rows);

private:
    std::vector<protocols::risk::StressRow> m_rows;
};

}  // namespace nftterm::ui
