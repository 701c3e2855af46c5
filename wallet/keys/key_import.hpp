#pragma once

#include <wallet/crypto/secp256k1.hpp>
#include <wallet/keys/derivation_path.hpp>

#include <string_view>

namespace nftterm::wallet {

/// The key at `path` of a BIP-39 mnemonic (+ optional passphrase): seed,
/// BIP-32 master, then the path. The seed is wiped before it returns.
Result<PrivateKey> key_from_mnemonic(std::string_view mnemonic, std::string_view passphrase, const DerivationPath& path);

/// A private key written as 64 hex digits (with or without 0x, surrounding
/// whitespace ignored). The decoded copy is wiped before it returns.
Result<PrivateKey> key_from_hex(std::string_view text);

}  // namespace nftterm::wallet
