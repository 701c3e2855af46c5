#pragma once

#include <QSortFilterProxyModel>
#include <QString>

namespace nftterm::ui {

class PositionTableModel;

/// Sorts the positions table by its numeric sort keys and filters it by
/// protocol, account, collection text, and "at risk only" (warning or
/// critical). Re-sorts (and re-filters at-risk rows) once per block, when
/// the table has taken the whole snapshot, instead of once per changed row:
/// a block that moves 1,000 of 10,000 rows costs one sort, not 1,000.
class PositionFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit PositionFilterModel(QObject* parent = nullptr);

    /// A PositionTableModel: its blocks drive the re-sorting.
    void setSourceModel(QAbstractItemModel* source) override;

    /// "" for every protocol, else "nftfi", "benddao", "sudoswap", "perp".
    void setProtocol(const QString& protocol);
    /// "" for every account, else the checksummed address.
    void setAccount(const QString& account);
    /// Collection symbol or address fragment, case-insensitive.
    void setCollectionText(const QString& text);
    void setAtRiskOnly(bool at_risk_only);

protected:
    bool filterAcceptsRow(int source_row, const QModelIndex& source_parent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    void resortAfterBlock();
    void refilter();

    const PositionTableModel* m_positions = nullptr;
    QString m_protocol;
    QString m_account;
    QString m_collection;
    bool m_at_risk_only = false;
};

}  // namespace nftterm::ui
