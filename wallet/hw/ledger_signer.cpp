#include "ledger_signer.hpp"

#include <wallet/hw/ledger_eip712.hpp>
#include <wallet/messages/eip191.hpp>
#include <wallet/messages/eip712.hpp>
#include <wallet/rlp/rlp.hpp>

namespace nftterm::wallet::ledger {
namespace {

/// The recovery id whose key is `address`'s: the device's v says it only up
/// to its own rules (one byte for legacy chain ids), recovery says it exactly.
Result<RecoverableSignature> matching(const Hash32& digest, const DeviceSignature& signature, const Address& address)
{
    for (std::uint8_t id : {0, 1}) {
        const RecoverableSignature candidate{signature.r, signature.s, id};
        if (auto key = recover_public_key(digest, candidate); key && address_of(*key) == address) return candidate;
    }
    return fail(Errc::InvalidSignature, "the Ledger's signature is not " + address.to_hex() + "'s: another seed or device answered");
}

std::string short_hex(const Address& address)
{
    const std::string hex = address.to_hex();
    return hex.substr(0, 6) + "…" + hex.substr(hex.size() - 4);
}

}  // namespace

Result<std::unique_ptr<LedgerSigner>> LedgerSigner::connect(TransportOpener open, DerivationPath path, std::optional<Address> expected, SignContext context)
{
    std::unique_ptr<LedgerSigner> signer(new LedgerSigner(std::move(open), std::move(path)));
    auto apdu = get_address(signer->m_path, false);
    if (!apdu) return std::unexpected(apdu.error());
    auto reply = signer->exchange(*apdu, context, "reading the address of " + signer->m_path.to_string());
    if (!reply) return std::unexpected(reply.error());
    auto device = parse_address(reply->data);
    if (!device) return std::unexpected(device.error());
    if (expected && device->address != *expected)
        return fail(Errc::InvalidKey, "the Ledger's address for " + signer->m_path.to_string() + " is " + device->address.to_hex() + ", not " +
                                          expected->to_hex() + ": another device or seed is plugged in");
    signer->m_address = device->address;
    return signer;
}

std::string LedgerSigner::description() const
{
    return "Ledger " + short_hex(m_address) + " (" + m_path.to_string() + ")";
}

Result<Transport*> LedgerSigner::transport()
{
    if (!m_transport) {
        auto opened = m_open();
        if (!opened) return std::unexpected(opened.error());
        m_transport = std::move(*opened);
    }
    return m_transport.get();
}

Result<Reply> LedgerSigner::exchange(const Apdu& apdu, const SignContext& context, const std::string& doing)
{
    auto carrier = transport();
    if (!carrier) return std::unexpected(carrier.error());
    auto reply = (*carrier)->exchange(apdu, context);
    if (!reply) {
        m_transport.reset();  // closed: the next call opens it again (a replugged device re-enumerates)
        return std::unexpected(reply.error());
    }
    if (reply->status != kOk) return std::unexpected(status_error(reply->status, doing));
    return reply;
}

Result<AppConfiguration> LedgerSigner::ready(const SignContext& context)
{
    auto app = exchange(app_and_version(), context, "asking which app is open");
    if (!app) return std::unexpected(app.error());
    auto running = parse_app_and_version(app->data);
    if (!running) return std::unexpected(running.error());
    if (running->name != "Ethereum")
        return fail(Errc::AppNotOpen, running->name == "BOLOS" ? "open the Ethereum app on the Ledger (it shows its dashboard)"
                                                               : "open the Ethereum app on the Ledger (\"" + running->name + "\" is open)");
    auto config = exchange(app_configuration(), context, "reading the Ethereum app's settings");
    if (!config) return std::unexpected(config.error());
    auto parsed = parse_app_configuration(config->data);
    if (!parsed) return std::unexpected(parsed.error());
    auto apdu = get_address(m_path, false);
    if (!apdu) return std::unexpected(apdu.error());
    auto reply = exchange(*apdu, context, "reading the address of " + m_path.to_string());
    if (!reply) return std::unexpected(reply.error());
    auto device = parse_address(reply->data);
    if (!device) return std::unexpected(device.error());
    if (device->address != m_address)
        return fail(Errc::InvalidKey, "the Ledger's address for " + m_path.to_string() + " is now " + device->address.to_hex() + ", not " +
                                          m_address.to_hex() + ": another device or seed is plugged in; nothing was signed");
    return *parsed;
}

Result<DeviceSignature> LedgerSigner::sign(const std::vector<Apdu>& apdus, const SignContext& context, const std::string& doing)
{
    Reply last;
    for (const auto& apdu : apdus) {
        auto reply = exchange(apdu, context, doing);
        if (!reply) return std::unexpected(reply.error());
        last = std::move(*reply);
    }
    return parse_signature(last.data);
}

Result<SignedTransaction> LedgerSigner::sign_transaction(Transaction tx, SignContext context)
{
    auto payload = signing_payload(tx);
    if (!payload) return std::unexpected(payload.error());
    auto config = ready(context);
    if (!config) return std::unexpected(config.error());
    if (!tx.data.empty() && !config->blind_signing())
        return fail(Errc::Unsupported, "this transaction calls a contract: enable \"Blind signing\" in the Ethereum app's settings on the Ledger, then try again");
    // The EIP-155 tail (chainId, 0, 0) of a legacy transaction must reach the device in one piece.
    const std::size_t tail = tx.type == TxType::Legacy ? rlp::encode_uint(to_u64(tx.chain_id)).size() + 2 : 0;
    auto apdus = ledger::sign_transaction(m_path, *payload, tail);
    if (!apdus) return std::unexpected(apdus.error());
    if (m_on_prompt) m_on_prompt({"review and approve the transaction on the Ledger", std::nullopt, std::nullopt});
    auto signature = sign(*apdus, context, "signing the transaction");
    if (!signature) return std::unexpected(signature.error());
    auto recovered = matching(keccak256(*payload), *signature, m_address);
    if (!recovered) return std::unexpected(recovered.error());
    auto signed_tx = assemble_signed(tx, *recovered);
    if (!signed_tx) return std::unexpected(signed_tx.error());
    if (signed_tx->from != m_address) return fail(Errc::InvalidSignature, "the Ledger's signature recovers to " + signed_tx->from.to_hex());
    return signed_tx;
}

Result<RecoverableSignature> LedgerSigner::sign_personal_message(Bytes message, SignContext context)
{
    auto config = ready(context);
    if (!config) return std::unexpected(config.error());
    auto apdus = ledger::sign_personal_message(m_path, message);
    if (!apdus) return std::unexpected(apdus.error());
    if (m_on_prompt) m_on_prompt({"review and sign the message on the Ledger", std::nullopt, std::nullopt});
    auto signature = sign(*apdus, context, "signing the message");
    if (!signature) return std::unexpected(signature.error());
    return matching(personal_message_digest(message), *signature, m_address);
}

Result<RecoverableSignature> LedgerSigner::sign_typed_data(std::string typed_data_json, SignContext context)
{
    auto hashes = hash_typed_data(typed_data_json);
    if (!hashes) return std::unexpected(hashes.error());
    auto config = ready(context);
    if (!config) return std::unexpected(config.error());
    if (!config->at_least(1, 5, 0))
        return fail(Errc::Unsupported, "Ethereum app " + config->version() + " cannot sign EIP-712 messages (1.5.0 or later): update it with Ledger Live");
    // The full mode (1.9.19 and later): the device shows every field. Where it cannot (an older app,
    // a message too large for its memory, a type it does not take) the hashed mode, which says why.
    std::string why_hashed = "Ethereum app " + config->version() + " shows only the hashes (1.9.19 or later shows the fields)";
    if (config->at_least(1, 9, 19)) {
        auto full = sign_eip712_full(m_path, typed_data_json);
        if (full) {
            if (m_on_prompt) m_on_prompt({"review the message's fields on the Ledger and sign", std::nullopt, std::nullopt});
            auto signature = sign(*full, context, "signing the typed data");
            if (signature) return matching(hashes->digest, *signature, m_address);
            const Errc code = signature.error().code;
            if (code != Errc::AppNotOpen && code != Errc::Unsupported) return std::unexpected(signature.error());
            why_hashed = "the device could not show the message's fields (" + signature.error().message() + ")";
        } else {
            why_hashed = "the message cannot be sent field by field (" + full.error().message() + ")";
        }
    }
    if (!config->blind_signing())
        return fail(Errc::Unsupported, why_hashed + ": the Ledger would sign it by its two hashes, which needs \"Blind signing\" on in the Ethereum app's settings");
    auto apdu = sign_eip712_hashed(m_path, hashes->domain_separator, hashes->message_hash);
    if (!apdu) return std::unexpected(apdu.error());
    if (m_on_prompt)
        m_on_prompt({"check the two hashes on the Ledger and sign (" + why_hashed + ")", hashes->domain_separator, hashes->message_hash});
    auto signature = sign({*apdu}, context, "signing the typed data");
    if (!signature) return std::unexpected(signature.error());
    return matching(hashes->digest, *signature, m_address);
}

Result<std::vector<LedgerAccount>> discover_accounts(Transport& transport, bool ledger_live, std::uint32_t start, std::uint32_t count,
                                                     const SignContext& context)
{
    std::vector<LedgerAccount> out;
    for (std::uint32_t i = start; i < start + count; ++i) {
        const DerivationPath path = ledger_live ? DerivationPath::ledger_live(i) : DerivationPath::bip44(i);
        auto apdu = get_address(path, false);
        if (!apdu) return std::unexpected(apdu.error());
        auto reply = transport.exchange(*apdu, context);
        if (!reply) return std::unexpected(reply.error());
        if (reply->status != kOk) return std::unexpected(status_error(reply->status, "reading the address of " + path.to_string()));
        auto device = parse_address(reply->data);
        if (!device) return std::unexpected(device.error());
        out.push_back({path, device->address});
    }
    return out;
}

}  // namespace nftterm::wallet::ledger
