#pragma once

// What the commands that sign trades share: reading a collection and an
// amount as typed, and sending a plan's calls one after the other.

#include "arguments.hpp"

#include <protocols/actions/plan.hpp>
#include <protocols/eth/rpc/eth_api.hpp>
#include <protocols/eth/rpc/rpc_client.hpp>
#include <protocols/positions/registry.hpp>
#include <wallet/signer/signer.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace nftterm::cli {

/// The collection named by a symbol of the registry or an address.
std::optional<wallet::Address> collection_of(const protocols::positions::Registry& registry, const std::string& text);

/// An amount of ETH as typed: "12.5", or with a unit ("12.5ether", "900gwei").
std::optional<wallet::U256> eth_amount(const std::string& text);

/// Signs and sends a trade's calls in turn and waits for each (the journal of
/// --journal, the fee options); each goes into out["transactions"]. False,
/// with `failure` in words, when one did not land.
bool send_trade(protocols::eth::RpcClient& client, wallet::Signer& signer, const Arguments& args, std::uint64_t chain_id,
                const std::vector<protocols::actions::PlannedCall>& calls, nlohmann::json& out, std::string& failure,
                std::vector<protocols::eth::Receipt>* receipts = nullptr);

}  // namespace nftterm::cli
