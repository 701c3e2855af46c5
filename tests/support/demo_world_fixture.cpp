#include "demo_world_fixture.hpp"

#include "rpc_options.hpp"

#include <protocols/eth/abi/abi_json.hpp>
#include <protocols/eth/rpc/eth_api.hpp>

#include <unistd.h>

#include <atomic>
#include <fstream>
#include <sstream>

namespace nftterm::tests {

using namespace nftterm::protocols;
using nlohmann::json;
using wallet::Address;
using wallet::U256;

DemoWorldFixture::DemoWorldFixture(const std::string& anvil_args)
{
    // One folder per fixture: a test may run two worlds side by side.
    static std::atomic<int> worlds{0};
    m_dir = std::filesystem::temp_directory_path() / ("nftterm-demo-world-" + std::to_string(::getpid()) + "-" + std::to_string(worlds++));
    std::filesystem::create_directories(m_dir);
    std::ifstream in(std::string(NFTTERM_CONTRACTS_DIR) + "/nftterm_contracts.json");
    std::stringstream text;
    text << in.rdbuf();
    m_contracts_json = text.str();
    m_node = std::make_unique<AnvilNode>(anvil_args);
    if (!m_node->running()) {
        m_error = m_node->error();
        return;
    }
    m_client = std::make_unique<eth::RpcClient>(options_for(m_node->url()));
    auto manifest = devnet::deploy_demo_world(*m_client, m_contracts_json, 7, m_dir / "seed.jsonl");
    if (!manifest) {
        m_error = "seeding the demo world: " + manifest.error().message();
        return;
    }
    m_manifest = std::move(*manifest);
    auto actors = devnet::detail::demo_actors();
    if (!actors) {
        m_error = actors.error().message();
        return;
    }
    m_actors = std::move(*actors);
    m_world = std::make_unique<devnet::detail::World>(*m_client, m_dir / "tests.jsonl");
    m_ready = !m_world->error();
}

DemoWorldFixture::~DemoWorldFixture()
{
    std::error_code ignored;
    std::filesystem::remove_all(m_dir, ignored);
}

const devnet::detail::Actor& DemoWorldFixture::actor(std::string_view name) const
{
    return devnet::detail::actor_named(m_actors, name);
}

Result<eth::Receipt> DemoWorldFixture::send(std::string_view who, const Address& to, const std::string& signature,
                                            const std::string& args_json, U256 value)
{
    return m_world->call(actor(who), to, signature, args_json, value);
}

Result<json> DemoWorldFixture::read(const Address& to, const std::string& signature, const std::string& args_json,
                                    const std::string& output_types)
{
    return m_world->read(to, signature, args_json, output_types);
}

U256 DemoWorldFixture::read_u256(const Address& to, const std::string& signature, const std::string& args_json)
{
    auto values = read(to, signature, args_json, "(uint256)");
    if (!values) return U256::max();
    return *U256::from_dec((*values)[0].get<std::string>());
}

bool DemoWorldFixture::write_manifest(const std::filesystem::path& file) const
{
    std::ofstream out(file);
    out << protocols::devnet::manifest_to_json(m_manifest);
    return static_cast<bool>(out);
}

void DemoWorldFixture::snapshot()
{
    auto id = m_client->call("evm_snapshot", "[]");
    m_snapshots.push_back(id ? json::parse(*id).get<std::string>() : std::string());
}

void DemoWorldFixture::revert()
{
    if (m_snapshots.empty()) return;
    const std::string id = m_snapshots.back();
    m_snapshots.pop_back();
    if (id.empty()) return;
    (void)m_client->call("evm_revert", "[\"" + id + "\"]");
    // The chain forgot the test's transactions: a fresh nonce manager and journal forget them too.
    m_world = std::make_unique<devnet::detail::World>(*m_client, m_dir / ("tests-" + std::to_string(++m_reverts) + ".jsonl"));
}

void DemoWorldFixture::advance(std::uint64_t seconds)
{
    (void)m_client->call("evm_increaseTime", "[" + std::to_string(seconds) + "]");
    (void)m_client->call("evm_mine", "[]");
}

std::uint64_t DemoWorldFixture::head_timestamp()
{
    auto block = eth::get_block(*m_client, eth::BlockTag::latest());
    return block ? block->timestamp : 0;
}

U256 DemoWorldFixture::eth_balance(const Address& account)
{
    auto balance = eth::get_balance(*m_client, account, eth::BlockTag::latest());
    return balance ? *balance : U256::max();
}

U256 DemoWorldFixture::weth_balance(const Address& account)
{
    return read_u256(contract("WETH9"), "balanceOf(address)", "[\"" + account.to_hex() + "\"]");
}

U256 DemoWorldFixture::gas_cost(const eth::Receipt& receipt)
{
    return U256(receipt.gas_used) * receipt.effective_gas_price;
}

const abi::ContractAbi& DemoWorldFixture::abi(const std::string& source, const std::string& name)
{
    auto found = m_abis.find(name);
    if (found == m_abis.end()) {
        auto compiled = abi::read_solc_output(m_contracts_json, source, name);
        found = m_abis.emplace(name, compiled ? compiled->abi : abi::ContractAbi()).first;
    }
    return found->second;
}

json DemoWorldFixture::event(const eth::Receipt& receipt, const abi::ContractAbi& abi, const std::string& name,
                             std::optional<Address> emitter)
{
    const auto* event = abi.event(name);
    if (!event) return nullptr;
    for (const auto& log : receipt.logs) {
        if (log.topics.empty() || log.topics[0] != event->topic() || (emitter && log.address != *emitter)) continue;
        auto values = abi::decode_log(*event, log.topics, log.data);
        if (!values) return nullptr;
        std::vector<abi::Type> types;
        for (const auto& input : event->inputs) types.push_back(input.type);
        return json::parse(abi::values_to_json(types, *values));
    }
    return nullptr;
}

U256 wad(const char* decimal)
{
    return *U256::parse_units(decimal, 18);
}

std::string dec(const U256& value)
{
    return "\"" + value.to_dec() + "\"";
}

protocols::positions::Registry DemoWorldFixture::registry() const
{
    // The fixture's own manifest: a registry that does not parse is a bug of the seeder, worth a loud stop.
    return protocols::positions::registry_from_json(protocols::devnet::manifest_to_json(m_manifest)).value();
}

}  // namespace nftterm::tests
