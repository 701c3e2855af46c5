#include "first_activity.hpp"

#include <protocols/eth/rpc/eth_api.hpp>

namespace nftterm::protocols::eth {

Result<std::optional<std::uint64_t>> first_activity_block(RpcClient& client, const std::vector<wallet::Address>& accounts, std::uint64_t head)
{
    std::optional<std::uint64_t> earliest;
    for (const auto& account : accounts) {
        auto sent = get_transaction_count(client, account, BlockTag::number(head));
        if (!sent) return std::unexpected(sent.error());
        if (*sent == 0) continue;
        // The nonce after block b counts the transactions mined up to b: find the first b where it is not 0.
        std::uint64_t low = 0, high = earliest ? std::min(*earliest, head) : head;
        while (low < high) {
            const std::uint64_t middle = low + (high - low) / 2;
            auto count = get_transaction_count(client, account, BlockTag::number(middle));
            if (!count) return std::unexpected(count.error());
            if (*count > 0)
                high = middle;
            else
                low = middle + 1;
        }
        earliest = low;
    }
    return earliest;
}

}  // namespace nftterm::protocols::eth
