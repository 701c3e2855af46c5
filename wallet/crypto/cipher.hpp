#pragma once

#include <wallet/crypto/secret.hpp>
#include <wallet/error.hpp>

namespace nftterm::wallet {

/// AES-128-CTR (keystore v3 "aes-128-ctr"): the same call encrypts and decrypts.
Result<SecretBytes> aes128_ctr(ByteView key16, ByteView iv16, ByteView input);

}  // namespace nftterm::wallet
