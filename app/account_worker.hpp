#pragma once

#include "action_worker.hpp"

#include <ui/account_request.hpp>
#include <ui/main_window.hpp>
#include <wallet/keys/keystore.hpp>

#include <QObject>
#include "worker_thread.hpp"

#include <filesystem>

namespace nftterm::app {

/// An account the store took in: its pane row and how it signs.
struct AddedAccount {
    wallet::Address address;
    ui::AccountRow row;
    SignerSource signer;
};

/// Adds accounts to the user's store (new keys, mnemonic, private key and
/// keystore imports, watch-only addresses) and relabels them, on its own
/// thread: scrypt takes seconds and the store writes files. A request's
/// secrets are wiped once used; nothing is written unless all checks pass.
class AccountWorker : public QObject {
    Q_OBJECT
public:
    AccountWorker(std::filesystem::path data_dir, wallet::keystore::ScryptParams kdf);

public Q_SLOTS:
    /// One instance, shared with no one else: wiping it wipes the secrets.
    void add(std::shared_ptr<nftterm::ui::AccountRequest> request);
    void relabel(const QString& address, const QString& label);
    /// The first accounts of the Ledger at `transport` (see wallet::ledger::discover_accounts).
    void scanLedger(const QString& transport, bool ledger_live);

Q_SIGNALS:
    void added(const nftterm::app::AddedAccount& account);
    void relabelled(const QString& address, const QString& label);
    void ledgerScanned(const QStringList& paths, const QStringList& addresses);
    /// In words; nothing was stored.
    void failed(const QString& message);

private:
    std::filesystem::path m_data_dir;
    wallet::keystore::ScryptParams m_kdf;
};

/// Owns the account worker's thread; used on the GUI thread.
class AccountService : public QObject {
    Q_OBJECT
public:
    AccountService(std::filesystem::path data_dir, wallet::keystore::ScryptParams kdf = wallet::keystore::ScryptParams::standard(),
                   QObject* parent = nullptr);
    ~AccountService() override;

    /// Takes a copy of the request; the caller wipes its own.
    void add(const ui::AccountRequest& request);
    void relabel(const QString& address, const QString& label);
    void scanLedger(const QString& transport, bool ledger_live);

Q_SIGNALS:
    void added(const nftterm::app::AddedAccount& account);
    void relabelled(const QString& address, const QString& label);
    void ledgerScanned(const QStringList& paths, const QStringList& addresses);
    void failed(const QString& message);

private:
    WorkerThread m_thread{QStringLiteral("accounts")};
    AccountWorker* m_worker = nullptr;
};

}  // namespace nftterm::app

Q_DECLARE_METATYPE(nftterm::app::AddedAccount)
