#include "seeding.hpp"

#include <protocols/eth/abi/abi_value.hpp>
#include <protocols/eth/abi/abi_json.hpp>
#include <protocols/eth/tx/receipt_tracker.hpp>
#include <protocols/eth/tx/sender.hpp>
#include <wallet/keys/bip32.hpp>
#include <wallet/keys/bip39.hpp>
#include <wallet/keys/derivation_path.hpp>

#include <cstdio>
#include <cstdlib>

namespace nftterm::protocols::devnet::detail {

using wallet::Address;
using wallet::Bytes;
using wallet::U256;

namespace {

/// Who is who in the demo world (indexes into the dev mnemonic).
struct Role {
    const char* name;
    const char* role;
    std::uint32_t index;
};
constexpr Role kRoles[] = {
    {"deployer", "admin", 0}, {"alice", "trader", 1}, {"bob", "trader", 2},   {"carol", "trader", 3},
    {"lender-1", "lender", 4}, {"lender-2", "lender", 5}, {"maker", "market-maker", 6}, {"flow", "flow-trader", 7},
    // The keeper is account 9, clear of the others.
    {"keeper", "keeper", 9},
};

}  // namespace

Result<std::vector<Actor>> demo_actors()
{
    auto seed = wallet::bip39::to_seed(kDevMnemonic, "");
    if (!seed) return std::unexpected(from_wallet(seed.error(), "the dev mnemonic"));
    auto master = wallet::ExtendedKey::from_seed(seed->view());
    if (!master) return std::unexpected(from_wallet(master.error(), "the dev mnemonic"));
    std::vector<Actor> actors;
    for (const auto& role : kRoles) {
        auto derived = master->derive(wallet::DerivationPath::bip44(role.index));
        if (!derived) return std::unexpected(from_wallet(derived.error(), "deriving a demo account"));
        Actor actor{{role.name, role.role, role.index, {}}, derived->private_key().clone(), nullptr};
        actor.account.address = wallet::address_of(wallet::public_key_of(actor.key));
        actor.signer = wallet::make_software_signer(actor.key.clone());
        actors.push_back(std::move(actor));
    }
    return actors;
}

const Actor& actor_named(const std::vector<Actor>& actors, std::string_view name)
{
    for (const auto& actor : actors)
        if (actor.account.name == name) return actor;
    std::fprintf(stderr, "nftterm bug: no demo actor named %.*s\n", static_cast<int>(name.size()), name.data());
    std::abort();
}

std::vector<const Actor*> actors_with_role(const std::vector<Actor>& actors, std::string_view role)
{
    std::vector<const Actor*> found;
    for (const auto& actor : actors)
        if (actor.account.role == role) found.push_back(&actor);
    return found;
}

Bytes calldata(const std::string& signature, const std::string& args_json)
{
    auto data = abi::encode_call(signature, args_json);
    if (!data) {
        std::fprintf(stderr, "nftterm bug: devnet calldata for %s: %s\n", signature.c_str(), data.error().message().c_str());
        std::abort();
    }
    return std::move(*data);
}

std::string q(const Address& address)
{
    return "\"" + address.to_hex() + "\"";
}

std::string q(const U256& value)
{
    return "\"" + value.to_dec() + "\"";
}

U256 ether(std::uint64_t value, std::uint64_t denominator)
{
    return *U256::mul_div(U256(value), *U256::parse_units("1", 18), U256(denominator));
}

World::World(eth::RpcClient& client, const std::filesystem::path& journal_path) : m_client(client), m_nonces(client)
{
    auto journal = eth::TxJournal::open(journal_path);
    if (journal) m_journal = std::move(*journal);
    else m_error = journal.error();
}

Result<eth::Receipt> World::send(const Actor& actor, std::optional<Address> to, Bytes data, U256 value)
{
    // The devnet's own deployments (a pair factory takes ~6 M gas) on the devnet's chain: a block's worth of gas.
    eth::SendPolicy policy;
    policy.chain_id = 31337;
    policy.ceiling.max_gas = 30'000'000;
    eth::Sender sender(m_client, *actor.signer, *m_journal, m_nonces, policy);
    eth::SendRequest request;
    request.to = to;
    request.data = std::move(data);
    request.value = value;
    request.label = "devnet";
    auto sent = sender.send(request);
    if (!sent) return std::unexpected(sent.error());
    eth::ReceiptTracker tracker(m_client, *m_journal);
    auto status = tracker.wait(sent->signed_tx.hash, {1, std::chrono::milliseconds(5), std::chrono::seconds(30), {}});
    if (!status) return std::unexpected(status.error());
    if (!status->receipt || !status->receipt->success)
        return fail(Errc::Revert, "devnet transaction " + sent->signed_tx.hash.to_hex() + " did not succeed: " + status->reason);
    return *status->receipt;
}

Result<eth::Receipt> World::call(const Actor& actor, const Address& to, const std::string& signature, const std::string& args_json,
                                 U256 value)
{
    auto receipt = send(actor, to, calldata(signature, args_json), value);
    if (!receipt) {
        Error error = receipt.error();
        error.context = signature.substr(0, signature.find('(')) + ": " + error.context;
        return std::unexpected(std::move(error));
    }
    return receipt;
}

Result<Address> World::deploy(const Actor& actor, const abi::CompiledContract& contract, const std::string& args_types,
                              const std::string& args_json)
{
    Bytes code = contract.bytecode;
    auto types = abi::parse_type_list(args_types);
    if (!types) return std::unexpected(types.error());
    auto values = abi::values_from_json(*types, args_json);
    if (!values) return std::unexpected(values.error());
    auto encoded = abi::encode(*types, *values);
    if (!encoded) return std::unexpected(encoded.error());
    code.insert(code.end(), encoded->begin(), encoded->end());
    auto receipt = send(actor, std::nullopt, std::move(code));
    if (!receipt) return std::unexpected(receipt.error());
    if (!receipt->contract_address) return fail(Errc::Decode, "a deployment without a contract address");
    return *receipt->contract_address;
}

Result<nlohmann::json> World::read(const Address& to, const std::string& signature, const std::string& args_json,
                                   const std::string& output_types)
{
    eth::CallRequest request;
    request.to = to;
    request.data = calldata(signature, args_json);
    auto output = eth::call(m_client, request, eth::BlockTag::latest());
    if (!output) return std::unexpected(output.error());
    auto types = abi::parse_type_list(output_types);
    if (!types) return std::unexpected(types.error());
    auto values = abi::decode(*types, *output);
    if (!values) return std::unexpected(values.error());
    return nlohmann::json::parse(abi::values_to_json(*types, *values));
}

}  // namespace nftterm::protocols::devnet::detail
