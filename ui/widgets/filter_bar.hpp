#pragma once

#include <QStringList>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLineEdit;

namespace nftterm::ui {

class PositionFilterModel;

/// Protocol, account, collection and "at risk only" filters over the positions table.
class FilterBar : public QWidget {
    Q_OBJECT
public:
    FilterBar(PositionFilterModel* filter, QWidget* parent = nullptr);

    /// The accounts offered in the account filter (checksummed addresses, with labels).
    void setAccounts(const QStringList& addresses, const QStringList& labels);
    void focusSearch();
    void toggleAtRisk();

private:
    PositionFilterModel* m_filter;
    QComboBox* m_protocol = nullptr;
    QComboBox* m_account = nullptr;
    QLineEdit* m_collection = nullptr;
    QCheckBox* m_at_risk = nullptr;
};

}  // namespace nftterm::ui
