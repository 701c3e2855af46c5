#include "transaction.hpp"

#include <wallet/crypto/hashes.hpp>
#include <wallet/rlp/rlp.hpp>

#include <string>

namespace nftterm::wallet {
namespace {

Bytes encode_to(const std::optional<Address>& to)
{
    return to ? rlp::encode_bytes(to->view()) : rlp::encode_bytes({});
}

Bytes encode_access_list(const std::vector<AccessListEntry>& list)
{
    std::vector<Bytes> entries;
    entries.reserve(list.size());
    for (const auto& entry : list) {
        std::vector<Bytes> keys;
        keys.reserve(entry.storage_keys.size());
        for (const auto& key : entry.storage_keys) keys.push_back(rlp::encode_bytes(key.view()));
        entries.push_back(rlp::encode_list({rlp::encode_bytes(entry.address.view()), rlp::encode_list(keys)}));
    }
    return rlp::encode_list(entries);
}

/// The fields both the signing payload and the wire form start with.
std::vector<Bytes> payload_fields(const Transaction& tx)
{
    if (tx.type == TxType::Legacy) {
        return {rlp::encode_uint(tx.nonce), rlp::encode_uint(tx.gas_price), rlp::encode_uint(tx.gas_limit),
                encode_to(tx.to),           rlp::encode_uint(tx.value),     rlp::encode_bytes(tx.data)};
    }
    return {rlp::encode_uint(to_u64(tx.chain_id)),
            rlp::encode_uint(tx.nonce),
            rlp::encode_uint(tx.max_priority_fee_per_gas),
            rlp::encode_uint(tx.max_fee_per_gas),
            rlp::encode_uint(tx.gas_limit),
            encode_to(tx.to),
            rlp::encode_uint(tx.value),
            rlp::encode_bytes(tx.data),
            encode_access_list(tx.access_list)};
}

Bytes with_type_prefix(TxType type, Bytes body)
{
    if (type != TxType::Legacy) body.insert(body.begin(), static_cast<std::uint8_t>(type));
    return body;
}

Result<std::uint64_t> as_u64(const rlp::Item& item, std::string_view what)
{
    auto value = item.as_uint(what);
    if (!value) return std::unexpected(value.error());
    auto small = value->to_u64();
    if (!small) return fail(Errc::InvalidTransaction, std::string(what) + " does not fit in 64 bits");
    return *small;
}

Result<std::optional<Address>> decode_to(const rlp::Item& item)
{
    auto bytes = item.as_bytes("to");
    if (!bytes) return std::unexpected(bytes.error());
    if (bytes->empty()) return std::optional<Address>{};
    auto raw = FixedBytes<20>::from_view(*bytes);
    if (!raw) return fail(Errc::InvalidTransaction, "'to' is " + std::to_string(bytes->size()) + " bytes, not 20");
    return std::optional<Address>(Address(*raw));
}

Result<Hash32> decode_word(const rlp::Item& item, std::string_view what)
{
    // r and s are integers on the wire: minimal big-endian, at most 32 bytes.
    auto value = item.as_uint(what);
    if (!value) return std::unexpected(value.error());
    return *Hash32::from_view(value->to_be());
}

Result<std::vector<AccessListEntry>> decode_access_list(const rlp::Item& item)
{
    if (!item.is_list) return fail(Errc::InvalidTransaction, "access list is not a list");
    std::vector<AccessListEntry> out;
    for (const auto& entry : item.items) {
        if (!entry.is_list || entry.items.size() != 2 || entry.items[0].is_list || !entry.items[1].is_list)
            return fail(Errc::InvalidTransaction, "access list entry is not [address, [keys]]");
        auto address = FixedBytes<20>::from_view(entry.items[0].payload);
        if (!address) return fail(Errc::InvalidTransaction, "access list address is not 20 bytes");
        AccessListEntry decoded{Address(*address), {}};
        for (const auto& key : entry.items[1].items) {
            auto word = key.is_list ? std::nullopt : Hash32::from_view(key.payload);
            if (!word) return fail(Errc::InvalidTransaction, "access list storage key is not 32 bytes");
            decoded.storage_keys.push_back(*word);
        }
        out.push_back(std::move(decoded));
    }
    return out;
}

Result<SignedTransaction> decode_legacy(ByteView raw)
{
    auto root = rlp::decode(raw);
    if (!root) return std::unexpected(root.error());
    if (!root->is_list || root->items.size() != 9)
        return fail(Errc::InvalidTransaction, "a legacy transaction is a list of 9 fields");
    const auto& f = root->items;
    Transaction tx;
    tx.type = TxType::Legacy;
    auto nonce = as_u64(f[0], "nonce");
    auto gas_price = f[1].as_uint("gasPrice");
    auto gas = as_u64(f[2], "gas");
    auto to = decode_to(f[3]);
    auto value = f[4].as_uint("value");
    auto data = f[5].as_bytes("data");
    auto v = f[6].as_uint("v");
    auto r = decode_word(f[7], "r");
    auto s = decode_word(f[8], "s");
    for (const Error* e : {nonce ? nullptr : &nonce.error(), gas_price ? nullptr : &gas_price.error(),
                           gas ? nullptr : &gas.error(), to ? nullptr : &to.error(), value ? nullptr : &value.error(),
                           data ? nullptr : &data.error(), v ? nullptr : &v.error(), r ? nullptr : &r.error(),
                           s ? nullptr : &s.error()})
        if (e) return std::unexpected(*e);
    tx.nonce = *nonce;
    tx.gas_price = *gas_price;
    tx.gas_limit = *gas;
    tx.to = *to;
    tx.value = *value;
    tx.data.assign(data->begin(), data->end());

    RecoverableSignature sig{*r, *s, 0};
    const auto v64 = v->to_u64();
    if (!v64) return fail(Errc::InvalidSignature, "v does not fit in 64 bits");
    if (*v64 == 27 || *v64 == 28) {
        // Pre-EIP-155: no replay protection; decoded for inspection only.
        sig.recovery_id = static_cast<std::uint8_t>(*v64 - 27);
    } else if (*v64 == 35 || *v64 == 36) {
        // Would be chain id 0, which EIP-155 does not define (found by fuzzing).
        return fail(Errc::InvalidSignature, "legacy v " + std::to_string(*v64) + " encodes chain id 0, which EIP-155 does not allow");
    } else if (*v64 >= 37) {
        tx.chain_id = ChainId{(*v64 - 35) / 2};
        sig.recovery_id = static_cast<std::uint8_t>((*v64 - 35) % 2);
    } else {
        return fail(Errc::InvalidSignature, "legacy v must be 27, 28 or at least 37, got " + std::to_string(*v64));
    }

    std::vector<Bytes> fields = payload_fields(tx);
    if (to_u64(tx.chain_id) != 0) {
        fields.push_back(rlp::encode_uint(to_u64(tx.chain_id)));
        fields.push_back(rlp::encode_uint(0));
        fields.push_back(rlp::encode_uint(0));
    }
    const Hash32 digest = keccak256(rlp::encode_list(fields));
    auto pub = recover_public_key(digest, sig);
    if (!pub) return std::unexpected(pub.error());
    return SignedTransaction{tx, sig, Bytes(raw.begin(), raw.end()), TxHash(keccak256(raw)), address_of(*pub)};
}

Result<SignedTransaction> decode_eip1559(ByteView raw)
{
    auto root = rlp::decode(raw.subspan(1));
    if (!root) return std::unexpected(root.error());
    if (!root->is_list || root->items.size() != 12)
        return fail(Errc::InvalidTransaction, "an EIP-1559 transaction is a list of 12 fields");
    const auto& f = root->items;
    Transaction tx;
    tx.type = TxType::Eip1559;
    auto chain = as_u64(f[0], "chainId");
    auto nonce = as_u64(f[1], "nonce");
    auto tip = f[2].as_uint("maxPriorityFeePerGas");
    auto cap = f[3].as_uint("maxFeePerGas");
    auto gas = as_u64(f[4], "gas");
    auto to = decode_to(f[5]);
    auto value = f[6].as_uint("value");
    auto data = f[7].as_bytes("data");
    auto access = decode_access_list(f[8]);
    auto parity = f[9].as_uint("yParity");
    auto r = decode_word(f[10], "r");
    auto s = decode_word(f[11], "s");
    for (const Error* e : {chain ? nullptr : &chain.error(), nonce ? nullptr : &nonce.error(),
                           tip ? nullptr : &tip.error(), cap ? nullptr : &cap.error(), gas ? nullptr : &gas.error(),
                           to ? nullptr : &to.error(), value ? nullptr : &value.error(), data ? nullptr : &data.error(),
                           access ? nullptr : &access.error(), parity ? nullptr : &parity.error(),
                           r ? nullptr : &r.error(), s ? nullptr : &s.error()})
        if (e) return std::unexpected(*e);
    if (*parity > U256(1)) return fail(Errc::InvalidSignature, "yParity must be 0 or 1");
    tx.chain_id = ChainId{*chain};
    tx.nonce = *nonce;
    tx.max_priority_fee_per_gas = *tip;
    tx.max_fee_per_gas = *cap;
    tx.gas_limit = *gas;
    tx.to = *to;
    tx.value = *value;
    tx.data.assign(data->begin(), data->end());
    tx.access_list = std::move(*access);
    const RecoverableSignature sig{*r, *s, static_cast<std::uint8_t>(*parity->to_u64())};
    auto digest = signing_hash(tx);
    if (!digest) return std::unexpected(digest.error());
    auto pub = recover_public_key(*digest, sig);
    if (!pub) return std::unexpected(pub.error());
    return SignedTransaction{tx, sig, Bytes(raw.begin(), raw.end()), TxHash(keccak256(raw)), address_of(*pub)};
}

}  // namespace

Result<void> validate(const Transaction& tx)
{
    if (to_u64(tx.chain_id) == 0)
        return fail(Errc::WrongChainId, "chain id 0 has no replay protection; set the chain id of the network");
    if (tx.type == TxType::Legacy && !tx.access_list.empty())
        return fail(Errc::InvalidTransaction, "a legacy transaction cannot carry an access list");
    if (tx.type == TxType::Eip1559 && tx.max_priority_fee_per_gas > tx.max_fee_per_gas)
        return fail(Errc::InvalidTransaction, "maxPriorityFeePerGas (" + tx.max_priority_fee_per_gas.to_dec()
                                                  + ") exceeds maxFeePerGas (" + tx.max_fee_per_gas.to_dec() + ")");
    if (tx.type != TxType::Legacy && tx.type != TxType::Eip1559)
        return fail(Errc::InvalidTransaction, "unsupported transaction type");
    return {};
}

Result<Bytes> signing_payload(const Transaction& tx)
{
    if (auto ok = validate(tx); !ok) return std::unexpected(ok.error());
    std::vector<Bytes> fields = payload_fields(tx);
    if (tx.type == TxType::Legacy) {
        // EIP-155: sign over (..., chainId, 0, 0).
        fields.push_back(rlp::encode_uint(to_u64(tx.chain_id)));
        fields.push_back(rlp::encode_uint(0));
        fields.push_back(rlp::encode_uint(0));
    }
    return with_type_prefix(tx.type, rlp::encode_list(fields));
}

Result<Hash32> signing_hash(const Transaction& tx)
{
    auto payload = signing_payload(tx);
    if (!payload) return std::unexpected(payload.error());
    return keccak256(*payload);
}

namespace {

/// The wire form of `tx` with `signature`, sent by `from` (not checked here).
SignedTransaction encode_signed(const Transaction& tx, const RecoverableSignature& signature, const Address& from)
{
    std::vector<Bytes> fields = payload_fields(tx);
    if (tx.type == TxType::Legacy) {
        const U256 v = U256(to_u64(tx.chain_id)) * U256(2) + U256(35u + signature.recovery_id);
        fields.push_back(rlp::encode_uint(v));
    } else {
        fields.push_back(rlp::encode_uint(signature.recovery_id));
    }
    fields.push_back(rlp::encode_uint(*U256::from_be(signature.r.view())));
    fields.push_back(rlp::encode_uint(*U256::from_be(signature.s.view())));
    Bytes raw = with_type_prefix(tx.type, rlp::encode_list(fields));
    const TxHash hash(keccak256(raw));
    return SignedTransaction{tx, signature, std::move(raw), hash, from};
}

}  // namespace

Result<SignedTransaction> assemble_signed(const Transaction& tx, const RecoverableSignature& signature)
{
    auto digest = signing_hash(tx);
    if (!digest) return std::unexpected(digest.error());
    auto pub = recover_public_key(*digest, signature);
    if (!pub) return std::unexpected(pub.error());
    return encode_signed(tx, signature, address_of(*pub));
}

Result<SignedTransaction> sign_transaction(const Transaction& tx, const PrivateKey& key, const Address& key_address)
{
    auto digest = signing_hash(tx);
    if (!digest) return std::unexpected(digest.error());
    // libsecp256k1's signature is right by construction: no recovery needed.
    return encode_signed(tx, sign_digest(key, *digest), key_address);
}

Result<SignedTransaction> sign_transaction(const Transaction& tx, const PrivateKey& key)
{
    return sign_transaction(tx, key, address_of(public_key_of(key)));
}

Result<SignedTransaction> decode_signed_transaction(ByteView raw)
{
    if (raw.empty()) return fail(Errc::InvalidTransaction, "empty transaction");
    if (raw[0] >= 0xc0) return decode_legacy(raw);
    if (raw[0] == 0x02) return decode_eip1559(raw);
    return fail(Errc::InvalidTransaction, "unsupported transaction type 0x" + to_hex_bare(raw.first(1))
                                              + " (supported: legacy and EIP-1559)");
}

}  // namespace nftterm::wallet
