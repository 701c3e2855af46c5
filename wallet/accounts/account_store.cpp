#include "account_store.hpp"

#include <wallet/accounts/atomic_file.hpp>
#include <wallet/keys/keystore.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <system_error>

namespace nftterm::wallet {
namespace {

using nlohmann::json;

constexpr const char* kIndexFile = "accounts.json";

std::string keystore_file_name(const Address& address)
{
    // geth's naming: UTC--<ISO time>--<address>.
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H-%M-%SZ", &utc);
    return std::string("UTC--") + stamp + "--" + to_hex_bare(address.view());
}

}  // namespace

std::filesystem::path AccountStore::default_folder()
{
    if (const char* dir = std::getenv("NFTTERM_DATA_DIR"); dir && *dir) return dir;
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) return std::filesystem::path(xdg) / "nftterm";
    const char* home = std::getenv("HOME");
    return std::filesystem::path(home && *home ? home : ".") / ".local" / "share" / "nftterm";
}

Result<AccountStore> AccountStore::open(std::filesystem::path folder)
{
    // Folders we create are owner-only; an existing folder the user chose
    // keeps its mode (never chmod a shared folder such as /tmp).
    std::error_code ec;
    for (const auto& dir : {folder, folder / "keystore"}) {
        if (std::filesystem::exists(dir, ec)) continue;
        std::filesystem::create_directories(dir, ec);
        if (ec) return fail(Errc::Io, "cannot create " + dir.string() + ": " + ec.message());
        std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
    }
    AccountStore store(std::move(folder));
    if (auto loaded = store.load(); !loaded) return std::unexpected(loaded.error());
    return store;
}

Result<void> AccountStore::load()
{
    const auto index = m_folder / kIndexFile;
    if (!std::filesystem::exists(index)) return {};
    auto text = read_small_file(index);
    if (!text) return std::unexpected(text.error());
    const json root = json::parse(*text, nullptr, false);
    if (root.is_discarded() || !root.is_object() || !root.contains("accounts") || !root["accounts"].is_array())
        return fail(Errc::Io, index.string() + " is damaged; move it aside and re-import your keystore files");
    for (const auto& item : root["accounts"]) {
        if (!item.is_object() || !item.contains("address") || !item["address"].is_string())
            return fail(Errc::Io, index.string() + " has an entry without an address");
        auto address = Address::parse(item["address"].get<std::string>());
        if (!address) return fail(Errc::Io, index.string() + ": " + address.error().message());
        AccountEntry entry;
        entry.address = *address;
        entry.label = item.value("label", "");
        const std::string kind = item.value("kind", "watch");
        entry.kind = kind == "keystore" ? AccountKind::Keystore : kind == "ledger" ? AccountKind::Ledger : AccountKind::WatchOnly;
        entry.keystore_file = item.value("keystore", "");
        entry.path = item.value("path", "");
        entry.transport = item.value("transport", "");
        m_accounts.push_back(std::move(entry));
    }
    return {};
}

Result<void> AccountStore::save() const
{
    json list = json::array();
    for (const auto& entry : m_accounts) {
        json item = {{"address", entry.address.to_hex()},
                     {"label", entry.label},
                     {"kind", to_string(entry.kind)}};
        if (!entry.keystore_file.empty()) item["keystore"] = entry.keystore_file;
        if (!entry.path.empty()) item["path"] = entry.path;
        if (!entry.transport.empty()) item["transport"] = entry.transport;
        list.push_back(std::move(item));
    }
    return write_file_atomically(m_folder / kIndexFile, json{{"version", 1}, {"accounts", list}}.dump(2) + "\n", 0600);
}

const AccountEntry* AccountStore::find(const Address& address) const
{
    for (const auto& entry : m_accounts)
        if (entry.address == address) return &entry;
    return nullptr;
}

Result<AccountEntry> AccountStore::add_keystore(std::string_view keystore_json, std::string label)
{
    auto address = keystore::address_of_file(keystore_json);
    if (!address) return std::unexpected(address.error());
    if (find(*address)) return fail(Errc::AlreadyExists, address->to_hex() + " is already in the account store");
    AccountEntry entry{*address, std::move(label), AccountKind::Keystore, keystore_file_name(*address), {}, {}};
    if (auto written = write_file_atomically(keystore_path(entry), keystore_json, 0600); !written)
        return std::unexpected(written.error());
    m_accounts.push_back(entry);
    if (auto saved = save(); !saved) {
        m_accounts.pop_back();
        return std::unexpected(saved.error());
    }
    return entry;
}

std::string_view to_string(AccountKind kind)
{
    switch (kind) {
    case AccountKind::Keystore: return "keystore";
    case AccountKind::WatchOnly: return "watch";
    case AccountKind::Ledger: return "ledger";
    }
    return "watch";
}

Result<AccountEntry> AccountStore::add_ledger(const Address& address, std::string path, std::string transport, std::string label)
{
    if (find(address)) return fail(Errc::AlreadyExists, address.to_hex() + " is already in the account store");
    AccountEntry entry{address, std::move(label), AccountKind::Ledger, {}, std::move(path), std::move(transport)};
    m_accounts.push_back(entry);
    if (auto saved = save(); !saved) {
        m_accounts.pop_back();
        return std::unexpected(saved.error());
    }
    return entry;
}

const AccountEntry* AccountStore::ledger_account(std::string_view path) const
{
    for (const auto& entry : m_accounts)
        if (entry.kind == AccountKind::Ledger && entry.path == path) return &entry;
    return nullptr;
}

Result<AccountEntry> AccountStore::add_watch_only(const Address& address, std::string label)
{
    if (find(address)) return fail(Errc::AlreadyExists, address.to_hex() + " is already in the account store");
    m_accounts.push_back({address, std::move(label), AccountKind::WatchOnly, {}, {}, {}});
    if (auto saved = save(); !saved) {
        m_accounts.pop_back();
        return std::unexpected(saved.error());
    }
    return m_accounts.back();
}

Result<void> AccountStore::set_label(const Address& address, std::string label)
{
    for (auto& entry : m_accounts) {
        if (entry.address != address) continue;
        std::string previous = std::exchange(entry.label, std::move(label));
        if (auto saved = save(); !saved) {
            entry.label = std::move(previous);
            return saved;
        }
        return {};
    }
    return fail(Errc::NotFound, address.to_hex() + " is not in the account store");
}

std::filesystem::path AccountStore::keystore_path(const AccountEntry& entry) const
{
    return m_folder / "keystore" / entry.keystore_file;
}

Result<std::string> AccountStore::read_keystore(const Address& address) const
{
    const AccountEntry* entry = find(address);
    if (!entry) return fail(Errc::NotFound, address.to_hex() + " is not in the account store");
    if (entry->kind != AccountKind::Keystore) return fail(Errc::NotFound, address.to_hex() + " is watch-only: it has no key");
    return read_small_file(keystore_path(*entry));
}

}  // namespace nftterm::wallet
