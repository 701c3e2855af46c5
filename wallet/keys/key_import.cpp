#include "key_import.hpp"

#include <cctype>

#include <wallet/keys/bip32.hpp>
#include <wallet/keys/bip39.hpp>
#include <wallet/crypto/secret.hpp>

namespace nftterm::wallet {

Result<PrivateKey> key_from_mnemonic(std::string_view mnemonic, std::string_view passphrase, const DerivationPath& path)
{
    auto seed = bip39::to_seed(mnemonic, passphrase);
    if (!seed) return std::unexpected(seed.error());
    auto master = ExtendedKey::from_seed(seed->view());
    if (!master) return std::unexpected(master.error());
    auto derived = master->derive(path);
    if (!derived) return std::unexpected(derived.error());
    return derived->private_key().clone();
}

Result<PrivateKey> key_from_hex(std::string_view text)
{
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    auto bytes = bytes_from_hex(text);
    if (!bytes || bytes->size() != 32) {
        if (bytes) secure_zero(bytes->data(), bytes->size());
        return fail(Errc::InvalidKey, "a private key is 32 bytes written as 64 hex digits");
    }
    SecretBytes secret(*bytes);
    secure_zero(bytes->data(), bytes->size());
    return PrivateKey::from_bytes(secret.view());
}

}  // namespace nftterm::wallet
