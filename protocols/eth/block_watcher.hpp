#pragma once

#include <protocols/eth/rpc/eth_api.hpp>

#include <chrono>
#include <map>
#include <mutex>

namespace nftterm::protocols::eth {

/// How fresh the terminal's view of the chain is. The UI must never show
/// stale numbers as live.
enum class HeadState {
    Live,        ///< the head moved recently
    Lagging,     ///< no new block for longer than usual
    Stale,       ///< no new block for long: treat every figure as old
    Unreachable, ///< the last poll failed
};

std::string to_string(HeadState state);

struct HeadEvent {
    BlockHeader head;
    HeadState state = HeadState::Live;
    /// True when this poll saw a block the last one did not.
    bool advanced = false;
    /// Blocks of ours that the node's chain no longer has (0: no reorg).
    std::uint64_t reorg_depth = 0;
    /// The first block number whose contents changed in that reorg.
    std::optional<std::uint64_t> reorg_from;
    /// Time since the head last moved.
    std::chrono::milliseconds since_last_block{0};
};

struct BlockWatcherOptions {
    std::chrono::milliseconds lagging_after{std::chrono::seconds(36)};
    std::chrono::milliseconds stale_after{std::chrono::seconds(120)};
    /// Recent block hashes kept to find the fork point of a reorg.
    std::size_t history = 128;
};

/// Follows the head by polling (eth_getBlockByNumber "latest"), checks each
/// new block's parent hash against the blocks it saw, walks back to the
/// fork point on a mismatch, and says when the head stops moving. One poller
/// at a time; state() may be read from any thread.
class BlockWatcher {
public:
    explicit BlockWatcher(RpcClient& client, BlockWatcherOptions options = {}) : m_client(client), m_options(options) {}

    /// One look at the head. A failure leaves the watcher Unreachable (and is returned).
    Result<HeadEvent> poll();
    /// A head the node pushed (eth_subscribe newHeads): checked as a polled one.
    Result<HeadEvent> accept(const BlockHeader& head);
    HeadState state() const;

private:
    Result<std::uint64_t> find_fork(const BlockHeader& head);

    RpcClient& m_client;
    BlockWatcherOptions m_options;
    mutable std::mutex m_mutex;
    std::map<std::uint64_t, wallet::BlockHash> m_seen;
    std::optional<BlockHeader> m_head;
    std::chrono::steady_clock::time_point m_moved{};
    HeadState m_state = HeadState::Unreachable;
};

}  // namespace nftterm::protocols::eth
