#pragma once

#include <QSortFilterProxyModel>
#include <QString>

namespace nftterm::ui {

/// Sorts the positions table by its numeric sort keys and filters it by
/// protocol, account, collection text, and "at risk only" (warning or
/// critical).
class PositionFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit PositionFilterModel(QObject* parent = nullptr);

    /// "" for every protocol, else "nftfi", "benddao", "sudoswap", "perp".
    void setProtocol(const QString& protocol);
    /// "" for every account, else the checksummed address.
    void setAccount(const QString& account);
    /// Collection symbol or address fragment, case-insensitive.
    void setCollectionText(const QString& text);
    void setAtRiskOnly(bool at_risk_only);

protected:
    bool filterAcceptsRow(int source_row, const QModelIndex& source_parent) const override;

private:
    QString m_protocol;
    QString m_account;
    QString m_collection;
    bool m_at_risk_only = false;
};

}  // namespace nftterm::ui
