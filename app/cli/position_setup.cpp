#include "position_setup.hpp"

#include "node_options.hpp"

#include <wallet/accounts/account_store.hpp>
#include <wallet/accounts/atomic_file.hpp>

#include <nlohmann/json.hpp>

#include <iostream>

namespace nftterm::cli {

using namespace nftterm::protocols;
using namespace nftterm::protocols::positions;

/// Parses the shared options; prints the error and returns the exit code on failure.
std::variant<PositionSetup, int> position_setup(const Arguments& args, const char* command, const std::vector<std::string>& options,
                                                bool needs_accounts)
{
    std::vector<std::string> allowed = kNodeOptions;
    allowed.insert(allowed.end(), options.begin(), options.end());
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
    return out;
}

}  // namespace nftterm::cli
