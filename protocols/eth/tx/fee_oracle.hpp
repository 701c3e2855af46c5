#pragma once

#include <protocols/eth/rpc/rpc_client.hpp>
#include <wallet/primitives/u256.hpp>

#include <cstdint>

namespace nftterm::protocols::eth {

enum class FeeSpeed { Slow, Normal, Fast };

/// Fees for one transaction. EIP-1559: both caps; legacy: gas_price only.
struct FeeSuggestion {
    wallet::U256 max_fee_per_gas;
    wallet::U256 max_priority_fee_per_gas;
    wallet::U256 gas_price;
};

struct FeeSuggestions {
    /// False when the node has no eth_feeHistory or no base fee (pre-London).
    bool eip1559 = true;
    /// The next block's base fee (EIP-1559 only).
    wallet::U256 next_base_fee;
    FeeSuggestion slow;
    FeeSuggestion normal;
    FeeSuggestion fast;

    const FeeSuggestion& at(FeeSpeed speed) const noexcept
    {
        return speed == FeeSpeed::Slow ? slow : speed == FeeSpeed::Fast ? fast : normal;
    }
};

struct FeeOptions {
    /// Blocks of history to read.
    std::uint64_t blocks = 20;
    /// Never suggest a tip below this (wei); nodes drop zero-tip transactions.
    wallet::U256 min_priority_fee{1'000'000};
};

/// Suggestions from eth_feeHistory: tips are the median over recent blocks
/// of the 10th / 50th / 90th percentile rewards (eth_maxPriorityFeePerGas
/// when blocks were empty); the fee cap leaves headroom over the next base
/// fee for base fee rises (×1.25 slow, ×2 normal and fast; each full block
/// raises it by at most 12.5 %, EIP-1559). Nodes without eth_feeHistory get
/// legacy prices from eth_gasPrice (×1, ×1.125, ×1.25).
Result<FeeSuggestions> suggest_fees(RpcClient& client, const FeeOptions& options = {});

/// A gas estimate with a safety margin: +20 %, at least +10,000.
std::uint64_t with_gas_margin(std::uint64_t estimate) noexcept;

/// Fees for a replacement of a transaction that paid `old`: at least 12.5 %
/// more on every field (geth and anvil need 10 %; more avoids rounding
/// disputes), and no less than `current` suggests.
FeeSuggestion bump_fees(const FeeSuggestion& old, const FeeSuggestion& current);

}  // namespace nftterm::protocols::eth
