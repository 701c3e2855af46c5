#pragma once

#include <wallet/crypto/secret.hpp>
#include <wallet/error.hpp>

#include <cstdint>

namespace nftterm::wallet {

/// PBKDF2 with HMAC-SHA256 (keystore v3 "pbkdf2" with prf hmac-sha256).
Result<SecretBytes> pbkdf2_sha256(ByteView password, ByteView salt, std::uint32_t iterations, std::size_t length);

/// PBKDF2 with HMAC-SHA512 (BIP-39 seed: 2048 iterations, 64 bytes).
Result<SecretBytes> pbkdf2_sha512(ByteView password, ByteView salt, std::uint32_t iterations, std::size_t length);

/// scrypt (RFC 7914), as keystore v3 uses it.
Result<SecretBytes> scrypt(ByteView password, ByteView salt, std::uint64_t n, std::uint32_t r, std::uint32_t p,
                           std::size_t length);

}  // namespace nftterm::wallet
