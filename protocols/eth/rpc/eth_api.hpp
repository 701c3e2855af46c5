#pragma once

#include <protocols/eth/abi/abi_type.hpp>
#include <protocols/eth/rpc/rpc_client.hpp>
#include <wallet/primitives/address.hpp>
#include <wallet/primitives/bytes.hpp>
#include <wallet/primitives/u256.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nftterm::protocols::eth {

/// Which state a read sees: a tag, a number, or one exact block by hash
/// (EIP-1898, so a reorg between reads cannot mix two chains).
class BlockTag {
public:
    static BlockTag latest() { return BlockTag("\"latest\""); }
    static BlockTag pending() { return BlockTag("\"pending\""); }
    static BlockTag number(std::uint64_t n);
    static BlockTag hash(const wallet::BlockHash& h);
    /// As a JSON-RPC parameter.
    const std::string& json() const noexcept { return m_json; }

private:
    explicit BlockTag(std::string json) : m_json(std::move(json)) {}
    std::string m_json;
};

struct BlockHeader {
    std::uint64_t number = 0;
    wallet::BlockHash hash;
    wallet::BlockHash parent_hash;
    std::uint64_t timestamp = 0;
    /// Absent before London.
    std::optional<wallet::U256> base_fee;
    std::uint64_t gas_limit = 0;
    std::uint64_t gas_used = 0;
};

/// What eth_call, eth_estimateGas and simulation run.
struct CallRequest {
    std::optional<wallet::Address> from;
    std::optional<wallet::Address> to;
    wallet::U256 value;
    wallet::Bytes data;
    std::optional<std::uint64_t> gas;
    /// EIP-1559 caps (simulation of the exact transaction); else none.
    std::optional<wallet::U256> max_fee_per_gas;
    std::optional<wallet::U256> max_priority_fee_per_gas;
    std::optional<wallet::U256> gas_price;
    std::optional<std::uint64_t> nonce;
};

struct Log {
    wallet::Address address;
    std::vector<wallet::Hash32> topics;
    wallet::Bytes data;
    std::uint64_t block_number = 0;
    wallet::BlockHash block_hash;
    wallet::TxHash transaction_hash;
    std::uint64_t log_index = 0;
    bool removed = false;
};

struct Receipt {
    wallet::TxHash transaction_hash;
    bool success = false;
    std::uint64_t block_number = 0;
    wallet::BlockHash block_hash;
    std::uint64_t gas_used = 0;
    wallet::U256 effective_gas_price;
    std::optional<wallet::Address> contract_address;
    std::vector<Log> logs;
};

struct TransactionInfo {
    wallet::TxHash hash;
    wallet::Address from;
    std::uint64_t nonce = 0;
    /// Set once mined.
    std::optional<std::uint64_t> block_number;
};

/// eth_feeHistory: base fees for `blocks + 1` blocks (the last is the next
/// block's), and per block the priority fees at the asked percentiles.
struct FeeHistory {
    std::uint64_t oldest_block = 0;
    std::vector<wallet::U256> base_fees;
    std::vector<double> gas_used_ratio;
    std::vector<std::vector<wallet::U256>> rewards;
};

struct LogFilter {
    std::vector<wallet::Address> addresses;
    /// Per position, any of these topics (empty: any topic).
    std::vector<std::vector<wallet::Hash32>> topics;
    std::uint64_t from_block = 0;
    std::optional<std::uint64_t> to_block;
};

Result<std::uint64_t> block_number(RpcClient& client);
/// Errc::Decode when the node has no such block.
Result<BlockHeader> get_block(RpcClient& client, const BlockTag& block);
Result<wallet::U256> get_balance(RpcClient& client, const wallet::Address& account, const BlockTag& block);
Result<std::uint64_t> get_transaction_count(RpcClient& client, const wallet::Address& account, const BlockTag& block);
Result<wallet::Bytes> get_code(RpcClient& client, const wallet::Address& account, const BlockTag& block);

/// eth_call. A revert is Errc::Revert whose context is the decoded reason
/// (Error(string), Panic, one of `custom_errors`, or the raw selector).
Result<wallet::Bytes> call(RpcClient& client, const CallRequest& request, const BlockTag& block,
                           const std::vector<abi::Signature>& custom_errors = {});
/// eth_estimateGas; a revert as for call().
Result<std::uint64_t> estimate_gas(RpcClient& client, const CallRequest& request,
                                   const std::vector<abi::Signature>& custom_errors = {});

Result<wallet::TxHash> send_raw_transaction(RpcClient& client, wallet::ByteView raw);
/// Nullopt while the transaction is not mined.
Result<std::optional<Receipt>> get_receipt(RpcClient& client, const wallet::TxHash& hash);
/// Nullopt when the node does not know the transaction (never seen or dropped).
Result<std::optional<TransactionInfo>> get_transaction(RpcClient& client, const wallet::TxHash& hash);

Result<FeeHistory> fee_history(RpcClient& client, std::uint64_t blocks, const std::vector<double>& percentiles);
Result<wallet::U256> gas_price(RpcClient& client);
Result<wallet::U256> max_priority_fee_per_gas(RpcClient& client);
Result<std::vector<Log>> get_logs(RpcClient& client, const LogFilter& filter);

/// An Errc::Rpc error that reports a revert becomes Errc::Revert with the
/// decoded reason; any other error is returned as it is.
Error as_revert(Error error, const std::vector<abi::Signature>& custom_errors = {});

/// A block header from its JSON-RPC form (eth_getBlockBy*, newHeads).
Result<BlockHeader> block_header_from_json(const std::string& json_text);

/// The params object for a CallRequest (shared by call, estimate and multicall).
std::string call_request_json(const CallRequest& request);

}  // namespace nftterm::protocols::eth
