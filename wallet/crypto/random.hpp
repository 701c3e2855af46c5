#pragma once

#include <wallet/crypto/secret.hpp>
#include <wallet/error.hpp>

namespace nftterm::wallet {

/// Bytes from the operating system's CSPRNG (through OpenSSL's RAND_bytes).
Result<SecretBytes> secure_random(std::size_t size);

}  // namespace nftterm::wallet
