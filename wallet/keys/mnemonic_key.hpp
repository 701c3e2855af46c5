#pragma once

#include <wallet/crypto/secp256k1.hpp>
#include <wallet/keys/derivation_path.hpp>

#include <string_view>

namespace nftterm::wallet {

/// The key at `path` of a BIP-39 mnemonic (+ optional passphrase): seed,
/// BIP-32 master, then the path. The seed is wiped before it returns.
Result<PrivateKey> key_from_mnemonic(std::string_view mnemonic, std::string_view passphrase, const DerivationPath& path);

}  // namespace nftterm::wallet
