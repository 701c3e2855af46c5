#pragma once

// What the commands that sign trades share: reading a collection and an
// amount as typed, and sending a plan's calls one after the other.

#include "arguments.hpp"
#include "position_setup.hpp"

#include <protocols/actions/plan.hpp>
#include <protocols/eth/rpc/eth_api.hpp>
#include <protocols/eth/rpc/rpc_client.hpp>
#include <protocols/positions/registry.hpp>
#include <wallet/signer/signer.hpp>

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace nftterm::cli {

/// The collection named by a symbol of the registry or an address.
std::optional<wallet::Address> collection_of(const protocols::positions::Registry& registry, const std::string& text);

/// An amount of ETH as typed: "12.5", or with a unit ("12.5ether", "900gwei").
std::optional<wallet::U256> eth_amount(const std::string& text);

/// "12.3456": a WAD for people, cut (not rounded) to `places` decimals.
std::string short_wad(const wallet::U256& value, std::size_t places = 4);

/// What every command that signs starts with: the node and registry, the
/// signer, a client on the node and the head block to plan at.
struct SigningSession {
    PositionSetup setup;
    std::unique_ptr<wallet::Signer> signer;
    std::unique_ptr<protocols::eth::RpcClient> client;
    std::uint64_t head = 0;
};

/// Reads `options` (the signer's and the signing options are added), the
/// signer and the head; on bad input or a failure says why ("nftterm-cli:
/// NAME: …") and gives the exit code (2 for usage, 1 otherwise).
std::variant<SigningSession, int> signing_session(const Arguments& args, const char* name, std::vector<std::string> options);

/// Says "nftterm-cli: NAME: why" on stderr and gives `code`.
int say_failed(const char* name, int code, const std::string& why);

/// Signs and sends a trade's calls in turn and waits for each (the journal of
/// --journal, the fee options); each goes into out["transactions"]. False,
/// with `failure` in words, when one did not land.
bool send_trade(protocols::eth::RpcClient& client, wallet::Signer& signer, const Arguments& args, std::uint64_t chain_id,
                const std::vector<protocols::actions::PlannedCall>& calls, nlohmann::json& out, std::string& failure,
                std::vector<protocols::eth::Receipt>* receipts = nullptr);

}  // namespace nftterm::cli
