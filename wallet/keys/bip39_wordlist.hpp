#pragma once

#include <array>
#include <string_view>

namespace nftterm::wallet::bip39 {

/// The BIP-39 English word list, sorted, generated at build time from
/// bip39_english.txt (SHA-256 2f5eed53…dbda, checked by CMake).
const std::array<std::string_view, 2048>& english_wordlist() noexcept;

}  // namespace nftterm::wallet::bip39
