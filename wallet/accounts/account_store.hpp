#pragma once

#include <wallet/error.hpp>
#include <wallet/primitives/address.hpp>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace nftterm::wallet {

enum class AccountKind { Keystore, WatchOnly, Ledger };

std::string_view to_string(AccountKind kind);

/// One account the terminal knows. Keystore accounts can sign; watch-only
/// ones are only monitored.
struct AccountEntry {
    Address address;
    std::string label;
    AccountKind kind = AccountKind::WatchOnly;
    /// File name of the keystore inside the store's keystore/ folder.
    std::string keystore_file;
    /// A hardware account: its derivation path and how to reach the device
    /// ("hid", "tcp:HOST:PORT"). No secret: the key stays on the device.
    std::string path;
    std::string transport;
};

/// The user's accounts in a data folder: keystore/ holds v3 files (mode
/// 0600, written atomically), accounts.json the index with labels and
/// watch-only addresses. Not thread-safe; one writer process at a time.
class AccountStore {
public:
    /// Opens (creating if needed, mode 0700) the store in `folder`.
    static Result<AccountStore> open(std::filesystem::path folder);

    /// $NFTTERM_DATA_DIR, else $XDG_DATA_HOME/nftterm, else ~/.local/share/nftterm.
    static std::filesystem::path default_folder();

    const std::filesystem::path& folder() const noexcept { return m_folder; }
    const std::vector<AccountEntry>& accounts() const noexcept { return m_accounts; }

    /// Adds an encrypted keystore (its JSON as written by keystore::encrypt
    /// or another wallet). An address already present is Errc::AlreadyExists.
    Result<AccountEntry> add_keystore(std::string_view keystore_json, std::string label);
    Result<AccountEntry> add_watch_only(const Address& address, std::string label);
    /// A Ledger account: the address the device gave for `path`.
    Result<AccountEntry> add_ledger(const Address& address, std::string path, std::string transport, std::string label);
    /// The Ledger account with this path, if there is one.
    const AccountEntry* ledger_account(std::string_view path) const;
    Result<void> set_label(const Address& address, std::string label);

    /// The keystore JSON of a signing account.
    Result<std::string> read_keystore(const Address& address) const;
    std::filesystem::path keystore_path(const AccountEntry& entry) const;

private:
    explicit AccountStore(std::filesystem::path folder) : m_folder(std::move(folder)) {}
    Result<void> load();
    Result<void> save() const;
    const AccountEntry* find(const Address& address) const;

    std::filesystem::path m_folder;
    std::vector<AccountEntry> m_accounts;
};

}  // namespace nftterm::wallet
