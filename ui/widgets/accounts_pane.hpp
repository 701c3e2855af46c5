#pragma once

#include <QWidget>

#include <vector>

class QListWidget;
class QPushButton;

namespace nftterm::ui {

struct AccountRow;

/// The accounts the terminal watches and signs with: label, how it signs,
/// the whole address; buttons to add one, relabel it, and choose the active
/// signer (who pays when a watch-only account's pool loan is topped up).
class AccountsPane : public QWidget {
    Q_OBJECT
public:
    explicit AccountsPane(QWidget* parent = nullptr);

    void setAccounts(const std::vector<AccountRow>& accounts);
    /// Marks the active signer (empty: none).
    void setActiveSigner(const QString& address);
    const QString& activeSigner() const { return m_active; }
    QString selectedAddress() const;

Q_SIGNALS:
    void addRequested();
    void labelRequested(const QString& address);
    void activeSignerChosen(const QString& address);

private:
    void redraw();

    QListWidget* m_list = nullptr;
    QPushButton* m_label = nullptr;
    QPushButton* m_activate = nullptr;
    std::vector<AccountRow> m_accounts;
    QString m_active;
};

}  // namespace nftterm::ui
