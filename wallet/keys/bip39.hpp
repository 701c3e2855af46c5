#pragma once

#include <wallet/crypto/secret.hpp>
#include <wallet/error.hpp>

#include <string_view>

namespace nftterm::wallet::bip39 {

/// A new English mnemonic of `words` words (12, 15, 18, 21 or 24) from the
/// system CSPRNG.
Result<SecretBytes> generate(unsigned words = 24);

/// The English mnemonic for the given entropy (16 to 32 bytes, a multiple of 4).
Result<SecretBytes> from_entropy(ByteView entropy);

/// Checks word count, that every word is in the English list, and the
/// checksum. Whitespace between words may be any run of spaces/newlines.
Result<void> validate(std::string_view mnemonic);

/// The 64-byte seed: PBKDF2-HMAC-SHA512(NFKD(mnemonic), "mnemonic" +
/// NFKD(passphrase), 2048). The mnemonic is validated (English list) first;
/// any passphrase works, in any script and either Unicode composition.
Result<SecretBytes> to_seed(std::string_view mnemonic, std::string_view passphrase);

/// The same derivation for a phrase in any BIP-39 language, without the
/// word check (only the English list ships): what the published Japanese
/// vectors test. A wallet uses to_seed.
Result<SecretBytes> seed_of_phrase(std::string_view phrase, std::string_view passphrase);

}  // namespace nftterm::wallet::bip39
