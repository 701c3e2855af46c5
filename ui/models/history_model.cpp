#include "history_model.hpp"

namespace nftterm::ui {

namespace {

QVariant cell(const std::optional<double>& value)
{
    return value ? QVariant(*value) : QVariant();
}

}  // namespace

HistoryModel::HistoryModel(QObject* parent) : QAbstractTableModel(parent) {}

int HistoryModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_history.points.size());
}

int HistoryModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant HistoryModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || role != Qt::DisplayRole || index.row() >= rowCount()) return {};
    const HistoryPoint& point = m_history.points[static_cast<std::size_t>(index.row())];
    switch (index.column()) {
    case TimeMs: return double(point.time) * 1000.0;
    case Price: return cell(point.price);
    case Twap: return cell(point.twap);
    case LiquidationPrice: return cell(point.liquidation_price);
    case Health: return cell(point.health);
    case CostPerDay: return cell(point.cost_per_day);
    default: return {};
    }
}

QVariant HistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case TimeMs: return tr("Time");
    case Price: return tr("Price");
    case Twap: return tr("TWAP 24h");
    case LiquidationPrice: return tr("Liquidation price");
    case Health: return tr("Health");
    case CostPerDay: return tr("Cost per day");
    default: return {};
    }
}

void HistoryModel::setHistory(const PositionHistory& history)
{
    // A different position: the charts start over.
    beginResetModel();
    m_history = history;
    endResetModel();
}

void HistoryModel::append(const PositionHistory& more)
{
    if (more.position_id != m_history.position_id || more.points.empty()) return;
    const int first = rowCount();
    beginInsertRows({}, first, first + static_cast<int>(more.points.size()) - 1);
    m_history.points.insert(m_history.points.end(), more.points.begin(), more.points.end());
    endInsertRows();
}

}  // namespace nftterm::ui
