#include "bip39.hpp"

#include <wallet/crypto/hashes.hpp>
#include <wallet/crypto/kdf.hpp>
#include <wallet/crypto/random.hpp>
#include <wallet/keys/bip39_wordlist.hpp>
#include <wallet/keys/nfkd.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace nftterm::wallet::bip39 {
namespace {

/// Splits on whitespace without copying the secret more than needed.
std::vector<std::string_view> split_words(std::string_view text)
{
    std::vector<std::string_view> words;
    std::size_t pos = 0;
    while (pos < text.size()) {
        while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos]))) ++pos;
        std::size_t end = pos;
        while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end]))) ++end;
        if (end > pos) words.push_back(text.substr(pos, end - pos));
        pos = end;
    }
    return words;
}

int word_index(std::string_view word)
{
    const auto& list = english_wordlist();
    const auto it = std::lower_bound(list.begin(), list.end(), word);
    return (it != list.end() && *it == word) ? static_cast<int>(it - list.begin()) : -1;
}

/// Recovers entropy from words and checks the checksum bits.
Result<SecretBytes> to_entropy(const std::vector<std::string_view>& words)
{
    const std::size_t n = words.size();
    if (n < 12 || n > 24 || n % 3 != 0)
        return fail(Errc::InvalidMnemonic, "a mnemonic has 12, 15, 18, 21 or 24 words, got " + std::to_string(n));
    SecretBytes bits(n * 11);
    for (std::size_t i = 0; i < n; ++i) {
        const int index = word_index(words[i]);
        if (index < 0)
            return fail(Errc::InvalidMnemonic, "word " + std::to_string(i + 1) + " is not in the BIP-39 English list");
        for (int b = 0; b < 11; ++b) bits.data()[i * 11 + static_cast<std::size_t>(b)] = (index >> (10 - b)) & 1;
    }
    const std::size_t entropy_bits = n * 11 * 32 / 33;
    SecretBytes entropy(entropy_bits / 8);
    for (std::size_t i = 0; i < entropy_bits; ++i)
        entropy.data()[i / 8] |= static_cast<std::uint8_t>(bits.data()[i] << (7 - i % 8));
    const Hash32 hash = sha256(entropy.view());
    for (std::size_t i = 0; i < entropy_bits / 32; ++i) {
        const int expected = (hash.bytes[i / 8] >> (7 - i % 8)) & 1;
        if (bits.data()[entropy_bits + i] != expected)
            return fail(Errc::InvalidMnemonic, "the checksum does not match: a word is wrong or out of order");
    }
    return entropy;
}

}  // namespace

Result<SecretBytes> from_entropy(ByteView entropy)
{
    if (entropy.size() < 16 || entropy.size() > 32 || entropy.size() % 4 != 0)
        return fail(Errc::InvalidMnemonic, "entropy must be 16 to 32 bytes, a multiple of 4");
    const Hash32 hash = sha256(entropy);
    const std::size_t total_bits = entropy.size() * 8 + entropy.size() / 4;
    const auto bit = [&](std::size_t i) -> int {
        return i < entropy.size() * 8 ? (entropy[i / 8] >> (7 - i % 8)) & 1
                                      : (hash.bytes[(i - entropy.size() * 8) / 8] >> (7 - (i - entropy.size() * 8) % 8)) & 1;
    };
    std::string text;
    for (std::size_t w = 0; w < total_bits / 11; ++w) {
        int index = 0;
        for (std::size_t b = 0; b < 11; ++b) index = (index << 1) | bit(w * 11 + b);
        if (w) text += ' ';
        text += english_wordlist()[static_cast<std::size_t>(index)];
    }
    SecretBytes out = SecretBytes::from_string(text);
    secure_zero(text.data(), text.size());
    return out;
}

Result<SecretBytes> generate(unsigned words)
{
    if (words < 12 || words > 24 || words % 3 != 0)
        return fail(Errc::InvalidMnemonic, "a mnemonic has 12, 15, 18, 21 or 24 words");
    auto entropy = secure_random(words * 4 / 3);
    if (!entropy) return std::unexpected(entropy.error());
    return from_entropy(entropy->view());
}

Result<void> validate(std::string_view mnemonic)
{
    auto entropy = to_entropy(split_words(mnemonic));
    if (!entropy) return std::unexpected(entropy.error());
    return {};
}

Result<SecretBytes> seed_of_phrase(std::string_view phrase, std::string_view passphrase)
{
    auto password = nfkd(phrase);
    if (!password) return std::unexpected(password.error());
    auto normalized_passphrase = nfkd(passphrase);
    if (!normalized_passphrase) return std::unexpected(normalized_passphrase.error());
    // "mnemonic" + passphrase, built in a buffer of its final size: no growing copy of the secret.
    constexpr std::string_view kPrefix = "mnemonic";
    SecretBytes salt(kPrefix.size() + normalized_passphrase->size());
    std::copy(kPrefix.begin(), kPrefix.end(), salt.data());
    std::copy(normalized_passphrase->view().begin(), normalized_passphrase->view().end(), salt.data() + kPrefix.size());
    return pbkdf2_sha512(password->view(), salt.view(), 2048, 64);
}

Result<SecretBytes> to_seed(std::string_view mnemonic, std::string_view passphrase)
{
    const auto words = split_words(mnemonic);
    if (auto entropy = to_entropy(words); !entropy) return std::unexpected(entropy.error());
    // The words joined by single spaces, in a buffer of its final size.
    std::size_t length = words.empty() ? 0 : words.size() - 1;
    for (auto word : words) length += word.size();
    SecretBytes phrase(length);
    std::size_t at = 0;
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (i) phrase.data()[at++] = ' ';
        std::copy(words[i].begin(), words[i].end(), phrase.data() + at);
        at += words[i].size();
    }
    return seed_of_phrase(phrase.as_string(), passphrase);
}

}  // namespace nftterm::wallet::bip39
