#pragma once

#include <wallet/crypto/secret.hpp>
#include <wallet/error.hpp>

#include <string_view>

namespace nftterm::wallet {

/// Unicode NFKD (compatibility decomposition) of UTF-8 text, as BIP-39
/// requires of mnemonics and passphrases: "é" typed precomposed or as
/// "e" + combining accent, "㍍" or "メートル", full-width or ideographic
/// spaces all give one seed. ICU does the normalisation; every buffer that
/// held the text is wiped. Invalid UTF-8 is Errc::InvalidMnemonic.
Result<SecretBytes> nfkd(std::string_view utf8);

}  // namespace nftterm::wallet
