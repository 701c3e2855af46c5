#include <wallet/signer/signer.hpp>

#include <wallet/messages/eip191.hpp>
#include <wallet/messages/eip712.hpp>

namespace nftterm::wallet {
namespace {

class SoftwareSigner final : public Signer {
public:
    explicit SoftwareSigner(PrivateKey key) : m_key(std::move(key)), m_address(address_of(public_key_of(m_key))) {}

    Address address() const override { return m_address; }
    std::string description() const override { return "software key " + m_address.to_hex(); }

    Result<SignedTransaction> sign_transaction(Transaction tx, SignContext context) override
    {
        if (context.stop.stop_requested()) return fail(Errc::Cancelled, "signing was cancelled");
        return wallet::sign_transaction(tx, m_key, m_address);
    }

    Result<RecoverableSignature> sign_personal_message(Bytes message, SignContext context) override
    {
        if (context.stop.stop_requested()) return fail(Errc::Cancelled, "signing was cancelled");
        return sign_digest(m_key, personal_message_digest(message));
    }

    Result<RecoverableSignature> sign_typed_data(std::string typed_data_json, SignContext context) override
    {
        if (context.stop.stop_requested()) return fail(Errc::Cancelled, "signing was cancelled");
        auto hash = hash_typed_data(typed_data_json);
        if (!hash) return std::unexpected(hash.error());
        return sign_digest(m_key, hash->digest);
    }

private:
    PrivateKey m_key;
    Address m_address;
};

}  // namespace

std::unique_ptr<Signer> make_software_signer(PrivateKey key)
{
    return std::make_unique<SoftwareSigner>(std::move(key));
}

}  // namespace nftterm::wallet
