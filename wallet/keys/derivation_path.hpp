#pragma once

#include <wallet/error.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nftterm::wallet {

constexpr std::uint32_t kHardened = 0x80000000u;

/// A BIP-32 path such as m/44'/60'/0'/0/0 (hardened marked ', h or H).
struct DerivationPath {
    std::vector<std::uint32_t> indices;

    static Result<DerivationPath> parse(std::string_view text);
    std::string to_string() const;

    /// BIP-44 Ethereum, as MetaMask and most wallets: m/44'/60'/0'/0/i.
    static DerivationPath bip44(std::uint32_t index);
    /// Ledger Live: m/44'/60'/i'/0/0.
    static DerivationPath ledger_live(std::uint32_t index);

    friend bool operator==(const DerivationPath&, const DerivationPath&) = default;
};

}  // namespace nftterm::wallet
