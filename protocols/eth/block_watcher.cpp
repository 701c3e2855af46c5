#include "block_watcher.hpp"

namespace nftterm::protocols::eth {

std::string to_string(HeadState state)
{
    switch (state) {
    case HeadState::Live: return "live";
    case HeadState::Lagging: return "lagging";
    case HeadState::Stale: return "stale";
    case HeadState::Unreachable: return "unreachable";
    }
    return "unknown";
}

HeadState BlockWatcher::state() const
{
    std::lock_guard lock(m_mutex);
    return m_state;
}

Result<std::uint64_t> BlockWatcher::find_fork(const BlockHeader& head)
{
    // Walk down from the new head until the node's block matches one we saw.
    std::uint64_t number = head.number;
    wallet::BlockHash hash = head.hash;
    wallet::BlockHash parent = head.parent_hash;
    while (true) {
        const auto seen = m_seen.find(number);
        if (seen != m_seen.end() && seen->second == hash) return number + 1;
        if (number == 0 || m_seen.empty() || number <= m_seen.begin()->first) return number;
        auto block = get_block(m_client, BlockTag::hash(parent));
        if (!block) return std::unexpected(block.error());
        number = block->number;
        hash = block->hash;
        parent = block->parent_hash;
    }
}

Result<HeadEvent> BlockWatcher::poll()
{
    auto head = get_block(m_client, BlockTag::latest());
    if (!head) {
        std::lock_guard lock(m_mutex);
        m_state = HeadState::Unreachable;
        return std::unexpected(head.error());
    }
    return accept(*head);
}

Result<HeadEvent> BlockWatcher::accept(const BlockHeader& pushed)
{
    const std::optional<BlockHeader> head = pushed;
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(m_mutex);
    HeadEvent event;
    event.head = *head;
    const bool first = !m_head;
    event.advanced = first || head->hash != m_head->hash;
    if (!first && event.advanced) {
        const auto parent_seen = m_seen.find(head->number - 1);
        const bool extends = head->number > 0 && parent_seen != m_seen.end() && parent_seen->second == head->parent_hash;
        const bool far_ahead = head->number > m_head->number + m_options.history;
        if (!extends && !far_ahead) {
            // A gap or a mismatch: find where the node's chain meets the blocks we saw.
            auto fork = find_fork(*head);
            if (!fork) return std::unexpected(fork.error());
            if (*fork <= m_head->number) {
                event.reorg_from = *fork;
                event.reorg_depth = m_head->number - *fork + 1;
            }
            m_seen.erase(m_seen.lower_bound(*fork), m_seen.end());
        }
        if (far_ahead) m_seen.clear();
    }
    if (event.advanced) {
        m_moved = now;
        m_head = *head;
        m_seen[head->number] = head->hash;
        if (head->number > 0) m_seen.emplace(head->number - 1, head->parent_hash);
        while (m_seen.size() > m_options.history) m_seen.erase(m_seen.begin());
    }
    event.since_last_block = std::chrono::duration_cast<std::chrono::milliseconds>(now - m_moved);
    event.state = event.since_last_block >= m_options.stale_after     ? HeadState::Stale
                  : event.since_last_block >= m_options.lagging_after ? HeadState::Lagging
                                                                      : HeadState::Live;
    m_state = event.state;
    return event;
}

}  // namespace nftterm::protocols::eth
