#pragma once

#include <ui/account_request.hpp>

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QComboBox;
class QListWidget;
class QTabWidget;

namespace nftterm::ui {

/// Adds an account: a new key, or one imported from a mnemonic, a private
/// key or a keystore file (all stored as an encrypted keystore), or an
/// address to watch. Checks what it can see (passwords match and are long
/// enough, nothing left empty); the app does the rest and answers with
/// setError or accept.
class AccountDialog : public QDialog {
    Q_OBJECT
public:
    explicit AccountDialog(QWidget* parent = nullptr);

    /// Shows the tab for one kind of account.
    void showKind(AccountRequest::Kind kind);
    void setBusy(const QString& what);
    void setError(const QString& message);
    /// The Ledger's accounts a scan found: paths and their addresses.
    void setLedgerAccounts(const QStringList& paths, const QStringList& addresses);
    /// The secret fields are cleared when the dialog closes (kept until then for corrections).
    void done(int result) override;

Q_SIGNALS:
    /// The receiver wipes the request's secrets once used.
    void submitted(const nftterm::ui::AccountRequest& request);
    /// Scan the Ledger at `transport` for its first accounts (BIP-44, or Ledger Live's scheme).
    void ledgerScanRequested(const QString& transport, bool ledger_live);

private:
    void submit();
    AccountRequest::Kind kind() const;
    void clearSecrets();

    QTabWidget* m_tabs = nullptr;
    QLineEdit* m_label = nullptr;
    QPlainTextEdit* m_mnemonic = nullptr;
    QLineEdit* m_passphrase = nullptr;
    QLineEdit* m_path = nullptr;
    QLineEdit* m_private_key = nullptr;
    QLineEdit* m_keystore_file = nullptr;
    QLineEdit* m_keystore_password = nullptr;
    QLineEdit* m_address = nullptr;
    QLineEdit* m_ledger_transport = nullptr;
    QComboBox* m_ledger_scheme = nullptr;
    QListWidget* m_ledger_accounts = nullptr;
    QLineEdit* m_password = nullptr;
    QLineEdit* m_confirm = nullptr;
    QWidget* m_new_password = nullptr;
    QLabel* m_status = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

}  // namespace nftterm::ui
