#pragma once

#include <wallet/crypto/secp256k1.hpp>
#include <wallet/primitives/address.hpp>
#include <wallet/tx/transaction.hpp>

#include <chrono>
#include <memory>
#include <stop_token>
#include <string>

namespace nftterm::wallet {

/// How long a signer may take and how the caller calls it off. A hardware
/// wallet waits for a person; the caller's thread blocks until the answer,
/// the deadline (Errc::Timeout) or a stop request (Errc::Cancelled).
struct SignContext {
    std::stop_token stop;
    std::chrono::milliseconds timeout{std::chrono::minutes(5)};
};

/// Produces every signature the terminal makes. Implementations: a software
/// key (make_software_signer) and, later, hardware wallets. Calls block and
/// must not run on the GUI thread; one call at a time per signer.
class Signer {
public:
    virtual ~Signer() = default;

    virtual Address address() const = 0;
    /// For people: "keystore 0xAbc…", "Ledger (m/44'/60'/0'/0/0)".
    virtual std::string description() const = 0;

    /// Signs `tx` as it is; the result's `from` is the signer's address.
    virtual Result<SignedTransaction> sign_transaction(Transaction tx, SignContext context) = 0;
    /// EIP-191 personal_sign over the message bytes.
    virtual Result<RecoverableSignature> sign_personal_message(Bytes message, SignContext context) = 0;
    /// EIP-712 over eth_signTypedData_v4 JSON.
    virtual Result<RecoverableSignature> sign_typed_data(std::string typed_data_json, SignContext context) = 0;
};

/// A signer over a key held in memory (wiped when the signer dies).
std::unique_ptr<Signer> make_software_signer(PrivateKey key);

}  // namespace nftterm::wallet
