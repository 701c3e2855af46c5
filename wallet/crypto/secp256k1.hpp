#pragma once

#include <wallet/crypto/secret.hpp>
#include <wallet/error.hpp>
#include <wallet/primitives/bytes.hpp>

#include <cstdint>

namespace nftterm::wallet {

/// Uncompressed public key without the 0x04 prefix: X || Y.
using PublicKey = FixedBytes<64>;
/// SEC1 compressed public key (BIP-32 fingerprints and serialization).
using CompressedPublicKey = FixedBytes<33>;

/// A secp256k1 private key, valid by construction (0 < k < n), wiped on
/// destruction. Move-only.
class PrivateKey {
public:
    /// Rejects anything but 32 bytes in the valid range.
    static Result<PrivateKey> from_bytes(ByteView bytes);
    static Result<PrivateKey> generate();

    ByteView view() const noexcept { return m_secret.view(); }
    PrivateKey clone() const { return PrivateKey(m_secret.clone()); }

private:
    explicit PrivateKey(SecretBytes secret) : m_secret(std::move(secret)) {}
    SecretBytes m_secret;
};

/// An ECDSA signature with its recovery id (0 or 1); s is always low (EIP-2).
struct RecoverableSignature {
    Hash32 r;
    Hash32 s;
    std::uint8_t recovery_id = 0;

    /// r || s || v with v = 27 + recovery id (personal_sign / EIP-712 form).
    FixedBytes<65> to_rsv() const noexcept;
    /// Parses r || s || v with v in {0, 1, 27, 28}.
    static Result<RecoverableSignature> from_rsv(ByteView bytes);

    friend bool operator==(const RecoverableSignature&, const RecoverableSignature&) = default;
};

/// Deterministic (RFC 6979) signature of a 32-byte digest. Thread-safe.
RecoverableSignature sign_digest(const PrivateKey& key, const Hash32& digest) noexcept;

/// The public key that made `signature` over `digest`. High-s signatures are
/// rejected, as Ethereum has since Homestead. Thread-safe.
Result<PublicKey> recover_public_key(const Hash32& digest, const RecoverableSignature& signature);

PublicKey public_key_of(const PrivateKey& key) noexcept;
CompressedPublicKey compressed_public_key_of(const PrivateKey& key) noexcept;
Result<CompressedPublicKey> compress(const PublicKey& key);

/// (key + tweak) mod n, for BIP-32 child keys; fails when the result is
/// invalid (BIP-32 then says: proceed with the next index).
Result<PrivateKey> add_tweak(const PrivateKey& key, ByteView tweak32);

}  // namespace nftterm::wallet
