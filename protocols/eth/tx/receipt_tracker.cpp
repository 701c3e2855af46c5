#include "receipt_tracker.hpp"

#include <wallet/tx/transaction.hpp>

#include <thread>

namespace nftterm::protocols::eth {

Result<TxStatus> ReceiptTracker::settle(const JournalEntry& entry, const Receipt& receipt)
{
    TxStatus status;
    status.receipt = receipt;
    auto head = block_number(m_client);
    if (!head) return std::unexpected(head.error());
    status.confirmations = *head >= receipt.block_number ? *head - receipt.block_number + 1 : 0;
    status.state = receipt.success ? TxState::Mined : TxState::Reverted;
    if (!receipt.success) {
        // The receipt has no reason: replay the call on the state it ran against.
        status.reason = "reverted on chain";
        if (auto original = wallet::decode_signed_transaction(entry.raw); original && receipt.block_number > 0) {
            CallRequest replay;
            replay.from = original->from;
            replay.to = original->tx.to;
            replay.value = original->tx.value;
            replay.data = original->tx.data;
            replay.gas = original->tx.gas_limit;
            auto result = call(m_client, replay, BlockTag::number(receipt.block_number - 1));
            if (!result && result.error().code == Errc::Revert) status.reason = result.error().context;
            else if (receipt.gas_used == original->tx.gas_limit) status.reason = "out of gas";
        }
    }
    if (auto known = m_journal.find(entry.hash); known && known->state != status.state)
        if (auto written = m_journal.record_state(entry.hash, status.state, receipt.block_number, status.reason); !written)
            return std::unexpected(written.error());
    // Every other transaction with this nonce lost.
    for (const auto& sibling : m_journal.entries())
        if (sibling.hash != entry.hash && sibling.from == entry.from && sibling.nonce == entry.nonce && !is_final(sibling.state))
            (void)m_journal.record_state(sibling.hash, TxState::Replaced, std::nullopt, "replaced by " + entry.hash.to_hex(), entry.hash);
    return status;
}

Result<TxStatus> ReceiptTracker::check(const wallet::TxHash& hash)
{
    auto entry = m_journal.find(hash);
    if (!entry) return fail(Errc::Config, "the journal has no transaction " + hash.to_hex());
    if (entry->state == TxState::Replaced || entry->state == TxState::Dropped)
        return TxStatus{entry->state, std::nullopt, 0, entry->reason, entry->replaced_by};

    auto receipt = get_receipt(m_client, hash);
    if (!receipt) return std::unexpected(receipt.error());
    if (*receipt) return settle(*entry, **receipt);

    // Did a sibling (speed-up, cancel, or the original) take the nonce?
    for (const auto& sibling : m_journal.entries()) {
        if (sibling.hash == hash || sibling.from != entry->from || sibling.nonce != entry->nonce) continue;
        auto sibling_receipt = get_receipt(m_client, sibling.hash);
        if (sibling_receipt && *sibling_receipt) {
            if (auto settled = settle(sibling, **sibling_receipt); !settled) return std::unexpected(settled.error());
            return TxStatus{TxState::Replaced, std::nullopt, 0, "replaced by " + sibling.hash.to_hex(), sibling.hash};
        }
    }
    auto known = get_transaction(m_client, hash);
    if (!known) return std::unexpected(known.error());
    if (*known) {
        if (entry->state == TxState::Signed) (void)m_journal.record_state(hash, TxState::Pending);
        return TxStatus{TxState::Pending, std::nullopt, 0, {}, std::nullopt};
    }
    auto mined_nonce = get_transaction_count(m_client, entry->from, BlockTag::latest());
    if (!mined_nonce) return std::unexpected(mined_nonce.error());
    if (*mined_nonce > entry->nonce) {
        const std::string reason = "nonce " + std::to_string(entry->nonce) + " was used by a transaction the terminal did not send";
        if (auto written = m_journal.record_state(hash, TxState::Replaced, std::nullopt, reason); !written) return std::unexpected(written.error());
        return TxStatus{TxState::Replaced, std::nullopt, 0, reason, std::nullopt};
    }
    // No node has it (a restart, a pool eviction): the same signed bytes again.
    auto resent = send_raw_transaction(m_client, entry->raw);
    if (!resent && resent.error().code == Errc::Rpc) {
        const std::string reason = "the node refused it: " + resent.error().message();
        if (auto written = m_journal.record_state(hash, TxState::Dropped, std::nullopt, reason); !written) return std::unexpected(written.error());
        return TxStatus{TxState::Dropped, std::nullopt, 0, reason, std::nullopt};
    }
    if (resent && entry->state == TxState::Signed) (void)m_journal.record_state(hash, TxState::Pending);
    return TxStatus{resent ? TxState::Pending : entry->state, std::nullopt, 0, {}, std::nullopt};
}

Result<TxStatus> ReceiptTracker::wait(const wallet::TxHash& hash, const WaitOptions& options)
{
    const auto deadline = std::chrono::steady_clock::now() + options.timeout;
    while (true) {
        auto status = check(hash);
        if (!status) return status;
        const bool enough = status->state != TxState::Mined && status->state != TxState::Reverted
                                ? is_final(status->state)
                                : status->confirmations >= options.confirmations;
        if (enough || std::chrono::steady_clock::now() >= deadline || options.stop.stop_requested()) return status;
        std::this_thread::sleep_for(options.poll);
    }
}

}  // namespace nftterm::protocols::eth
