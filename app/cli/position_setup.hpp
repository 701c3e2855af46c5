#pragma once

#include "arguments.hpp"

#include <protocols/eth/rpc/rpc_client.hpp>
#include <protocols/positions/registry.hpp>

#include <variant>
#include <vector>

namespace nftterm::cli {

/// What the position commands share: the registry, the accounts and the node.
struct PositionSetup {
    protocols::positions::Registry registry;
    std::vector<wallet::Address> accounts;
    protocols::eth::RpcClientOptions node;
};

/// Reads --registry (default: the devnet manifest, whose rpc_url is then the
/// default node), --account (repeatable) and the node options; `options` are
/// the command's own. On bad input prints why and returns the exit code.
std::variant<PositionSetup, int> position_setup(const Arguments& args, const char* command, const std::vector<std::string>& options,
                                                bool needs_accounts = true);

}  // namespace nftterm::cli
