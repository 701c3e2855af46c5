#include "sender.hpp"

#include <protocols/eth/rpc/eth_api.hpp>

namespace nftterm::protocols::eth {
namespace {

FeeSuggestion fees_of(const wallet::Transaction& tx)
{
    return {tx.max_fee_per_gas, tx.max_priority_fee_per_gas, tx.gas_price};
}

void apply_fees(wallet::Transaction& tx, const FeeSuggestion& fees, bool eip1559)
{
    tx.type = eip1559 ? wallet::TxType::Eip1559 : wallet::TxType::Legacy;
    if (eip1559) {
        tx.max_fee_per_gas = fees.max_fee_per_gas;
        tx.max_priority_fee_per_gas = fees.max_priority_fee_per_gas;
        tx.gas_price = {};
    } else {
        tx.gas_price = fees.gas_price;
        tx.max_fee_per_gas = {};
        tx.max_priority_fee_per_gas = {};
    }
}

/// "nonce too low", "already known": the node has seen this nonce or these bytes.
bool already_known(const Error& error)
{
    const std::string text = error.rpc ? error.rpc->message : error.context;
    return text.find("already known") != std::string::npos || text.find("already imported") != std::string::npos;
}

std::string gwei(const wallet::U256& wei)
{
    return wei.format_units(9) + " gwei";
}

std::string ether(const wallet::U256& wei)
{
    return wei.format_units(18) + " ETH";
}

/// The policy's chain against the node's, in words.
Result<void> check_chain(std::uint64_t chain, const SendPolicy& policy)
{
    if (policy.chain_id && chain != *policy.chain_id)
        return fail(Errc::ChainId, "the node is on chain " + std::to_string(chain) + ", but this is meant for chain "
                                       + std::to_string(*policy.chain_id) + ": nothing was signed");
    return {};
}

}  // namespace

wallet::U256 max_fee(const wallet::Transaction& tx)
{
    const wallet::U256& per_gas = tx.type == wallet::TxType::Eip1559 ? tx.max_fee_per_gas : tx.gas_price;
    auto fee = wallet::U256::checked_mul(per_gas, wallet::U256(tx.gas_limit));
    return fee ? *fee : wallet::U256::max();
}

wallet::U256 max_cost(const wallet::Transaction& tx)
{
    auto cost = wallet::U256::checked_add(max_fee(tx), tx.value);
    return cost ? *cost : wallet::U256::max();
}

Result<void> check_policy(const wallet::Transaction& tx, const SendPolicy& policy)
{
    if (auto chain = check_chain(wallet::to_u64(tx.chain_id), policy); !chain) return chain;
    if (tx.gas_limit > policy.ceiling.max_gas)
        return fail(Errc::Refused, "the transaction would take up to " + std::to_string(tx.gas_limit) + " gas, more than the "
                                      + std::to_string(policy.ceiling.max_gas) + " allowed (is the node broken or hostile?): nothing was signed");
    const wallet::U256& per_gas = tx.type == wallet::TxType::Eip1559 ? tx.max_fee_per_gas : tx.gas_price;
    if (per_gas > policy.ceiling.max_fee_per_gas)
        return fail(Errc::Refused, "the fee would be up to " + gwei(per_gas) + " per gas, above your ceiling of " + gwei(policy.ceiling.max_fee_per_gas)
                                      + " (raise it with --max-fee-per-gas or in Settings if the network really is that busy): nothing was signed");
    if (max_fee(tx) > policy.ceiling.max_total_fee)
        return fail(Errc::Refused, "the fee could reach " + ether(max_fee(tx)) + ", above your ceiling of " + ether(policy.ceiling.max_total_fee)
                                      + " per transaction (raise it with --max-fee or in Settings): nothing was signed");
    return {};
}

Result<wallet::Transaction> Sender::prepare(const SendRequest& request)
{
    auto chain = m_client.chain_id();
    if (!chain) return std::unexpected(chain.error());
    // Checked before any estimate: a node on another chain gets no further questions.
    if (auto allowed = check_chain(*chain, m_policy); !allowed) return std::unexpected(allowed.error());
    CallRequest call;
    call.from = m_signer.address();
    call.to = request.to;
    call.value = request.value;
    call.data = request.data;
    call.gas = request.gas_limit;
    if (request.simulate) {
        auto simulated = eth::call(m_client, call, BlockTag::pending(), request.custom_errors);
        if (!simulated) {
            Error error = simulated.error();
            if (error.code == Errc::Revert) error.context = "the transaction would revert, so it was not signed: " + error.context;
            return std::unexpected(error);
        }
    }
    wallet::Transaction tx;
    tx.chain_id = wallet::ChainId{*chain};
    tx.to = request.to;
    tx.value = request.value;
    tx.data = request.data;
    if (request.gas_limit) {
        tx.gas_limit = *request.gas_limit;
    } else {
        auto estimate = estimate_gas(m_client, call, request.custom_errors);
        if (!estimate) return std::unexpected(estimate.error());
        const std::uint64_t bound = std::min(m_policy.ceiling.max_gas, request.gas_bound.value_or(m_policy.ceiling.max_gas));
        if (*estimate > bound)
            return fail(Errc::Refused, "the node estimates " + std::to_string(*estimate) + " gas for \"" + request.label + "\", far above the "
                                          + std::to_string(bound) + " it can take (is the node broken or hostile?): nothing was signed");
        tx.gas_limit = with_gas_margin(*estimate);
    }
    auto fees = suggest_fees(m_client);
    if (!fees) return std::unexpected(fees.error());
    apply_fees(tx, fees->at(request.speed), fees->eip1559);
    return tx;
}

void Sender::resend_unsent(std::uint64_t chain_id)
{
    std::set<wallet::TxHash> in_flight;
    {
        std::lock_guard lock(m_in_flight_mutex);
        in_flight = m_in_flight;
    }
    for (const auto& entry : m_journal.unfinished()) {
        // Another thread of this sender is sending it right now: not ours to resend.
        if (entry.state != TxState::Signed || entry.from != m_signer.address() || entry.chain_id != chain_id || in_flight.contains(entry.hash)) continue;
        auto hash = send_raw_transaction(m_client, entry.raw);
        if (hash || already_known(hash.error())) (void)m_journal.record_state(entry.hash, TxState::Pending);
        // Refused ("nonce too low": mined or replaced meanwhile): the tracker settles it by its receipt.
    }
}

Result<SentTransaction> Sender::send(const SendRequest& request, wallet::SignContext context)
{
    auto tx = prepare(request);
    if (!tx) return std::unexpected(tx.error());
    // A transaction signed before a crash (or whose fate is unknown) goes out again first, the
    // same bytes, so the node counts its nonce and this new one cannot take it.
    resend_unsent(wallet::to_u64(tx->chain_id));
    return sign_and_send(std::move(*tx), request.label, std::nullopt, std::move(context), false);
}

Result<SentTransaction> Sender::sign_and_send(wallet::Transaction tx, std::string label, std::optional<wallet::TxHash> replaces,
                                              wallet::SignContext context, bool nonce_is_reserved)
{
    // Bounded before anything is reserved or signed: the node set the fees and the gas.
    if (auto allowed = check_policy(tx, m_policy); !allowed) return std::unexpected(allowed.error());
    const wallet::Address from = m_signer.address();
    if (!nonce_is_reserved) {
        auto nonce = m_nonces.reserve(from);
        if (!nonce) return std::unexpected(nonce.error());
        tx.nonce = *nonce;
    }
    if (m_confirm && !m_confirm(tx, label)) {
        if (!nonce_is_reserved) m_nonces.release(from, tx.nonce);
        return std::unexpected(from_wallet(wallet::Error{wallet::Errc::UserRejected, "declined; nothing was signed"}, "signing \"" + label + "\""));
    }
    wallet::Result<wallet::SignedTransaction> signed_tx = [&] {
        std::lock_guard lock(m_signing);
        return m_signer.sign_transaction(tx, std::move(context));
    }();
    if (!signed_tx) {
        if (!nonce_is_reserved) m_nonces.release(from, tx.nonce);
        return std::unexpected(from_wallet(signed_tx.error(), "signing with " + m_signer.description()));
    }
    // Written down before any node sees it: the terminal never forgets what it signed.
    JournalEntry entry;
    entry.hash = signed_tx->hash;
    entry.from = signed_tx->from;
    entry.chain_id = wallet::to_u64(tx.chain_id);
    entry.nonce = tx.nonce;
    entry.raw = signed_tx->raw;
    entry.replaces = replaces;
    entry.label = std::move(label);
    // In flight from before it is written down until the node answered: no other thread resends it meanwhile.
    {
        std::lock_guard lock(m_in_flight_mutex);
        m_in_flight.insert(entry.hash);
    }
    if (auto written = m_journal.record_signed(entry); !written) {
        std::lock_guard lock(m_in_flight_mutex);
        m_in_flight.erase(entry.hash);
        if (!nonce_is_reserved) m_nonces.release(from, tx.nonce);
        return std::unexpected(written.error());
    }
    SentTransaction sent{std::move(*signed_tx), false, {}};
    auto hash = send_raw_transaction(m_client, sent.signed_tx.raw);
    {
        std::lock_guard lock(m_in_flight_mutex);
        m_in_flight.erase(sent.signed_tx.hash);
    }
    // "nonce too low" for these very bytes can mean they are in already (resent by a restart, another
    // endpoint, or mined a moment ago): the node is asked before anything is called dropped.
    const bool node_has_it = !hash && hash.error().code == Errc::Rpc && [&] {
        auto known = get_transaction(m_client, sent.signed_tx.hash);
        return known && known->has_value();
    }();
    if (hash || already_known(hash.error()) || node_has_it) {
        sent.accepted = true;
        // It is out: a failed note in the journal must not read as "not sent" (the journal
        // still has it as signed, and the tracker finds it on the node).
        if (auto written = m_journal.record_state(sent.signed_tx.hash, TxState::Pending); !written)
            sent.warning = "sent, but the journal could not note it: " + written.error().message();
        return sent;
    }
    if (hash.error().code == Errc::Rpc && !hash.error().earlier_attempt_unanswered) {
        // The node refused it outright (nonce too low, underpriced, no funds): it will never be mined.
        (void)m_journal.record_state(sent.signed_tx.hash, TxState::Dropped, std::nullopt, hash.error().message());
        if (!nonce_is_reserved) m_nonces.release(from, tx.nonce);
        return std::unexpected(hash.error());
    }
    // No answer, or a refusal after an endpoint that got the bytes and never answered ("nonce too
    // low" may mean that endpoint mined it): the outcome is unknown. Keep the nonce and the journal
    // entry; the tracker settles it by the receipt and the account's nonce, sending the same bytes again.
    if (hash.error().code == Errc::Rpc)
        sent.warning = "an endpoint got the transaction and did not answer, then another refused it (" + hash.error().message()
                       + "); it may still be mined, so its nonce stays taken until the receipt or the account's nonce settles it";
    return sent;
}

Result<SentTransaction> Sender::replace(const wallet::TxHash& hash, bool cancel, wallet::SignContext context)
{
    auto entry = m_journal.find(hash);
    if (!entry) return fail(Errc::Refused, "the terminal did not send " + hash.to_hex() + ", so it cannot replace it");
    if (is_final(entry->state)) return fail(Errc::Refused, hash.to_hex() + " is already " + to_string(entry->state));
    if (entry->from != m_signer.address())
        return fail(Errc::Refused, hash.to_hex() + " was sent from " + entry->from.to_hex() + ", not from " + m_signer.address().to_hex());
    auto original = wallet::decode_signed_transaction(entry->raw);
    if (!original) return std::unexpected(from_wallet(original.error(), "the journal's copy of " + hash.to_hex()));
    auto current = suggest_fees(m_client);
    if (!current) return std::unexpected(current.error());
    wallet::Transaction tx = original->tx;
    if (cancel) {
        tx.to = m_signer.address();
        tx.value = {};
        tx.data.clear();
        tx.access_list.clear();
        tx.gas_limit = 21'000;
    }
    const bool eip1559 = tx.type == wallet::TxType::Eip1559;
    apply_fees(tx, bump_fees(fees_of(original->tx), current->at(FeeSpeed::Fast)), eip1559);
    return sign_and_send(std::move(tx), (cancel ? "cancel " : "speed up ") + (entry->label.empty() ? hash.to_hex() : entry->label),
                         hash, std::move(context), true);
}

Result<SentTransaction> Sender::speed_up(const wallet::TxHash& hash, wallet::SignContext context)
{
    return replace(hash, false, std::move(context));
}

Result<SentTransaction> Sender::cancel(const wallet::TxHash& hash, wallet::SignContext context)
{
    return replace(hash, true, std::move(context));
}

}  // namespace nftterm::protocols::eth
