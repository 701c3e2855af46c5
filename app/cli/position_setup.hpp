#pragma once

#include "arguments.hpp"

#include <protocols/eth/rpc/rpc_client.hpp>
#include <protocols/positions/monitor.hpp>
#include <protocols/positions/registry.hpp>

#include <filesystem>
#include <optional>
#include <variant>
#include <vector>

namespace nftterm::cli {

/// What the position commands share: the registry, the accounts and the node.
struct PositionSetup {
    protocols::positions::Registry registry;
    std::filesystem::path registry_file;
    std::vector<wallet::Address> accounts;
    protocols::eth::RpcClientOptions node;
    /// Where discovery is cached between runs (--cache FILE; default under
    /// the data folder, per chain, registry and accounts); unset with --no-cache.
    std::optional<std::filesystem::path> state_file;
    /// --since-first-activity: a first scan starts at the accounts' first transaction, not the registry's start block.
    bool since_first_activity = false;
};

/// The cache options every position command takes (--no-cache is a flag).
inline const char* const kCacheUsage =
    "  --cache FILE     where discovery is remembered between runs (default:\n"
    "                   DATA_DIR/discovery/, per chain, registry and accounts)\n"
    "  --no-cache       scan the chain from the registry's start block\n"
    "  --since-first-activity\n"
    "                   a first scan starts at the block of the accounts' first\n"
    "                   transaction (found by bisecting their nonces; needs a node\n"
    "                   that answers for old blocks) instead of the registry's\n"
    "                   start block: much faster on mainnet, but misses a\n"
    "                   position an account only received before it ever sent\n"
    "                   a transaction\n";

/// The default discovery cache for these accounts on this chain and registry.
std::filesystem::path default_state_file(const std::filesystem::path& registry_file, std::uint64_t chain_id,
                                         const std::vector<wallet::Address>& accounts);

/// Loads the cached state (a cache that does not fit this chain is ignored;
/// an unreadable one is reported and left alone), starts a first scan at
/// the accounts' first activity when asked, and has a long scan report its
/// progress on stderr and save the cache after every window (so an
/// interrupted scan goes on from there).
void prepare_discovery(protocols::positions::Monitor& monitor, protocols::eth::RpcClient& client, const PositionSetup& setup);

/// Discovery that goes on from the cached state (a cache that does not fit
/// this chain is ignored; an unreadable one is reported and left alone),
/// then saves it. Warnings go to stderr.
protocols::Result<void> discover_positions(protocols::positions::Monitor& monitor, protocols::eth::RpcClient& client, const PositionSetup& setup);

/// Reads --cache/--no-cache, --registry (default: the devnet manifest, whose rpc_url is then the
/// default node), --account (repeatable) and the node options; `options` are
/// the command's own. On bad input prints why and returns the exit code.
/// --interval-ms (how often a watching command polls the head; default 500):
/// a positive whole number, or it says why on stderr and gives nothing.
std::optional<int> interval_option(const Arguments& args);

std::variant<PositionSetup, int> position_setup(const Arguments& args, const char* command, const std::vector<std::string>& options,
                                                bool needs_accounts = true);

}  // namespace nftterm::cli
