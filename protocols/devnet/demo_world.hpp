#pragma once

#include <protocols/eth/rpc/rpc_client.hpp>
#include <protocols/positions/position_kind.hpp>
#include <wallet/primitives/u256.hpp>
#include <wallet/primitives/address.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nftterm::protocols::devnet {

/// anvil's published development mnemonic: its keys are public test keys,
/// funded on every anvil; the demo accounts are its first BIP-44 accounts.
inline constexpr const char* kDevMnemonic = "test test test test test test test test test test test junk";

struct DemoAccount {
    std::string name;
    std::string role;
    /// m/44'/60'/0'/0/index of kDevMnemonic.
    std::uint32_t index = 0;
    wallet::Address address;
};

/// A loan the seeder opened: Nftfi (lender: the lender's account,
/// maturity: unix time) or BendDao (lender: the LendPool, no maturity).
struct SeededLoan {
    positions::Protocol protocol = positions::Protocol::Nftfi;
    std::uint32_t loan_id = 0;
    wallet::Address borrower;
    wallet::Address lender;
    wallet::Address collection;
    std::uint64_t token_id = 0;
    std::uint64_t maturity = 0;
};

/// A lender's signed NFTfi offer, open for the NFT's owner to accept
/// (acceptOffer with these terms and this signature).
struct SeededOffer {
    wallet::Address lender;
    wallet::Address borrower;
    wallet::Address collection;
    std::uint64_t token_id = 0;
    wallet::U256 principal;
    wallet::U256 maximum_repayment;
    std::uint32_t duration_seconds = 0;
    std::uint16_t admin_fee_bps = 0;
    wallet::Address currency;
    wallet::U256 nonce;
    wallet::U256 expiry;
    std::string signature;
};

/// A sudoswap-style pair: pool type "TOKEN", "NFT" or "TRADE"; curve
/// "linear", "exponential" or "xyk".
struct SeededPair {
    wallet::Address pair;
    wallet::Address owner;
    wallet::Address collection;
    std::string pool_type;
    std::string curve;
};

/// A perpetual position on a collection's Amm ("long" or "short").
struct SeededPerp {
    wallet::Address amm;
    wallet::Address trader;
    wallet::Address collection;
    std::string side;
};

/// Everything a client needs to find the devnet's world.
struct Manifest {
    std::uint64_t chain_id = 0;
    std::string rpc_url;
    std::uint64_t seed = 0;
    std::map<std::string, wallet::Address> contracts;
    std::vector<DemoAccount> accounts;
    std::vector<SeededLoan> loans;
    std::vector<SeededOffer> offers;
    std::vector<SeededPair> pairs;
    std::vector<SeededPerp> perps;
    /// Collection symbol → the Amm trading its floor.
    std::map<std::string, wallet::Address> amms;
    /// Collection symbol → its Chainlink-style floor feed (AggregatorV3Interface).
    std::map<std::string, wallet::Address> feeds;
};

/// The floor (ETH) a demo collection is seeded at, by symbol ("DAPE"): what
/// the simulator's prices revert to.
std::optional<double> demo_seed_floor(std::string_view symbol);

std::string manifest_to_json(const Manifest& manifest);
Result<Manifest> manifest_from_json(const std::string& text);

/// Deploys the project's contracts (from solc output `contracts_json`) and
/// seeds the demo world, deterministically for `seed`. Every transaction is
/// signed by the project's own code and journaled at `journal`.
Result<Manifest> deploy_demo_world(eth::RpcClient& client, const std::string& contracts_json, std::uint64_t seed,
                                   const std::filesystem::path& journal);

}  // namespace nftterm::protocols::devnet
