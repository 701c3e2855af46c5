#pragma once

#include <wallet/crypto/secret.hpp>
#include <wallet/primitives/bytes.hpp>

namespace nftterm::wallet {

/// Keccak-256 as Ethereum uses it (original Keccak padding, not SHA3-256).
Hash32 keccak256(ByteView data) noexcept;

Hash32 sha256(ByteView data) noexcept;

/// HMAC-SHA512, used by BIP-32. The output is secret material.
SecretBytes hmac_sha512(ByteView key, ByteView data);

}  // namespace nftterm::wallet
