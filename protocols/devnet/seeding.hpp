#pragma once

// Internal to the devnet seeder and simulator: the demo actors and a small
// "send this call as this actor and wait" helper on the project's own
// sender, nonce manager, journal and receipt tracker.

#include <protocols/devnet/demo_world.hpp>
#include <protocols/eth/rpc/eth_api.hpp>
#include <protocols/eth/abi/contract_abi.hpp>
#include <protocols/eth/tx/nonce_manager.hpp>
#include <protocols/eth/tx/tx_journal.hpp>
#include <wallet/crypto/secp256k1.hpp>
#include <wallet/signer/signer.hpp>

#include <nlohmann/json.hpp>

#include <memory>
#include <random>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nftterm::protocols::devnet::detail {

struct Actor {
    DemoAccount account;
    wallet::PrivateKey key;
    std::unique_ptr<wallet::Signer> signer;
};

/// The demo accounts with their keys, derived from kDevMnemonic.
Result<std::vector<Actor>> demo_actors();
const Actor& actor_named(const std::vector<Actor>& actors, std::string_view name);
std::vector<const Actor*> actors_with_role(const std::vector<Actor>& actors, std::string_view role);

/// Seeding calldata comes from fixed signatures and our own values: a
/// failure is a bug in the seeder, never input, so it stops the program.
wallet::Bytes calldata(const std::string& signature, const std::string& args_json);

/// JSON string literals for building argument arrays.
std::string q(const wallet::Address& address);
std::string q(const wallet::U256& value);

/// `value` × 10^18 / `denominator` (prices and amounts in wei).
wallet::U256 ether(std::uint64_t value, std::uint64_t denominator = 1);

/// Signs, sends and waits for each transaction, one at a time.
class World {
public:
    World(eth::RpcClient& client, const std::filesystem::path& journal_path);

    const std::optional<Error>& error() const { return m_error; }
    eth::RpcClient& client() { return m_client; }

    Result<eth::Receipt> send(const Actor& actor, std::optional<wallet::Address> to, wallet::Bytes data, wallet::U256 value = {});
    /// send() of calldata(signature, args_json).
    Result<eth::Receipt> call(const Actor& actor, const wallet::Address& to, const std::string& signature,
                              const std::string& args_json = "[]", wallet::U256 value = {});
    Result<wallet::Address> deploy(const Actor& actor, const abi::CompiledContract& contract, const std::string& args_types = "()",
                                   const std::string& args_json = "[]");
    /// eth_call of a view at the head; the outputs (a type list such as
    /// "(uint256,address)") as a JSON array (integers as decimal strings).
    Result<nlohmann::json> read(const wallet::Address& to, const std::string& signature, const std::string& args_json,
                                const std::string& output_types);

private:
    eth::RpcClient& m_client;
    eth::NonceManager m_nonces;
    std::unique_ptr<eth::TxJournal> m_journal;
    std::optional<Error> m_error;
};

struct Collection {
    std::string symbol;
    wallet::Address address;
    /// The oracle floor price the world is seeded at (wei).
    wallet::U256 price;
};

/// What each protocol family's seeder reads and extends.
struct SeedContext {
    World& world;
    const std::vector<Actor>& actors;
    const std::string& contracts_json;
    Manifest& manifest;
    std::mt19937_64& random;
    std::uint64_t chain_id = 0;
    wallet::Address weth;
    wallet::Address nft_oracle;
    std::vector<Collection> collections;

    Result<abi::CompiledContract> contract(const char* source, const char* name) const
    {
        return abi::read_solc_output(contracts_json, source, name);
    }
};

/// NFT ids: trader k holds k*100+0 (P2P loan), +1 (pool loan), +2 (own AMM
/// pool), +3 (free, with open P2P offers on it); the market maker holds
/// kMakerFirstId… for the AMM pools.
inline constexpr std::uint64_t kMakerFirstId = 1000;
inline constexpr std::uint64_t kMakerNftsPerCollection = 12;

Result<void> seed_nftfi(SeedContext& context);
Result<void> seed_bend(SeedContext& context);
Result<void> seed_sudoswap(SeedContext& context);
Result<void> seed_perp(SeedContext& context);

}  // namespace nftterm::protocols::devnet::detail

// One line per seeding step: the step's result, or the first failure returned.
#define NFTTERM_SEED_TRY(name, expression)    \
    auto name = (expression);                 \
    if (!name) return std::unexpected(name.error())
