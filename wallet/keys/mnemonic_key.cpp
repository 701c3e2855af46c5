#include "mnemonic_key.hpp"

#include <wallet/keys/bip32.hpp>
#include <wallet/keys/bip39.hpp>

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

}  // namespace nftterm::wallet
