#include "offer_book.hpp"

#include <wallet/crypto/secp256k1.hpp>
#include <wallet/messages/eip191.hpp>
#include <wallet/primitives/bytes.hpp>

#include <nlohmann/json.hpp>

namespace nftterm::protocols::nftfi {

using nlohmann::json;
using wallet::Address;
using wallet::U256;

namespace {

/// A number as a decimal string or a JSON integer.
std::optional<U256> number_of(const json& value)
{
    if (value.is_number_unsigned()) return U256(value.get<std::uint64_t>());
    if (value.is_string())
        if (auto parsed = U256::from_dec(value.get<std::string>())) return *parsed;
    return std::nullopt;
}

}  // namespace

Result<std::vector<SignedOffer>> offers_from_json(std::string_view text)
{
    const auto in = json::parse(text, nullptr, false);
    if (!in.is_object() || !in.contains("offers") || !in["offers"].is_array()) return fail(Errc::Config, "offers: the file is not {\"offers\": [...]}");
    std::vector<SignedOffer> out;
    std::size_t index = 0;
    for (const auto& entry : in["offers"]) {
        const std::string where = "offers[" + std::to_string(index++) + "]";
        if (!entry.is_object()) return fail(Errc::Config, where + " is not an object");
        const auto field = [&](const char* key) -> const json* { return entry.contains(key) ? &entry[key] : nullptr; };
        const auto address_field = [&](const char* key) -> std::optional<Address> {
            const json* value = field(key);
            return value && value->is_string() ? Address::from_hex(value->get<std::string>()) : std::nullopt;
        };
        const auto number_field = [&](const char* key) -> std::optional<U256> {
            const json* value = field(key);
            return value ? number_of(*value) : std::nullopt;
        };
        SignedOffer offer;
        const auto lender = address_field("lender");
        const auto collection = address_field("collection");
        const auto currency = address_field("currency");
        const auto token = number_field("token_id");
        const auto principal = number_field("principal");
        const auto repayment = number_field("maximum_repayment");
        const auto duration = number_field("duration_seconds");
        const auto fee = number_field("admin_fee_bps");
        const auto nonce = number_field("nonce");
        const auto expiry = number_field("expiry");
        const json* signature = field("signature");
        if (!lender || !collection || !currency || !token || !principal || !repayment || !duration || !fee || !nonce || !expiry || !signature || !signature->is_string())
            return fail(Errc::Config, where + " needs lender, collection, token_id, principal, maximum_repayment, duration_seconds, admin_fee_bps, currency, nonce, "
                                              "expiry and signature");
        offer.lender = *lender;
        offer.offer.nft_contract = *collection;
        offer.offer.currency = *currency;
        offer.offer.nft_id = *token;
        offer.offer.principal = *principal;
        offer.offer.maximum_repayment = *repayment;
        offer.offer.duration_seconds = static_cast<std::uint32_t>(duration->to_u64().value_or(0));
        offer.offer.admin_fee_bps = static_cast<std::uint16_t>(fee->to_u64().value_or(0));
        if (auto referrer = address_field("referrer")) offer.offer.referrer = *referrer;
        offer.nonce = *nonce;
        offer.expiry = *expiry;
        offer.signature = signature->get<std::string>();
        out.push_back(std::move(offer));
    }
    return out;
}

std::string offers_to_json(const std::vector<SignedOffer>& offers)
{
    json list = json::array();
    for (const auto& o : offers)
        list.push_back({{"lender", o.lender.to_hex()},
                        {"collection", o.offer.nft_contract.to_hex()},
                        {"token_id", o.offer.nft_id.to_dec()},
                        {"principal", o.offer.principal.to_dec()},
                        {"maximum_repayment", o.offer.maximum_repayment.to_dec()},
                        {"duration_seconds", o.offer.duration_seconds},
                        {"admin_fee_bps", o.offer.admin_fee_bps},
                        {"currency", o.offer.currency.to_hex()},
                        {"referrer", o.offer.referrer.to_hex()},
                        {"nonce", o.nonce.to_dec()},
                        {"expiry", o.expiry.to_dec()},
                        {"signature", o.signature}});
    return json{{"offers", std::move(list)}}.dump(2) + "\n";
}

Result<SignedRenegotiation> renegotiation_from_json(std::string_view text)
{
    const auto in = json::parse(text, nullptr, false);
    if (!in.is_object() || !in.contains("renegotiation") || !in["renegotiation"].is_object())
        return fail(Errc::Config, "renegotiation: the file is not {\"renegotiation\": {...}}");
    const auto& r = in["renegotiation"];
    const auto number_field = [&](const char* key) -> std::optional<U256> { return r.contains(key) ? number_of(r[key]) : std::nullopt; };
    const auto loan = number_field("loan_id");
    const auto duration = number_field("duration_seconds");
    const auto repayment = number_field("maximum_repayment");
    const auto fee = number_field("fee");
    const auto nonce = number_field("nonce");
    const auto expiry = number_field("expiry");
    const auto lender = r.contains("lender") && r["lender"].is_string() ? Address::from_hex(r["lender"].get<std::string>()) : std::nullopt;
    if (!loan || !duration || !repayment || !fee || !nonce || !expiry || !lender || !r.contains("signature") || !r["signature"].is_string())
        return fail(Errc::Config, "renegotiation needs loan_id, duration_seconds, maximum_repayment, fee, lender, nonce, expiry and signature");
    SignedRenegotiation out;
    out.loan_id = static_cast<std::uint32_t>(loan->to_u64().value_or(0));
    out.duration_seconds = static_cast<std::uint32_t>(duration->to_u64().value_or(0));
    out.maximum_repayment = *repayment;
    out.fee = *fee;
    out.lender = *lender;
    out.nonce = *nonce;
    out.expiry = *expiry;
    out.signature = r["signature"].get<std::string>();
    return out;
}

std::string renegotiation_to_json(const SignedRenegotiation& t)
{
    return json{{"renegotiation",
                 {{"loan_id", t.loan_id}, {"duration_seconds", t.duration_seconds}, {"maximum_repayment", t.maximum_repayment.to_dec()}, {"fee", t.fee.to_dec()},
                  {"lender", t.lender.to_hex()}, {"nonce", t.nonce.to_dec()}, {"expiry", t.expiry.to_dec()}, {"signature", t.signature}}}}
               .dump(2) +
           "\n";
}

namespace {

bool signed_by(const Address& signer, const wallet::Hash32& message, const std::string& signature_hex)
{
    const auto bytes = wallet::bytes_from_hex(signature_hex);
    if (!bytes) return false;
    const auto signature = wallet::RecoverableSignature::from_rsv(*bytes);
    if (!signature) return false;
    const auto key = wallet::recover_public_key(wallet::personal_message_digest(message.view()), *signature);
    return key && wallet::address_of(*key) == signer;
}

}  // namespace

bool signed_by_lender(const SignedRenegotiation& t, const Address& loan_contract, std::uint64_t chain_id)
{
    return signed_by(t.lender, renegotiation_message(t.loan_id, t.duration_seconds, t.maximum_repayment, t.fee, t.lender, t.nonce, t.expiry, loan_contract, chain_id),
                     t.signature);
}

bool signed_by_lender(const SignedOffer& offer, const Address& loan_contract, std::uint64_t chain_id)
{
    return signed_by(offer.lender, offer_message(offer.offer, offer.lender, offer.nonce, offer.expiry, loan_contract, chain_id), offer.signature);
}

}  // namespace nftterm::protocols::nftfi
