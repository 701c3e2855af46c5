#pragma once

#include <protocols/error.hpp>

#include <cstdint>
#include <optional>

namespace nftterm::protocols::eth {

/// Why a provider refused an eth_getLogs request for being too big: a block
/// range over its limit (`max_blocks` when the message says the limit or a
/// range that works), or too many results for the range (ask for less).
struct GetLogsRefusal {
    std::optional<std::uint64_t> max_blocks;
};

/// Whether `error` is such a refusal, read from the messages the big
/// providers send (Infura, Alchemy, QuickNode, Ankr, Cloudflare, BlockPI,
/// Chainstack, publicnode, geth-style "query exceeds max results", Arbitrum
/// Nitro, OP and Base nodes). Any other error (a node down, a bad filter) is not.
std::optional<GetLogsRefusal> get_logs_refusal(const Error& error);

}  // namespace nftterm::protocols::eth
