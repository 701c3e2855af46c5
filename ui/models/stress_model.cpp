#include "stress_model.hpp"

#include "position_format.hpp"

namespace nftterm::ui {

StressModel::StressModel(QObject* parent) : QAbstractTableModel(parent) {}

int StressModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int StressModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant StressModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || (role != Qt::DisplayRole && role != Qt::ToolTipRole)) return {};
    const auto& row = m_rows[static_cast<std::size_t>(index.row())];
    switch (index.column()) {
    case Shock: return tr("−%1 %").arg(row.shock_percent);
    case Loss: return signed_wad_to_double(row.loss);
    case Liquidated:
        if (role == Qt::ToolTipRole) return QString::fromStdString([&] {
                std::string ids;
                for (const auto& id : row.liquidated) ids += id + "\n";
                return ids;
            }());
        return static_cast<int>(row.liquidated.size());
    case Underwater: return static_cast<int>(row.underwater.size());
    default: return {};
    }
}

QVariant StressModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Shock: return tr("Shock");
    case Loss: return tr("Loss (ETH)");
    case Liquidated: return tr("Liquidated");
    case Underwater: return tr("Underwater");
    default: return {};
    }
}

void StressModel::setRows(std::vector<protocols::risk::StressRow> rows)
{
    const bool same_shape = rows.size() == m_rows.size();
    if (!same_shape) beginResetModel();
    m_rows = std::move(rows);
    if (!same_shape) return endResetModel();
    if (!m_rows.empty()) Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

}  // namespace nftterm::ui
