#include "position_table_model.hpp"

namespace nftterm::ui {

PositionTableModel::PositionTableModel(QObject* parent) : QAbstractTableModel(parent) {}

int PositionTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int PositionTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PositionTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || role != Qt::DisplayRole || index.row() >= rowCount()) return {};
    const PositionRow& row = m_rows[static_cast<std::size_t>(index.row())];
    switch (index.column()) {
    case Protocol: return row.protocol;
    case Account: return row.account;
    case Collection: return row.collection;
    case Collateral: return row.collateral;
    case Debt: return row.debt;
    case Health: return row.health;
    default: return {};
    }
}

QVariant PositionTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Protocol: return tr("Protocol");
    case Account: return tr("Account");
    case Collection: return tr("Collection / token");
    case Collateral: return tr("Collateral value");
    case Debt: return tr("Debt");
    case Health: return tr("Health");
    default: return {};
    }
}

void PositionTableModel::setRows(std::vector<PositionRow> rows)
{
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

}  // namespace nftterm::ui
