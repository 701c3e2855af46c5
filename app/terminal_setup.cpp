#include "terminal_setup.hpp"

#include "account_rows.hpp"

#include <protocols/devnet/demo_world.hpp>
#include <wallet/accounts/account_store.hpp>
#include <wallet/accounts/atomic_file.hpp>

#include <algorithm>
#include <utility>

namespace nftterm::app {

using protocols::Errc;
using protocols::fail;

std::vector<std::string> endpoint_list(std::string_view text)
{
    std::vector<std::string> urls;
    std::string current;
    for (const char c : text) {
        if (c == ' ' || c == ',' || c == '\t' || c == '\n') {
            if (!current.empty()) urls.push_back(std::exchange(current, {}));
        } else {
            current += c;
        }
    }
    if (!current.empty()) urls.push_back(current);
    return urls;
}

protocols::Result<TerminalSetup> terminal_setup(const std::filesystem::path& registry_file, const std::vector<std::string>& rpc_urls,
                                                const std::filesystem::path& data_dir, const std::map<std::uint64_t, std::string>& endpoints)
{
    auto text = wallet::read_small_file(registry_file);
    if (!text) return fail(Errc::Config, "cannot read the registry " + registry_file.string() + " (start the devnet with: nftterm-cli devnet up)");
    auto registry = protocols::positions::registry_from_json(*text);
    if (!registry) return std::unexpected(registry.error());
    TerminalSetup setup;
    setup.monitor.registry = *registry;
    for (const auto& [name, address] : registry->contracts)
        if (registry->symbol_of(address) == name) setup.collection_symbols.insert(QString::fromStdString(address.to_hex()), QString::fromStdString(name));

    // A devnet manifest names its node and its demo traders.
    auto manifest = protocols::devnet::manifest_from_json(*text);
    if (!rpc_urls.empty()) {
        setup.monitor.node.urls = rpc_urls;
    } else if (const auto endpoint = endpoints.find(registry->chain_id); endpoint != endpoints.end()) {
        setup.monitor.node.urls = endpoint_list(endpoint->second);
    } else if (manifest && !manifest->rpc_url.empty()) {
        setup.monitor.node.urls = {manifest->rpc_url};
    } else {
        return fail(Errc::Config, "the registry names no node: pass --rpc-url URL");
    }
    setup.monitor.node.chain_id = registry->chain_id;

    if (auto store = wallet::AccountStore::open(data_dir); store) {
        setup.accounts = account_rows(store->accounts());
        for (const auto& entry : store->accounts()) {
            setup.monitor.accounts.push_back(entry.address);
            SignerSource source;
            if (entry.kind == wallet::AccountKind::Keystore) {
                source.kind = SignerSource::Kind::Keystore;
                source.keystore = store->keystore_path(entry);
                source.description = QStringLiteral("keystore ") + QString::fromStdString(entry.address.to_hex());
            } else if (entry.kind == wallet::AccountKind::Ledger) {
                source.kind = SignerSource::Kind::Ledger;
                source.ledger_path = entry.path;
                source.ledger_transport = entry.transport;
                source.description = QStringLiteral("Ledger ") + QString::fromStdString(entry.path);
            }
            setup.signers[entry.address] = source;
        }
    }
    if (manifest) {
        for (const auto& account : manifest->accounts) {
            if (account.role != "trader" || std::ranges::find(setup.monitor.accounts, account.address) != setup.monitor.accounts.end()) continue;
            setup.monitor.accounts.push_back(account.address);
            setup.accounts.push_back({QString::fromStdString(account.address.to_hex()), QString::fromStdString(account.name) + QStringLiteral(" (devnet)"), true,
                                      QStringLiteral("devnet key")});
            // The devnet's keys come from anvil's public test mnemonic: fine to sign with there, nowhere else.
            SignerSource source;
            source.kind = SignerSource::Kind::DevnetKey;
            source.devnet_index = account.index;
            source.description = QStringLiteral("devnet key of ") + QString::fromStdString(account.name);
            setup.signers[account.address] = source;
        }
    }
    for (const auto& row : setup.accounts)
        if (!row.label.isEmpty()) setup.account_labels.insert(row.address, row.label);
    setup.journal = data_dir / "transactions.jsonl";
    setup.monitor.state_file = data_dir / "discovery" / ("gui-" + std::to_string(registry->chain_id) + ".json");
    return setup;
}

}  // namespace nftterm::app
