#pragma once

#include <wallet/hw/ledger_transport.hpp>
#include <wallet/keys/derivation_path.hpp>
#include <wallet/signer/signer.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nftterm::wallet::ledger {

/// Opens a transport to the device (again after one was closed).
using TransportOpener = std::function<Result<std::unique_ptr<Transport>>()>;

/// What the device will show before it signs, so the window can say
/// "Confirm on your Ledger: …" with the same words.
struct DevicePrompt {
    std::string what;
    /// EIP-712 in hashed mode: the two hashes the device shows.
    std::optional<Hash32> domain_separator;
    std::optional<Hash32> message_hash;
};

/// A Signer over the Ledger Ethereum app. Before every signature it checks
/// that the Ethereum app is open and that the device's address for the path
/// is the one this signer signs for (another seed or device is refused
/// before anything is sent); it checks every signature by recovering the
/// address before returning it. Blocking, one call at a time.
class LedgerSigner final : public Signer {
public:
    /// Reads the address of `path` from the device (silently); with
    /// `expected`, refuses a device whose address for the path differs.
    static Result<std::unique_ptr<LedgerSigner>> connect(TransportOpener open, DerivationPath path, std::optional<Address> expected = std::nullopt,
                                                         SignContext context = {});

    Address address() const override { return m_address; }
    std::string description() const override;
    Result<SignedTransaction> sign_transaction(Transaction tx, SignContext context) override;
    Result<RecoverableSignature> sign_personal_message(Bytes message, SignContext context) override;
    /// The full mode where the app has it (every field shown on the device),
    /// else the hashed mode (the two hashes; needs Blind signing), and the
    /// prompt says why.
    Result<RecoverableSignature> sign_typed_data(std::string typed_data_json, SignContext context) override;

    /// Called just before the device is asked to sign (from the signing thread).
    void on_prompt(std::function<void(const DevicePrompt&)> callback) { m_on_prompt = std::move(callback); }
    const DerivationPath& path() const { return m_path; }

private:
    LedgerSigner(TransportOpener open, DerivationPath path) : m_open(std::move(open)), m_path(std::move(path)) {}

    /// A transport, opened when there is none or the last one was closed.
    Result<Transport*> transport();
    Result<Reply> exchange(const Apdu& apdu, const SignContext& context, const std::string& doing);
    /// The Ethereum app is open, its configuration, and the device's address for the path is ours.
    Result<AppConfiguration> ready(const SignContext& context);
    Result<DeviceSignature> sign(const std::vector<Apdu>& apdus, const SignContext& context, const std::string& doing);

    TransportOpener m_open;
    std::unique_ptr<Transport> m_transport;
    DerivationPath m_path;
    Address m_address;
    std::function<void(const DevicePrompt&)> m_on_prompt;
};

/// The addresses of `count` accounts from `start` in a path scheme: BIP-44
/// (m/44'/60'/0'/0/i) or Ledger Live (m/44'/60'/i'/0/0).
struct LedgerAccount {
    DerivationPath path;
    Address address;
};
Result<std::vector<LedgerAccount>> discover_accounts(Transport& transport, bool ledger_live, std::uint32_t start, std::uint32_t count,
                                                     const SignContext& context = {});

}  // namespace nftterm::wallet::ledger
