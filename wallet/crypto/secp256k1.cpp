#include "secp256k1.hpp"

#include <wallet/crypto/random.hpp>

#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include <algorithm>
#include <cstring>

namespace nftterm::wallet {
namespace {

/// One signing context for the process, randomised once for side-channel
/// protection; libsecp256k1 contexts are safe to share for const use.
const secp256k1_context* signing_context()
{
    static secp256k1_context* const ctx = [] {
        secp256k1_context* c = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
        if (auto seed = secure_random(32)) {
            [[maybe_unused]] int ok = secp256k1_context_randomize(c, seed->data());
        }
        return c;
    }();
    return ctx;
}

}  // namespace

Result<PrivateKey> PrivateKey::from_bytes(ByteView bytes)
{
    if (bytes.size() != 32) return fail(Errc::InvalidKey, "a private key is 32 bytes, got " + std::to_string(bytes.size()));
    if (secp256k1_ec_seckey_verify(secp256k1_context_static, bytes.data()) != 1)
        return fail(Errc::InvalidKey, "the private key is zero or not below the curve order");
    return PrivateKey(SecretBytes(bytes));
}

Result<PrivateKey> PrivateKey::generate()
{
    for (int attempt = 0; attempt < 16; ++attempt) {
        auto candidate = secure_random(32);
        if (!candidate) return std::unexpected(candidate.error());
        if (auto key = from_bytes(candidate->view())) return key;
    }
    return fail(Errc::CryptoFailure, "the random generator keeps producing invalid keys");
}

FixedBytes<65> RecoverableSignature::to_rsv() const noexcept
{
    FixedBytes<65> out;
    std::copy(r.bytes.begin(), r.bytes.end(), out.bytes.begin());
    std::copy(s.bytes.begin(), s.bytes.end(), out.bytes.begin() + 32);
    out.bytes[64] = static_cast<std::uint8_t>(27 + recovery_id);
    return out;
}

Result<RecoverableSignature> RecoverableSignature::from_rsv(ByteView bytes)
{
    if (bytes.size() != 65) return fail(Errc::InvalidSignature, "a signature is 65 bytes, got " + std::to_string(bytes.size()));
    const std::uint8_t v = bytes[64];
    RecoverableSignature sig;
    if (v == 0 || v == 1) sig.recovery_id = v;
    else if (v == 27 || v == 28) sig.recovery_id = static_cast<std::uint8_t>(v - 27);
    else return fail(Errc::InvalidSignature, "v must be 0, 1, 27 or 28, got " + std::to_string(v));
    std::copy_n(bytes.begin(), 32, sig.r.bytes.begin());
    std::copy_n(bytes.begin() + 32, 32, sig.s.bytes.begin());
    return sig;
}

RecoverableSignature sign_digest(const PrivateKey& key, const Hash32& digest) noexcept
{
    secp256k1_ecdsa_recoverable_signature raw;
    // Cannot fail for a valid key with the default nonce function.
    [[maybe_unused]] const int signed_ok = secp256k1_ecdsa_sign_recoverable(signing_context(), &raw, digest.data(), key.view().data(), nullptr, nullptr);
    std::uint8_t compact[64];
    int recid = 0;
    secp256k1_ecdsa_recoverable_signature_serialize_compact(secp256k1_context_static, compact, &recid, &raw);
    RecoverableSignature sig;
    std::memcpy(sig.r.data(), compact, 32);
    std::memcpy(sig.s.data(), compact + 32, 32);
    sig.recovery_id = static_cast<std::uint8_t>(recid);
    return sig;
}

Result<PublicKey> recover_public_key(const Hash32& digest, const RecoverableSignature& signature)
{
    if (signature.recovery_id > 1) return fail(Errc::InvalidSignature, "recovery id must be 0 or 1");
    std::uint8_t compact[64];
    std::memcpy(compact, signature.r.data(), 32);
    std::memcpy(compact + 32, signature.s.data(), 32);
    secp256k1_ecdsa_recoverable_signature raw;
    if (secp256k1_ecdsa_recoverable_signature_parse_compact(secp256k1_context_static, &raw, compact,
                                                            signature.recovery_id)
        != 1)
        return fail(Errc::InvalidSignature, "r or s is not below the curve order");
    if (signature.r.is_zero() || signature.s.is_zero()) return fail(Errc::InvalidSignature, "r or s is zero");
    secp256k1_ecdsa_signature plain;
    secp256k1_ecdsa_recoverable_signature_convert(secp256k1_context_static, &plain, &raw);
    if (secp256k1_ecdsa_signature_normalize(secp256k1_context_static, nullptr, &plain) == 1)
        return fail(Errc::InvalidSignature, "s is in the upper half of the curve order (EIP-2)");
    secp256k1_pubkey pub;
    if (secp256k1_ecdsa_recover(secp256k1_context_static, &pub, &raw, digest.data()) != 1)
        return fail(Errc::InvalidSignature, "no public key recovers from this signature");
    std::uint8_t out[65];
    std::size_t size = sizeof out;
    secp256k1_ec_pubkey_serialize(secp256k1_context_static, out, &size, &pub, SECP256K1_EC_UNCOMPRESSED);
    return *PublicKey::from_view(ByteView(out + 1, 64));
}

PublicKey public_key_of(const PrivateKey& key) noexcept
{
    secp256k1_pubkey pub;
    // Cannot fail: PrivateKey is valid by construction.
    [[maybe_unused]] const int created = secp256k1_ec_pubkey_create(signing_context(), &pub, key.view().data());
    std::uint8_t out[65];
    std::size_t size = sizeof out;
    secp256k1_ec_pubkey_serialize(secp256k1_context_static, out, &size, &pub, SECP256K1_EC_UNCOMPRESSED);
    return *PublicKey::from_view(ByteView(out + 1, 64));
}

CompressedPublicKey compressed_public_key_of(const PrivateKey& key) noexcept
{
    return *compress(public_key_of(key));
}

Result<CompressedPublicKey> compress(const PublicKey& key)
{
    std::uint8_t in[65];
    in[0] = 0x04;
    std::memcpy(in + 1, key.data(), 64);
    secp256k1_pubkey pub;
    if (secp256k1_ec_pubkey_parse(secp256k1_context_static, &pub, in, sizeof in) != 1)
        return fail(Errc::InvalidKey, "not a point on secp256k1");
    CompressedPublicKey out;
    std::size_t size = out.size();
    secp256k1_ec_pubkey_serialize(secp256k1_context_static, out.data(), &size, &pub, SECP256K1_EC_COMPRESSED);
    return out;
}

Result<PrivateKey> add_tweak(const PrivateKey& key, ByteView tweak32)
{
    if (tweak32.size() != 32) return fail(Errc::InvalidKey, "a tweak is 32 bytes");
    SecretBytes sum(key.view());
    if (secp256k1_ec_seckey_tweak_add(secp256k1_context_static, sum.data(), tweak32.data()) != 1)
        return fail(Errc::InvalidKey, "the derived key is invalid");
    return PrivateKey::from_bytes(sum.view());
}

}  // namespace nftterm::wallet
