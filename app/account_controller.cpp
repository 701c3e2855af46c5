#include "account_controller.hpp"

#include <ui/dialogs/account_dialog.hpp>
#include <ui/main_window.hpp>
#include <ui/widgets/accounts_pane.hpp>

#include <QInputDialog>
#include <QSettings>

namespace nftterm::app {

namespace {

const QString kActiveSignerKey = QStringLiteral("accounts/activeSigner");

}  // namespace

AccountController::AccountController(ui::MainWindow& window, AccountService& service, std::vector<ui::AccountRow> accounts,
                                     QHash<QString, QString> collection_symbols, QSettings& settings, Hooks hooks)
    : QObject(&window), m_window(window), m_service(service), m_accounts(std::move(accounts)), m_collection_symbols(std::move(collection_symbols)),
      m_settings(settings), m_hooks(std::move(hooks))
{
    auto* pane = window.accountsPane();
    connect(pane, &ui::AccountsPane::addRequested, this, &AccountController::openAddDialog);
    connect(pane, &ui::AccountsPane::labelRequested, this, [this](const QString& address) {
        QString current;
        for (const auto& row : m_accounts)
            if (row.address == address) current = row.label;
        bool ok = false;
        const QString label = QInputDialog::getText(&m_window, tr("Label"), tr("Label for %1").arg(address), QLineEdit::Normal, current, &ok);
        if (ok) m_service.relabel(address, label.trimmed());
    });
    connect(pane, &ui::AccountsPane::activeSignerChosen, this, &AccountController::chooseActive);
    connect(&service, &AccountService::added, this, &AccountController::added);
    connect(&service, &AccountService::relabelled, this, &AccountController::relabelled);
    connect(&service, &AccountService::ledgerScanned, this, [this](const QStringList& paths, const QStringList& addresses) {
        if (m_dialog) m_dialog->setLedgerAccounts(paths, addresses);
    });
    connect(&service, &AccountService::failed, this, [this](const QString& message) {
        if (m_dialog) m_dialog->setError(message);
        m_window.addActivity(tr("Accounts: %1").arg(message));
    });

    // The active signer the user chose last time, if it can still sign.
    const QString active = m_settings.value(kActiveSignerKey).toString();
    for (const auto& row : m_accounts)
        if (row.can_sign && row.address.compare(active, Qt::CaseInsensitive) == 0) chooseActive(row.address);
    publish();
}

void AccountController::openAddDialog()
{
    if (m_dialog) {
        m_dialog->raise();
        return;
    }
    m_dialog = new ui::AccountDialog(&m_window);
    m_dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_dialog, &ui::AccountDialog::submitted, this, [this](const ui::AccountRequest& request) { m_service.add(request); });
    connect(m_dialog, &ui::AccountDialog::ledgerScanRequested, &m_service, &AccountService::scanLedger);
    m_dialog->open();
}

void AccountController::added(const AddedAccount& account)
{
    m_accounts.push_back(account.row);
    publish();
    std::vector<wallet::Address> watched;
    for (const auto& row : m_accounts)
        if (auto address = wallet::Address::from_hex(row.address.toStdString())) watched.push_back(*address);
    if (m_hooks.watch) m_hooks.watch(watched);
    if (m_hooks.signer) m_hooks.signer(account.address, account.signer);
    m_window.addActivity(tr("Added %1 %2%3").arg(!account.row.kind.isEmpty() ? account.row.kind : account.row.can_sign ? tr("keystore") : tr("watch-only address"), account.row.address,
                                                account.row.label.isEmpty() ? QString() : QStringLiteral(" (") + account.row.label + u')'));
    if (m_dialog) m_dialog->accept();
}

void AccountController::relabelled(const QString& address, const QString& label)
{
    for (auto& row : m_accounts)
        if (row.address == address) row.label = label;
    publish();
}

void AccountController::chooseActive(const QString& address)
{
    m_settings.setValue(kActiveSignerKey, address);
    m_window.accountsPane()->setActiveSigner(address);
    if (m_hooks.active_signer) m_hooks.active_signer(wallet::Address::from_hex(address.toStdString()));
}

void AccountController::publish()
{
    m_window.setAccounts(m_accounts);
    QHash<QString, QString> labels;
    for (const auto& row : m_accounts)
        if (!row.label.isEmpty()) labels.insert(row.address, row.label);
    m_window.setNames(m_collection_symbols, labels);
}

}  // namespace nftterm::app
