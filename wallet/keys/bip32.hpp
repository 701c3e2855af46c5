#pragma once

#include <wallet/crypto/secp256k1.hpp>
#include <wallet/keys/derivation_path.hpp>

#include <cstdint>
#include <string>

namespace nftterm::wallet {

/// A BIP-32 extended private key. Move-only; secrets are wiped on destruction.
class ExtendedKey {
public:
    /// The master key of a seed (16 to 64 bytes): HMAC-SHA512("Bitcoin seed", seed).
    static Result<ExtendedKey> from_seed(ByteView seed);

    /// CKDpriv; indices with kHardened set are hardened.
    Result<ExtendedKey> derive_child(std::uint32_t index) const;
    Result<ExtendedKey> derive(const DerivationPath& path) const;

    const PrivateKey& private_key() const noexcept { return m_key; }

    /// Base58Check "xprv…" / "xpub…" (mainnet versions), as the BIP's vectors.
    std::string to_xprv() const;
    std::string to_xpub() const;

private:
    ExtendedKey(PrivateKey key, SecretBytes chain_code, std::uint8_t depth, std::uint32_t parent_fingerprint,
                std::uint32_t child_number);
    std::uint32_t fingerprint() const;
    std::string serialize(std::uint32_t version, ByteView key_data) const;

    PrivateKey m_key;
    SecretBytes m_chain_code;
    std::uint8_t m_depth = 0;
    std::uint32_t m_parent_fingerprint = 0;
    std::uint32_t m_child_number = 0;
};

/// Base58Check (Bitcoin alphabet, double-SHA-256 checksum).
std::string base58check_encode(ByteView payload);

}  // namespace nftterm::wallet
