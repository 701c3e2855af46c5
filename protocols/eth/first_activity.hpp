#pragma once

#include <protocols/eth/rpc/rpc_client.hpp>
#include <wallet/primitives/address.hpp>

#include <cstdint>
#include <optional>
#include <vector>

namespace nftterm::protocols::eth {

/// The block of the first transaction any of `accounts` sent, found by
/// bisecting eth_getTransactionCount over [0, head] (about 25 reads an
/// account on mainnet; the node must answer for old blocks, as archive
/// nodes and the big providers do). Nullopt when none has sent one. A
/// position an account only received (a transferred loan note) can start
/// earlier: this is a shortcut the user asks for, not the default.
Result<std::optional<std::uint64_t>> first_activity_block(RpcClient& client, const std::vector<wallet::Address>& accounts, std::uint64_t head);

}  // namespace nftterm::protocols::eth
