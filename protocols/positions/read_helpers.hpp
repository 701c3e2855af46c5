#pragma once

// Internal to the adapters: calldata for fixed signatures and typed access
// to decoded return values.

#include <protocols/eth/abi/abi_type.hpp>
#include <protocols/eth/abi/abi_value.hpp>
#include <protocols/eth/multicall.hpp>
#include <protocols/eth/rpc/eth_api.hpp>
#include <protocols/positions/position.hpp>

#include <optional>
#include <string>
#include <vector>

namespace nftterm::protocols::positions::detail {

/// ClearingHouse.PnlCalcOption (Perp v1): the price a PnL view uses.
inline constexpr std::uint64_t kPnlSpot = 0;
inline constexpr std::uint64_t kPnlTwap = 1;

/// A call of `signature` with already-typed arguments.
eth::ReadCall read_call(const wallet::Address& target, const std::string& signature, std::vector<abi::Value> args = {});

/// The outputs of a successful call as `types` ("(uint256,address)"), or nullopt.
std::optional<std::vector<abi::Value>> outputs(const eth::ReadResult& result, std::string_view types);

abi::Value value(const wallet::U256& v);
abi::Value value(const wallet::Address& v);
abi::Value value(std::uint64_t v);

wallet::U256 u256(const abi::Value& v);
wallet::Address address(const abi::Value& v);
SignedWad signed_wad(const abi::Value& v);
bool boolean(const abi::Value& v);
const abi::Value::List& list(const abi::Value& v);

/// topic for an address argument (left-padded).
/// BendDAO's getReserveData answer by its first ten fields (configuration, liquidityIndex,
/// variableBorrowIndex, currentLiquidityRate, currentVariableBorrowRate, lastUpdateTimestamp,
/// bToken, debtToken, interestRate, id): a reserve read at a block before the 2025 upgrade
/// answers exactly these ten words, a later one adds a field after them, which nothing here
/// reads; a static tuple's extra trailing words decode fine, a missing one does not.
inline constexpr const char* kBendReserveDataTypes = "(((uint256),uint128,uint128,uint128,uint128,uint40,address,address,address,uint8))";

wallet::Hash32 topic_of(const wallet::Address& address);
wallet::Hash32 event_topic(const std::string& canonical_signature);
/// event_topic, hashed once per signature for the process (thread-safe; the reference stays valid).
const wallet::Hash32& cached_event_topic(const char* canonical_signature);
std::vector<wallet::Hash32> topics_of(const std::vector<wallet::Address>& accounts);
/// The address in an indexed topic.
wallet::Address address_of_topic(const wallet::Hash32& topic);

/// Discovery's one query: the logs of `event` (its canonical signature)
/// that `contract` emitted in [from_block, to_block] whose indexed argument
/// `account_topic` (topics[account_topic], 1-based) is one of `accounts`,
/// or every such log when `account_topic` is 0. One eth_getLogs for all
/// the accounts; logs with fewer topics than asked for are left out.
Result<std::vector<eth::Log>> event_logs(eth::RpcClient& client, const wallet::Address& contract, const std::string& event,
                                         std::size_t account_topic, const std::vector<wallet::Address>& accounts, std::uint64_t from_block,
                                         std::uint64_t to_block);

}  // namespace nftterm::protocols::positions::detail
