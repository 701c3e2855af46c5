#include "position_filter_model.hpp"

#include "position_table_model.hpp"

namespace nftterm::ui {

PositionFilterModel::PositionFilterModel(QObject* parent) : QSortFilterProxyModel(parent)
{
    setSortRole(PositionTableModel::SortRole);
    // Not per changed row: once per block (resortAfterBlock).
    setDynamicSortFilter(false);
}

void PositionFilterModel::setSourceModel(QAbstractItemModel* source)
{
    if (m_positions) disconnect(m_positions, nullptr, this, nullptr);
    QSortFilterProxyModel::setSourceModel(source);
    m_positions = qobject_cast<const PositionTableModel*>(source);
    if (m_positions) connect(m_positions, &PositionTableModel::snapshotApplied, this, &PositionFilterModel::resortAfterBlock);
}

void PositionFilterModel::refilter()
{
    invalidateRowsFilter();
    // Rows let in by the filter arrive unsorted (sorting is not dynamic): put them in place.
    if (sortColumn() >= 0) sort(sortColumn(), sortOrder());
}

void PositionFilterModel::resortAfterBlock()
{
    // Risk moves with each block: the at-risk filter is asked again (the others depend on names only).
    if (m_at_risk_only) invalidateRowsFilter();
    if (sortColumn() >= 0) sort(sortColumn(), sortOrder());
}

bool PositionFilterModel::lessThan(const QModelIndex& left, const QModelIndex& right) const
{
    if (m_positions && left.column() == PositionTableModel::Health && right.column() == PositionTableModel::Health)
        return m_positions->healthSortKey(left.row()) < m_positions->healthSortKey(right.row());
    return QSortFilterProxyModel::lessThan(left, right);
}

void PositionFilterModel::setProtocol(const QString& protocol)
{
    m_protocol = protocol;
    refilter();
}

void PositionFilterModel::setAccount(const QString& account)
{
    m_account = account;
    refilter();
}

void PositionFilterModel::setCollectionText(const QString& text)
{
    m_collection = text.trimmed();
    refilter();
}

void PositionFilterModel::setAtRiskOnly(bool at_risk_only)
{
    m_at_risk_only = at_risk_only;
    refilter();
}

bool PositionFilterModel::filterAcceptsRow(int source_row, const QModelIndex& source_parent) const
{
    const QModelIndex index = sourceModel()->index(source_row, 0, source_parent);
    if (!m_protocol.isEmpty() && index.data(PositionTableModel::ProtocolRole).toString() != m_protocol) return false;
    if (!m_account.isEmpty() && index.data(PositionTableModel::AccountRole).toString().compare(m_account, Qt::CaseInsensitive) != 0) return false;
    if (!m_collection.isEmpty() && !index.data(PositionTableModel::CollectionRole).toString().contains(m_collection, Qt::CaseInsensitive)) return false;
    if (m_at_risk_only) {
        const auto level = static_cast<RiskLevel>(index.data(PositionTableModel::RiskRole).toInt());
        if (level != RiskLevel::Warning && level != RiskLevel::Critical) return false;
    }
    return true;
}

}  // namespace nftterm::ui
