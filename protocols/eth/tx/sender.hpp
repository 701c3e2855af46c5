#pragma once

#include <protocols/eth/abi/abi_type.hpp>
#include <protocols/eth/tx/fee_oracle.hpp>
#include <protocols/eth/tx/nonce_manager.hpp>
#include <protocols/eth/tx/tx_journal.hpp>
#include <wallet/signer/signer.hpp>

#include <functional>
#include <mutex>
#include <set>

namespace nftterm::protocols::eth {

struct SendRequest {
    std::optional<wallet::Address> to;
    wallet::U256 value;
    wallet::Bytes data;
    FeeSpeed speed = FeeSpeed::Normal;
    /// Unset: eth_estimateGas with a margin.
    std::optional<std::uint64_t> gas_limit;
    /// The most gas the plan itself expects: an estimate above it is refused.
    std::optional<std::uint64_t> gas_bound;
    /// Run the exact transaction with eth_call first and stop on a revert
    /// (on by default: nothing is signed that would fail now).
    bool simulate = true;
    /// For decoding reverts of the target contract.
    std::vector<abi::Signature> custom_errors;
    std::string label;
};

/// The most a transaction may cost, whatever the node says fees are. The
/// defaults hold for a busy Ethereum mainnet; a user lowers or raises them
/// (--max-fee-per-gas, --max-fee, Settings). Above them nothing is signed.
struct FeeCeiling {
    /// The cap per unit of gas (EIP-1559 max fee, or the legacy gas price).
    wallet::U256 max_fee_per_gas = wallet::U256(500) * wallet::U256(1'000'000'000);
    /// gas limit × max fee per gas: the most the fee can ever be.
    wallet::U256 max_total_fee = wallet::U256(100'000'000'000'000'000ULL);
    /// A gas estimate above this is a broken or hostile node (a top-up takes ~150,000).
    std::uint64_t max_gas = 5'000'000;
};

/// What every signature of a Sender is held to.
struct SendPolicy {
    /// The chain the user configured (the registry's, or --chain-id). Set: a
    /// node on another chain gets nothing signed. Unset: the node's answer.
    std::optional<std::uint64_t> chain_id;
    FeeCeiling ceiling;
};

/// The most `tx` can take from its sender: value + gas limit × max fee per gas.
wallet::U256 max_cost(const wallet::Transaction& tx);
/// The fee part of that: gas limit × max fee per gas (or gas price).
wallet::U256 max_fee(const wallet::Transaction& tx);
/// Errc::Refused in words when `tx` passes the policy (chain, gas, fee per gas, total fee).
Result<void> check_policy(const wallet::Transaction& tx, const SendPolicy& policy);

struct SentTransaction {
    wallet::SignedTransaction signed_tx;
    /// False when the node could not be told (the journal has it; the
    /// tracker sends the same bytes again).
    bool accepted = false;
    /// Something the user must know although the transaction went out (or
    /// may have): the journal could not note it, or its fate is unknown.
    std::string warning;
};

/// Simulates, estimates, prices, signs, journals and sends. Thread-safe: a
/// mutex keeps one signing at a time (signers take one call at a time).
class Sender {
public:
    Sender(RpcClient& client, wallet::Signer& signer, TxJournal& journal, NonceManager& nonces, SendPolicy policy = {})
        : m_client(client), m_signer(signer), m_journal(journal), m_nonces(nonces), m_policy(std::move(policy))
    {
    }
    const SendPolicy& policy() const noexcept { return m_policy; }
    /// Asked before each signature with the transaction exactly as it will be
    /// signed (nonce included) and what it is for; false: nothing is signed
    /// (wallet::Errc::UserRejected) and the nonce is given back.
    using Confirmation = std::function<bool(const wallet::Transaction& tx, const std::string& label)>;
    void set_confirmation(Confirmation confirm) { m_confirm = std::move(confirm); }

    /// The transaction as it would be signed (nonce 0 until sent).
    Result<wallet::Transaction> prepare(const SendRequest& request);
    Result<SentTransaction> send(const SendRequest& request, wallet::SignContext context = {});
    /// Same nonce and payload, fees bumped (bump_fees); the replacement is journaled
    /// as replacing `hash`.
    Result<SentTransaction> speed_up(const wallet::TxHash& hash, wallet::SignContext context = {});
    /// Same nonce, an empty transfer to oneself with bumped fees.
    Result<SentTransaction> cancel(const wallet::TxHash& hash, wallet::SignContext context = {});

private:
    /// Sends again the journal's transactions from this signer on this chain
    /// that no node is known to have (state Signed).
    void resend_unsent(std::uint64_t chain_id);
    Result<SentTransaction> sign_and_send(wallet::Transaction tx, std::string label, std::optional<wallet::TxHash> replaces,
                                          wallet::SignContext context, bool nonce_is_reserved);
    Result<SentTransaction> replace(const wallet::TxHash& hash, bool cancel, wallet::SignContext context);

    RpcClient& m_client;
    wallet::Signer& m_signer;
    TxJournal& m_journal;
    NonceManager& m_nonces;
    SendPolicy m_policy;
    Confirmation m_confirm;
    std::mutex m_signing;
    /// Signed and being sent by some thread now (resend_unsent leaves them alone).
    std::mutex m_in_flight_mutex;
    std::set<wallet::TxHash> m_in_flight;
};

}  // namespace nftterm::protocols::eth
