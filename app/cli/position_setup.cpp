#include "position_setup.hpp"

#include "node_options.hpp"

#include <protocols/eth/first_activity.hpp>
#include <protocols/eth/rpc/eth_api.hpp>

#include <wallet/accounts/account_store.hpp>
#include <wallet/accounts/atomic_file.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>

namespace nftterm::cli {

using namespace nftterm::protocols;
using namespace nftterm::protocols::positions;

std::filesystem::path default_state_file(const std::filesystem::path& registry_file, std::uint64_t chain_id, const std::vector<wallet::Address>& accounts)
{
    // One file per chain, registry and set of accounts: several terminals can watch different books.
    std::vector<std::string> sorted;
    for (const auto& account : accounts) sorted.push_back(account.to_hex());
    std::sort(sorted.begin(), sorted.end());
    std::string scope = std::filesystem::absolute(registry_file).string();
    for (const auto& account : sorted) scope += "," + account;
    char name[64];
    std::snprintf(name, sizeof name, "%llu-%016zx.json", static_cast<unsigned long long>(chain_id), std::hash<std::string>{}(scope));
    return wallet::AccountStore::default_folder() / "discovery" / name;
}

/// Parses the shared options; prints the error and returns the exit code on failure.
std::optional<int> interval_option(const Arguments& args)
{
    const std::string text = args.value("interval-ms").value_or("500");
    const int ms = std::atoi(text.c_str());
    if (ms <= 0 || std::to_string(ms) != text) {
        std::cerr << "nftterm-cli: --interval-ms is a positive whole number of milliseconds\n";
        return std::nullopt;
    }
    return ms;
}

std::variant<PositionSetup, int> position_setup(const Arguments& args, const char* command, const std::vector<std::string>& options,
                                                bool needs_accounts)
{
    std::vector<std::string> allowed = kNodeOptions;
    allowed.insert(allowed.end(), options.begin(), options.end());
    allowed.insert(allowed.end(), {"cache", "no-cache", "since-first-activity"});
    if (auto unknown = args.unknown(allowed); !unknown.empty()) {
        std::cerr << "nftterm-cli: " << command << " does not take " << unknown.front() << "\n";
        return 2;
    }
    PositionSetup out;
    for (const auto& text : args.values("account")) {
        auto account = wallet::Address::parse(text);
        if (!account) {
            std::cerr << "nftterm-cli: --account " << text << ": " << account.error().message() << "\n";
            return 2;
        }
        out.accounts.push_back(*account);
    }
    if (needs_accounts && out.accounts.empty()) {
        std::cerr << "nftterm-cli: " << command << " needs at least one --account\n";
        return 2;
    }
    const std::string path = args.value("registry").value_or((wallet::AccountStore::default_folder() / "devnet" / "manifest.json").string());
    auto text = wallet::read_small_file(path);
    if (!text) {
        std::cerr << "nftterm-cli: cannot read the registry " << path << ": " << text.error().message()
                  << (args.has("registry") ? "" : " (start the devnet with: nftterm-cli devnet up, or pass --registry)") << "\n";
        return 1;
    }
    auto registry = registry_from_json(*text);
    if (!registry) {
        std::cerr << "nftterm-cli: " << path << ": " << registry.error().message() << "\n";
        return 1;
    }
    out.registry = std::move(*registry);
    out.registry_file = path;
    auto node = node_options(args);
    if (!node) {
        // A devnet manifest names its node: the default when none is given.
        const auto url = nlohmann::json::parse(*text, nullptr, false).value("rpc_url", std::string());
        if (url.empty()) {
            std::cerr << "nftterm-cli: " << node.error().message() << "\n";
            return 2;
        }
        out.node.urls = {url};
    } else {
        out.node = std::move(*node);
    }
    out.node.chain_id = out.registry.chain_id;
    if (auto file = args.value("cache")) {
        out.state_file = *file;
    } else if (!args.has("no-cache")) {
        out.state_file = default_state_file(path, out.registry.chain_id, out.accounts);
    }
    out.since_first_activity = args.has("since-first-activity");
    return out;
}

void prepare_discovery(Monitor& monitor, eth::RpcClient& client, const PositionSetup& setup)
{
    bool loaded = false;
    if (setup.state_file) {
        auto state = monitor.load_state(*setup.state_file);
        if (!state) std::cerr << "nftterm-cli: warning: " << state.error().message() << "\n";
        loaded = state && *state;
    }
    if (setup.since_first_activity && !loaded) {
        auto head = eth::block_number(client);
        auto first = head ? eth::first_activity_block(client, setup.accounts, *head) : std::unexpected(head.error());
        if (!first)
            std::cerr << "nftterm-cli: warning: cannot find the accounts' first activity, scanning from the registry's start block: "
                      << first.error().message() << "\n";
        else if (*first)
            monitor.start_no_earlier_than(**first);
        else
            std::cerr << "nftterm-cli: none of the accounts has sent a transaction: scanning from the registry's start block\n";
    }
    monitor.on_discovery_progress([&monitor, state_file = setup.state_file](const DiscoveryProgress& progress) {
        if (!progress.long_scan) return;
        const double total = double(progress.head - progress.first_block + 1);
        const double done = double(progress.scanned_to - progress.first_block + 1);
        std::fprintf(stderr, "nftterm-cli: discovery: blocks %llu-%llu of %llu-%llu (%.0f %%), %llu eth_getLogs requests (%llu refused as too big)\n",
                     static_cast<unsigned long long>(progress.first_block), static_cast<unsigned long long>(progress.scanned_to),
                     static_cast<unsigned long long>(progress.first_block), static_cast<unsigned long long>(progress.head), 100.0 * done / total,
                     static_cast<unsigned long long>(progress.logs.requests), static_cast<unsigned long long>(progress.logs.refused));
        if (state_file) (void)monitor.save_state(*state_file);
    });
}

Result<void> discover_positions(Monitor& monitor, eth::RpcClient& client, const PositionSetup& setup)
{
    prepare_discovery(monitor, client, setup);
    auto found = monitor.discover();
    if (!found) return found;
    if (setup.state_file) {
        if (auto saved = monitor.save_state(*setup.state_file); !saved) std::cerr << "nftterm-cli: warning: " << saved.error().message() << "\n";
    }
    return {};
}

}  // namespace nftterm::cli
