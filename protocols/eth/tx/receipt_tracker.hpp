#pragma once

#include <protocols/eth/rpc/eth_api.hpp>
#include <protocols/eth/tx/tx_journal.hpp>

#include <chrono>
#include <stop_token>

namespace nftterm::protocols::eth {

struct TxStatus {
    TxState state = TxState::Signed;
    std::optional<Receipt> receipt;
    /// Blocks on top of (and including) the one that holds it.
    std::uint64_t confirmations = 0;
    /// Revert reason, or why it was dropped or replaced.
    std::string reason;
    std::optional<wallet::TxHash> replaced_by;
};

struct WaitOptions {
    std::uint64_t confirmations = 1;
    std::chrono::milliseconds poll{250};
    std::chrono::milliseconds timeout{std::chrono::minutes(10)};
    std::stop_token stop;
};

/// Follows the journal's transactions to their outcome: mined, reverted
/// (with the reason, by replaying the call at the parent block), replaced
/// (another transaction took the nonce), or dropped (the node refused it
/// again). A transaction no node knows is sent again, the same signed bytes.
/// Each final outcome is written to the journal. Thread-safe.
class ReceiptTracker {
public:
    ReceiptTracker(RpcClient& client, TxJournal& journal) : m_client(client), m_journal(journal) {}

    /// One look.
    Result<TxStatus> check(const wallet::TxHash& hash);
    /// Polls until final with enough confirmations, the timeout (the last
    /// status, still pending) or a stop request.
    Result<TxStatus> wait(const wallet::TxHash& hash, const WaitOptions& options = {});

private:
    Result<TxStatus> settle(const JournalEntry& entry, const Receipt& receipt);

    RpcClient& m_client;
    TxJournal& m_journal;
};

}  // namespace nftterm::protocols::eth
