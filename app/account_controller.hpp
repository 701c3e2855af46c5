#pragma once

#include "account_worker.hpp"

#include <ui/dialogs/account_dialog.hpp>

#include <QHash>
#include <QObject>
#include <QPointer>

#include <functional>
#include <vector>

class QSettings;

namespace nftterm::ui {
class MainWindow;
}  // namespace nftterm::ui

namespace nftterm::app {

/// The accounts pane's actions: the add-account dialog (its work on the
/// account thread), labels, and the active signer (remembered in
/// QSettings). A new account is watched at once: the monitor's account set
/// and the top-up signers follow. Lives on the GUI thread.
class AccountController : public QObject {
    Q_OBJECT
public:
    struct Hooks {
        /// The monitor watches these accounts from now on.
        std::function<void(const std::vector<wallet::Address>&)> watch = {};
        /// How a newly added account signs.
        std::function<void(const wallet::Address&, const SignerSource&)> signer = {};
        /// The active signer changed.
        std::function<void(const std::optional<wallet::Address>&)> active_signer = {};
    };

    AccountController(ui::MainWindow& window, AccountService& service, std::vector<ui::AccountRow> accounts,
                      QHash<QString, QString> collection_symbols, QSettings& settings, Hooks hooks);

    void openAddDialog();
    ui::AccountDialog* dialog() const { return m_dialog; }
    const std::vector<ui::AccountRow>& accounts() const { return m_accounts; }

private:
    void added(const AddedAccount& account);
    void relabelled(const QString& address, const QString& label);
    void chooseActive(const QString& address);
    void publish();

    ui::MainWindow& m_window;
    AccountService& m_service;
    std::vector<ui::AccountRow> m_accounts;
    QHash<QString, QString> m_collection_symbols;
    QSettings& m_settings;
    Hooks m_hooks;
    QPointer<ui::AccountDialog> m_dialog;
};

}  // namespace nftterm::app
