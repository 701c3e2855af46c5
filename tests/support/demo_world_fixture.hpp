#pragma once

#include "anvil_node.hpp"

#include <protocols/devnet/demo_world.hpp>
#include <protocols/devnet/seeding.hpp>
#include <protocols/eth/abi/contract_abi.hpp>
#include <protocols/positions/registry.hpp>

#include <nlohmann/json.hpp>

#include <boost/multiprecision/cpp_int.hpp>

#include <filesystem>
#include <memory>
#include <string>

namespace nftterm::tests {

/// Signed 256-bit arithmetic for checks of the perp contracts' math.
using Int256 = boost::multiprecision::checked_int256_t;

/// A fresh anvil with the whole demo world deployed and seeded by the
/// project's own seeder (its own signing, RPC and ABI code), plus helpers
/// to act as any demo account and to read views and events.
class DemoWorldFixture {
public:
    /// `anvil_args` go to anvil as they are (e.g. "--prune-history 16").
    explicit DemoWorldFixture(const std::string& anvil_args = {});
    ~DemoWorldFixture();

    bool ready() const { return m_ready; }
    const std::string& error() const { return m_error; }

    protocols::eth::RpcClient& client() { return *m_client; }
    const std::string& url() const { return m_node->url(); }
    protocols::devnet::detail::World& world() { return *m_world; }
    const protocols::devnet::Manifest& manifest() const { return m_manifest; }
    /// The manifest as the adapters' registry (as `--registry manifest.json` reads it).
    protocols::positions::Registry registry() const;
    const protocols::devnet::detail::Actor& actor(std::string_view name) const;
    wallet::Address address_of(std::string_view name) const { return actor(name).account.address; }
    wallet::Address contract(const std::string& name) const { return m_manifest.contracts.at(name); }

    /// Sends as the named demo account and waits; a revert is an error
    /// whose message carries the decoded reason.
    protocols::Result<protocols::eth::Receipt> send(std::string_view who, const wallet::Address& to, const std::string& signature,
                                                    const std::string& args_json = "[]", wallet::U256 value = {});
    protocols::Result<nlohmann::json> read(const wallet::Address& to, const std::string& signature, const std::string& args_json,
                                           const std::string& output_types);
    /// read() of a single integer output.
    wallet::U256 read_u256(const wallet::Address& to, const std::string& signature, const std::string& args_json = "[]");

    /// The world's manifest written to `file`, for the CLI's --registry (false when it cannot be written).
    bool write_manifest(const std::filesystem::path& file) const;

    /// anvil's evm_snapshot / evm_revert, nestable: each test function starts from the seeded world.
    void snapshot();
    void revert();
    /// Moves the chain clock forward and mines a block.
    void advance(std::uint64_t seconds);
    std::uint64_t head_timestamp();

    wallet::U256 eth_balance(const wallet::Address& account);
    wallet::U256 weth_balance(const wallet::Address& account);
    /// What a receipt's transaction paid in gas.
    static wallet::U256 gas_cost(const protocols::eth::Receipt& receipt);

    /// The ABI of one of the project's contracts.
    const protocols::abi::ContractAbi& abi(const std::string& source, const std::string& name);
    /// The values of the first log of `event` in the receipt (emitted by
    /// `emitter` if given), as a JSON array; null when there is none.
    nlohmann::json event(const protocols::eth::Receipt& receipt, const protocols::abi::ContractAbi& abi, const std::string& event,
                         std::optional<wallet::Address> emitter = std::nullopt);

private:
    std::unique_ptr<AnvilNode> m_node;
    std::unique_ptr<protocols::eth::RpcClient> m_client;
    std::unique_ptr<protocols::devnet::detail::World> m_world;
    std::vector<protocols::devnet::detail::Actor> m_actors;
    protocols::devnet::Manifest m_manifest;
    std::string m_contracts_json;
    std::map<std::string, protocols::abi::ContractAbi> m_abis;
    std::filesystem::path m_dir;
    /// Nested snapshots: revert() undoes the latest.
    std::vector<std::string> m_snapshots;
    int m_reverts = 0;
    bool m_ready = false;
    std::string m_error;
};

/// "1.5" → 1.5e18.
wallet::U256 wad(const char* decimal);
std::string dec(const wallet::U256& value);

}  // namespace nftterm::tests
