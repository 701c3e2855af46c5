#pragma once

#include <QAbstractTableModel>
#include <QString>

#include <vector>

namespace nftterm::ui {

/// One row of the positions table, as the UI shows it.
struct PositionRow {
    QString protocol;
    QString account;
    QString collection;
    QString collateral;
    QString debt;
    QString health;
};

/// The positions table. Fed whole snapshots by the app; until the monitor
/// exists it stays empty.
class PositionTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Protocol, Account, Collection, Collateral, Debt, Health, ColumnCount };

    explicit PositionTableModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setRows(std::vector<PositionRow> rows);

private:
    std::vector<PositionRow> m_rows;
};

}  // namespace nftterm::ui
