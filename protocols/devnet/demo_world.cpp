#include "demo_world.hpp"

#include <protocols/eth/abi/abi_json.hpp>
#include <protocols/eth/abi/contract_abi.hpp>
#include <protocols/eth/multicall.hpp>
#include <protocols/eth/rpc/eth_api.hpp>
#include <protocols/eth/tx/receipt_tracker.hpp>
#include <protocols/eth/tx/sender.hpp>
#include <protocols/nftfi/offer_signing.hpp>
#include <wallet/keys/bip32.hpp>
#include <wallet/keys/bip39.hpp>
#include <wallet/keys/derivation_path.hpp>
#include <wallet/messages/eip191.hpp>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <random>

namespace nftterm::protocols::devnet {
namespace {

using nlohmann::json;
using wallet::Address;
using wallet::Bytes;
using wallet::U256;

constexpr std::uint16_t kAdminFeeBps = 25;

/// Who is who in the demo world (indexes into the dev mnemonic).
const std::vector<std::pair<std::string, std::string>> kRoles = {
    {"deployer", "admin"}, {"alice", "trader"}, {"bob", "trader"}, {"carol", "trader"},
    {"lender-1", "lender"}, {"lender-2", "lender"}, {"keeper", "keeper"},
};

struct Actor {
    DemoAccount account;
    wallet::PrivateKey key;
    std::unique_ptr<wallet::Signer> signer;
};

/// Seeding calldata comes from fixed signatures and our own values: a
/// failure is a bug in this file, never input, so it stops the program.
Bytes calldata(const std::string& signature, const std::string& args_json)
{
    auto data = abi::encode_call(signature, args_json);
    if (!data) {
        std::fprintf(stderr, "nftterm bug: devnet seeding calldata for %s: %s\n", signature.c_str(), data.error().message().c_str());
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

/// Signs, sends and waits for each transaction of one world.
class World {
public:
    World(eth::RpcClient& client, const std::filesystem::path& journal_path) : m_client(client), m_nonces(client)
    {
        auto journal = eth::TxJournal::open(journal_path);
        if (journal) m_journal = std::move(*journal);
        else m_error = journal.error();
    }

    const std::optional<Error>& error() const { return m_error; }

    Result<eth::Receipt> send(const Actor& actor, std::optional<Address> to, Bytes data, U256 value = {})
    {
        eth::Sender sender(m_client, *actor.signer, *m_journal, m_nonces);
        eth::SendRequest request;
        request.to = to;
        request.data = std::move(data);
        request.value = value;
        request.label = "devnet seed";
        auto sent = sender.send(request);
        if (!sent) return std::unexpected(sent.error());
        eth::ReceiptTracker tracker(m_client, *m_journal);
        auto status = tracker.wait(sent->signed_tx.hash, {1, std::chrono::milliseconds(10), std::chrono::seconds(30), {}});
        if (!status) return std::unexpected(status.error());
        if (!status->receipt || !status->receipt->success)
            return fail(Errc::Revert, "seeding transaction " + sent->signed_tx.hash.to_hex() + " did not succeed: " + status->reason);
        return *status->receipt;
    }

    Result<Address> deploy(const Actor& actor, const abi::CompiledContract& contract, const std::string& args_types = "()",
                           const std::string& args_json = "[]")
    {
        Bytes code = contract.bytecode;
        auto types = abi::parse_type_list(args_types);
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

private:
    eth::RpcClient& m_client;
    eth::NonceManager m_nonces;
    std::unique_ptr<eth::TxJournal> m_journal;
    std::optional<Error> m_error;
};

Result<std::vector<Actor>> demo_actors()
{
    auto seed = wallet::bip39::to_seed(kDevMnemonic, "");
    if (!seed) return std::unexpected(from_wallet(seed.error(), "the dev mnemonic"));
    auto master = wallet::ExtendedKey::from_seed(seed->view());
    if (!master) return std::unexpected(from_wallet(master.error(), "the dev mnemonic"));
    std::vector<Actor> actors;
    for (std::uint32_t i = 0; i < kRoles.size(); ++i) {
        // The keeper is account 9, clear of the traders and lenders.
        const std::uint32_t index = kRoles[i].second == "keeper" ? 9 : i;
        auto derived = master->derive(wallet::DerivationPath::bip44(index));
        if (!derived) return std::unexpected(from_wallet(derived.error(), "deriving a demo account"));
        Actor actor{{kRoles[i].first, kRoles[i].second, index, {}}, derived->private_key().clone(), nullptr};
        actor.account.address = wallet::address_of(wallet::public_key_of(actor.key));
        actor.signer = wallet::make_software_signer(actor.key.clone());
        actors.push_back(std::move(actor));
    }
    return actors;
}

}  // namespace

std::string manifest_to_json(const Manifest& manifest)
{
    json out = {{"chain_id", manifest.chain_id}, {"rpc_url", manifest.rpc_url}, {"seed", manifest.seed}};
    out["contracts"] = json::object();
    for (const auto& [name, address] : manifest.contracts) out["contracts"][name] = address.to_hex();
    out["accounts"] = json::array();
    for (const auto& account : manifest.accounts)
        out["accounts"].push_back({{"name", account.name}, {"role", account.role}, {"address", account.address.to_hex()},
                                   {"derivation_path", "m/44'/60'/0'/0/" + std::to_string(account.index)}});
    out["loans"] = json::array();
    for (const auto& loan : manifest.loans)
        out["loans"].push_back({{"protocol", loan.protocol}, {"loan_id", loan.loan_id}, {"borrower", loan.borrower.to_hex()},
                                {"lender", loan.lender.to_hex()}, {"collection", loan.collection.to_hex()},
                                {"token_id", loan.token_id}, {"maturity", loan.maturity}});
    return out.dump(2);
}

Result<Manifest> manifest_from_json(const std::string& text)
{
    try {
        const json in = json::parse(text);
        Manifest manifest;
        manifest.chain_id = in.at("chain_id").get<std::uint64_t>();
        manifest.rpc_url = in.at("rpc_url").get<std::string>();
        manifest.seed = in.value("seed", std::uint64_t(0));
        for (const auto& [name, address] : in.at("contracts").items()) {
            auto parsed = Address::parse(address.get<std::string>());
            if (!parsed) return fail(Errc::Decode, "manifest: contract " + name + ": " + parsed.error().message());
            manifest.contracts[name] = *parsed;
        }
        for (const auto& account : in.at("accounts")) {
            auto parsed = Address::parse(account.at("address").get<std::string>());
            if (!parsed) return fail(Errc::Decode, "manifest: a bad account address");
            manifest.accounts.push_back({account.at("name").get<std::string>(), account.at("role").get<std::string>(), 0, *parsed});
        }
        return manifest;
    } catch (const json::exception& e) {
        return fail(Errc::Decode, std::string("the devnet manifest is not readable: ") + e.what());
    }
}

Result<Manifest> deploy_demo_world(eth::RpcClient& client, const std::string& contracts_json, std::uint64_t seed,
                                   const std::filesystem::path& journal)
{
    auto chain = client.chain_id();
    if (!chain) return std::unexpected(chain.error());
    auto actors = demo_actors();
    if (!actors) return std::unexpected(actors.error());
    auto& deployer = (*actors)[0];
    World world(client, journal);
    if (world.error()) return std::unexpected(*world.error());

    auto load = [&](const char* source, const char* name) { return abi::read_solc_output(contracts_json, source, name); };
    auto multicall = load("Multicall3.sol", "Multicall3");
    auto weth_code = load("WETH9.sol", "WETH9");
    auto usd_code = load("MockStablecoin.sol", "MockStablecoin");
    auto collection_code = load("DemoCollection.sol", "DemoCollection");
    auto loans_code = load("DirectLoanFixedOffer.sol", "DirectLoanFixedOffer");
    for (const auto* loaded : {&multicall, &weth_code, &usd_code, &collection_code, &loans_code})
        if (!*loaded) return std::unexpected(loaded->error());

    Manifest manifest;
    manifest.chain_id = *chain;
    manifest.seed = seed;
    for (const auto& actor : *actors) manifest.accounts.push_back(actor.account);

    // Multicall3 sits at its canonical address, as on mainnet.
    auto installed = client.call("anvil_setCode", "[\"" + eth::multicall3_address().to_hex() + "\",\"" + wallet::to_hex(multicall->deployed_bytecode) + "\"]");
    if (!installed) return std::unexpected(installed.error());
    manifest.contracts["Multicall3"] = eth::multicall3_address();

// One line per seeding step: the step's result, or the first failure returned.
#define NFTTERM_TRY(name, expression)             \
    auto name = (expression);                     \
    if (!name) return std::unexpected(name.error())

    NFTTERM_TRY(weth, world.deploy(deployer, *weth_code));
    NFTTERM_TRY(usd, world.deploy(deployer, *usd_code));
    manifest.contracts["WETH9"] = *weth;
    manifest.contracts["dUSD"] = *usd;
    const std::vector<std::tuple<std::string, std::string, std::string>> collections = {
        {"Devnet Apes", "DAPE", "ipfs://nftterm-devnet/apes/"},
        {"Pixel Punks", "PXPK", "ipfs://nftterm-devnet/punks/"},
        {"Moon Cats", "MCAT", "ipfs://nftterm-devnet/cats/"},
    };
    std::vector<Address> collection_addresses;
    for (const auto& [name, symbol, uri] : collections) {
        NFTTERM_TRY(address, world.deploy(deployer, *collection_code, "(string,string,string)",
                                          json::array({name, symbol, uri}).dump()));
        manifest.contracts[symbol] = *address;
        collection_addresses.push_back(*address);
    }
    NFTTERM_TRY(loans, world.deploy(deployer, *loans_code, "(address[])", "[[" + q(*weth) + "," + q(*usd) + "]]"));
    manifest.contracts["NFTfiDirectLoanFixedOffer"] = *loans;

    // Traders hold NFTs in every collection; lenders hold WETH and dUSD and let the loan contract pull them.
    std::mt19937_64 random(seed);
    const U256 ether = *U256::parse_units("1", 18);
    for (auto& actor : *actors) {
        if (actor.account.role == "trader") {
            for (std::size_t c = 0; c < collection_addresses.size(); ++c)
                for (std::uint64_t k = 0; k < 3; ++k) {
                    const std::uint64_t id = actor.account.index * 100 + k;
                    NFTTERM_TRY(minted, world.send(deployer, collection_addresses[c], calldata("mint(address,uint256)", "[" + q(actor.account.address) + ",\"" + std::to_string(id) + "\"]")));
                }
            for (const auto& collection : collection_addresses) {
                NFTTERM_TRY(approved, world.send(actor, collection, calldata("setApprovalForAll(address,bool)", "[" + q(*loans) + ",true]")));
            }
            NFTTERM_TRY(wrapped, world.send(actor, *weth, calldata("deposit()", "[]"), *U256::checked_mul(ether, U256(50))));
            NFTTERM_TRY(allowed, world.send(actor, *weth, calldata("approve(address,uint256)", "[" + q(*loans) + "," + q(U256::max()) + "]")));
        } else if (actor.account.role == "lender") {
            NFTTERM_TRY(wrapped, world.send(actor, *weth, calldata("deposit()", "[]"), *U256::checked_mul(ether, U256(500))));
            NFTTERM_TRY(allowed, world.send(actor, *weth, calldata("approve(address,uint256)", "[" + q(*loans) + "," + q(U256::max()) + "]")));
            NFTTERM_TRY(minted, world.send(deployer, *usd, calldata("mint(address,uint256)", "[" + q(actor.account.address) + ",\"1000000000000\"]")));
            NFTTERM_TRY(usd_allowed, world.send(actor, *usd, calldata("approve(address,uint256)", "[" + q(*loans) + "," + q(U256::max()) + "]")));
        }
    }

    // P2P loans with maturities from weeks to hours away, so healths spread from safe to urgent.
    const std::vector<std::uint32_t> durations = {30 * 86400, 7 * 86400, 2 * 86400, 6 * 3600};
    std::vector<const Actor*> lenders;
    for (const auto& actor : *actors)
        if (actor.account.role == "lender") lenders.push_back(&actor);
    std::uint64_t nonce = 1;
    for (const auto& actor : *actors) {
        if (actor.account.role != "trader") continue;
        for (std::size_t c = 0; c < collection_addresses.size(); ++c) {
            const Actor& lender = *lenders[random() % lenders.size()];
            nftfi::Offer offer;
            offer.principal = *U256::mul_div(ether, U256(1 + random() % 20), U256(1));
            offer.maximum_repayment = *U256::mul_div(offer.principal, U256(10200 + random() % 1300), U256(10000));
            offer.nft_id = U256(actor.account.index * 100);
            offer.nft_contract = collection_addresses[c];
            offer.duration_seconds = durations[random() % durations.size()];
            offer.admin_fee_bps = kAdminFeeBps;
            offer.currency = *weth;
            const U256 expiry(4000000000ULL);
            const auto message = nftfi::offer_message(offer, lender.account.address, U256(nonce), expiry, *loans, *chain);
            const auto signature = wallet::sign_digest(lender.key, wallet::personal_message_digest(message.view())).to_rsv();
            const std::string args = "[[" + q(offer.principal) + "," + q(offer.maximum_repayment) + "," + q(offer.nft_id) + "," + q(offer.nft_contract)
                                     + ",\"" + std::to_string(offer.duration_seconds) + "\",\"" + std::to_string(offer.admin_fee_bps) + "\","
                                     + q(offer.currency) + "," + q(Address()) + "],[\"" + std::to_string(nonce) + "\"," + q(expiry) + ","
                                     + q(lender.account.address) + ",\"" + wallet::to_hex(signature.view()) + "\"],[" + q(Address()) + ",\"0\"]]";
            ++nonce;
            NFTTERM_TRY(receipt, world.send(actor, *loans, calldata("acceptOffer((uint256,uint256,uint256,address,uint32,uint16,address,address),"
                                                                    "(uint256,uint256,address,bytes),(address,uint16))", args)));
            auto block = eth::get_block(client, eth::BlockTag::number(receipt->block_number));
            if (!block) return std::unexpected(block.error());
            const auto loan_id = receipt->logs.empty() || receipt->logs.back().topics.size() < 2
                                     ? 0
                                     : static_cast<std::uint32_t>(*U256::from_be(receipt->logs.back().topics[1].view())->to_u64());
            manifest.loans.push_back({"nftfi", loan_id, actor.account.address, lender.account.address, collection_addresses[c],
                                      actor.account.index * 100u, block->timestamp + offer.duration_seconds});
        }
    }
#undef NFTTERM_TRY
    return manifest;
}

}  // namespace nftterm::protocols::devnet
