#include "nonce_manager.hpp"

#include <protocols/eth/rpc/eth_api.hpp>

namespace nftterm::protocols::eth {

NonceManager::Account& NonceManager::account(const wallet::Address& address)
{
    std::lock_guard lock(m_mutex);
    return m_accounts[address];
}

Result<std::uint64_t> NonceManager::reserve(const wallet::Address& address)
{
    Account& state = account(address);
    std::lock_guard lock(state.mutex);
    // Asking the node every time also notices transactions sent from elsewhere (another wallet).
    auto pending = get_transaction_count(m_client, address, BlockTag::pending());
    if (!pending) return std::unexpected(pending.error());
    while (!state.returned.empty() && *state.returned.begin() < *pending) state.returned.erase(state.returned.begin());
    if (!state.returned.empty()) {
        const auto nonce = *state.returned.begin();
        state.returned.erase(state.returned.begin());
        return nonce;
    }
    const std::uint64_t nonce = state.known ? std::max(state.next, *pending) : *pending;
    state.next = nonce + 1;
    state.known = true;
    return nonce;
}

void NonceManager::release(const wallet::Address& address, std::uint64_t nonce)
{
    Account& state = account(address);
    std::lock_guard lock(state.mutex);
    if (state.known && nonce + 1 == state.next) --state.next;
    else state.returned.insert(nonce);
}

}  // namespace nftterm::protocols::eth
