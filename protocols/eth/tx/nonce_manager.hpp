#pragma once

#include <protocols/eth/rpc/rpc_client.hpp>
#include <wallet/primitives/address.hpp>

#include <cstdint>
#include <map>
#include <mutex>
#include <set>

namespace nftterm::protocols::eth {

/// Hands out nonces for the terminal's own sends: the next is the larger of
/// the node's pending count and one past the highest handed out, so two
/// threads never get the same nonce and none is skipped. A nonce whose
/// transaction never reached a node is given back and handed out again
/// first. Thread-safe.
class NonceManager {
public:
    explicit NonceManager(RpcClient& client) : m_client(client) {}

    Result<std::uint64_t> reserve(const wallet::Address& account);
    /// The transaction with this nonce was not sent (signing failed, node refused it).
    void release(const wallet::Address& account, std::uint64_t nonce);

private:
    struct Account {
        std::mutex mutex;
        std::uint64_t next = 0;
        bool known = false;
        std::set<std::uint64_t> returned;
    };
    Account& account(const wallet::Address& address);

    RpcClient& m_client;
    std::mutex m_mutex;
    std::map<wallet::Address, Account> m_accounts;
};

}  // namespace nftterm::protocols::eth
