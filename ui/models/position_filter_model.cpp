#include "position_filter_model.hpp"

#include "position_table_model.hpp"

namespace nftterm::ui {

PositionFilterModel::PositionFilterModel(QObject* parent) : QSortFilterProxyModel(parent)
{
    setSortRole(PositionTableModel::SortRole);
    // Rows whose figures change re-sort and re-filter as they change.
    setDynamicSortFilter(true);
}

void PositionFilterModel::setProtocol(const QString& protocol)
{
    m_protocol = protocol;
    invalidateRowsFilter();
}

void PositionFilterModel::setAccount(const QString& account)
{
    m_account = account;
    invalidateRowsFilter();
}

void PositionFilterModel::setCollectionText(const QString& text)
{
    m_collection = text.trimmed();
    invalidateRowsFilter();
}

void PositionFilterModel::setAtRiskOnly(bool at_risk_only)
{
    m_at_risk_only = at_risk_only;
    invalidateRowsFilter();
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
