#pragma once

#include <protocols/error.hpp>
#include <wallet/primitives/address.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace nftterm::protocols::positions {

/// Where each protocol lives on one chain. The devnet's manifest is a
/// registry as it is; packaging/registries/ has the mainnet one.
struct Registry {
    std::uint64_t chain_id = 0;
    /// Contract names as in the devnet manifest: "NFTfiDirectLoanFixedOffer",
    /// "BendLendPool", "NFTOracle", "BendReserveOracle", "SudoPairFactory",
    /// "PerpClearingHouse", "WETH9", "Multicall3", and collection symbols.
    std::map<std::string, wallet::Address> contracts;
    /// Collection symbol → the perp Amm on its floor.
    std::map<std::string, wallet::Address> amms;
    /// Collection symbol → a Chainlink-style floor feed (latestRoundData).
    std::map<std::string, wallet::Address> feeds;
    /// Event scans start here (the protocols' deployment block).
    std::uint64_t start_block = 0;

    std::optional<wallet::Address> contract(const std::string& name) const;
    /// The symbol a collection is listed under (empty when it is not).
    std::string symbol_of(const wallet::Address& collection) const;
};

/// Reads a registry or a devnet manifest (JSON).
Result<Registry> registry_from_json(const std::string& text);

}  // namespace nftterm::protocols::positions
