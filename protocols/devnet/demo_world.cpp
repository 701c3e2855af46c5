#include "demo_world.hpp"

#include "seeding.hpp"

#include <protocols/eth/multicall.hpp>

#include <nlohmann/json.hpp>

namespace nftterm::protocols::devnet {
namespace {

using nlohmann::json;
using wallet::Address;
using wallet::U256;
using namespace detail;

struct CollectionSpec {
    const char* name;
    const char* symbol;
    const char* base_uri;
    /// Floor in ETH, hundredths.
    std::uint64_t floor_centi_eth;
    /// How the market moved after the positions were opened (percent of the floor).
    std::uint64_t moved_percent;
};
constexpr CollectionSpec kCollections[] = {
    {"Devnet Apes", "DAPE", "ipfs://nftterm-devnet/apes/", 3000, 95},
    {"Pixel Punks", "PXPK", "ipfs://nftterm-devnet/punks/", 6000, 97},
    {"Moon Cats", "MCAT", "ipfs://nftterm-devnet/cats/", 400, 102},
};

Address parse_address(const json& value, const std::string& what)
{
    auto parsed = Address::parse(value.get<std::string>());
    if (!parsed) throw std::runtime_error(what + ": " + parsed.error().message());
    return *parsed;
}

positions::Protocol parse_loan_protocol(const json& value)
{
    const auto parsed = positions::parse_protocol(value.get<std::string>());
    if (!parsed) throw std::runtime_error("manifest: a loan of unknown protocol " + value.dump());
    return *parsed;
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
        out["loans"].push_back({{"protocol", positions::to_string(loan.protocol)}, {"loan_id", loan.loan_id}, {"borrower", loan.borrower.to_hex()},
                                {"lender", loan.lender.to_hex()}, {"collection", loan.collection.to_hex()},
                                {"token_id", loan.token_id}, {"maturity", loan.maturity}});
    out["offers"] = json::array();
    for (const auto& offer : manifest.offers)
        out["offers"].push_back({{"lender", offer.lender.to_hex()}, {"borrower", offer.borrower.to_hex()},
                                 {"collection", offer.collection.to_hex()}, {"token_id", offer.token_id},
                                 {"principal", offer.principal.to_dec()}, {"maximum_repayment", offer.maximum_repayment.to_dec()},
                                 {"duration_seconds", offer.duration_seconds}, {"admin_fee_bps", offer.admin_fee_bps},
                                 {"currency", offer.currency.to_hex()}, {"nonce", offer.nonce.to_dec()}, {"expiry", offer.expiry.to_dec()},
                                 {"signature", offer.signature}});
    out["pairs"] = json::array();
    for (const auto& pair : manifest.pairs)
        out["pairs"].push_back({{"pair", pair.pair.to_hex()}, {"owner", pair.owner.to_hex()}, {"collection", pair.collection.to_hex()},
                                {"pool_type", pair.pool_type}, {"curve", pair.curve}});
    out["amms"] = json::object();
    for (const auto& [symbol, amm] : manifest.amms) out["amms"][symbol] = amm.to_hex();
    out["feeds"] = json::object();
    for (const auto& [symbol, feed] : manifest.feeds) out["feeds"][symbol] = feed.to_hex();
    out["perps"] = json::array();
    for (const auto& perp : manifest.perps)
        out["perps"].push_back({{"amm", perp.amm.to_hex()}, {"trader", perp.trader.to_hex()}, {"collection", perp.collection.to_hex()},
                                {"side", perp.side}});
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
        for (const auto& [name, address] : in.at("contracts").items())
            manifest.contracts[name] = parse_address(address, "manifest: contract " + name);
        for (const auto& account : in.at("accounts")) {
            const auto path = account.value("derivation_path", std::string());
            const auto slash = path.rfind('/');
            const std::uint32_t index = slash == std::string::npos ? 0 : static_cast<std::uint32_t>(std::stoul(path.substr(slash + 1)));
            manifest.accounts.push_back({account.at("name").get<std::string>(), account.at("role").get<std::string>(), index,
                                         parse_address(account.at("address"), "manifest: account")});
        }
        for (const auto& loan : in.value("loans", json::array()))
            manifest.loans.push_back({parse_loan_protocol(loan.at("protocol")), loan.at("loan_id").get<std::uint32_t>(),
                                      parse_address(loan.at("borrower"), "manifest: loan borrower"),
                                      parse_address(loan.at("lender"), "manifest: loan lender"),
                                      parse_address(loan.at("collection"), "manifest: loan collection"),
                                      loan.at("token_id").get<std::uint64_t>(), loan.at("maturity").get<std::uint64_t>()});
        auto number = [](const json& value, const char* what) {
            auto parsed = U256::from_dec(value.get<std::string>());
            if (!parsed) throw std::runtime_error(std::string("manifest: ") + what + ": " + parsed.error().message());
            return *parsed;
        };
        for (const auto& offer : in.value("offers", json::array()))
            manifest.offers.push_back({parse_address(offer.at("lender"), "manifest: offer lender"), parse_address(offer.at("borrower"), "manifest: offer borrower"),
                                       parse_address(offer.at("collection"), "manifest: offer collection"), offer.at("token_id").get<std::uint64_t>(),
                                       number(offer.at("principal"), "offer principal"), number(offer.at("maximum_repayment"), "offer repayment"),
                                       offer.at("duration_seconds").get<std::uint32_t>(), offer.at("admin_fee_bps").get<std::uint16_t>(),
                                       parse_address(offer.at("currency"), "manifest: offer currency"), number(offer.at("nonce"), "offer nonce"),
                                       number(offer.at("expiry"), "offer expiry"), offer.at("signature").get<std::string>()});
        for (const auto& pair : in.value("pairs", json::array()))
            manifest.pairs.push_back({parse_address(pair.at("pair"), "manifest: pair"), parse_address(pair.at("owner"), "manifest: pair owner"),
                                      parse_address(pair.at("collection"), "manifest: pair collection"),
                                      pair.at("pool_type").get<std::string>(), pair.at("curve").get<std::string>()});
        // A named copy: items() of a temporary would dangle.
        const json amms = in.value("amms", json::object());
        for (const auto& [symbol, amm] : amms.items())
            manifest.amms[symbol] = parse_address(amm, "manifest: amm " + symbol);
        const json feeds = in.value("feeds", json::object());
        for (const auto& [symbol, feed] : feeds.items())
            manifest.feeds[symbol] = parse_address(feed, "manifest: feed " + symbol);
        for (const auto& perp : in.value("perps", json::array()))
            manifest.perps.push_back({parse_address(perp.at("amm"), "manifest: perp amm"), parse_address(perp.at("trader"), "manifest: perp trader"),
                                      parse_address(perp.at("collection"), "manifest: perp collection"), perp.at("side").get<std::string>()});
        return manifest;
    } catch (const std::exception& e) {
        return fail(Errc::Decode, std::string("the devnet manifest is not readable: ") + e.what());
    }
}

std::optional<double> demo_seed_floor(std::string_view symbol)
{
    for (const auto& spec : kCollections)
        if (symbol == spec.symbol) return static_cast<double>(spec.floor_centi_eth) / 100.0;
    return std::nullopt;
}

Result<Manifest> deploy_demo_world(eth::RpcClient& client, const std::string& contracts_json, std::uint64_t seed,
                                   const std::filesystem::path& journal)
{
    auto chain = client.chain_id();
    if (!chain) return std::unexpected(chain.error());
    auto actors = demo_actors();
    if (!actors) return std::unexpected(actors.error());
    const auto& deployer = actor_named(*actors, "deployer");
    World world(client, journal);
    if (world.error()) return std::unexpected(*world.error());

    Manifest manifest;
    manifest.chain_id = *chain;
    manifest.seed = seed;
    for (const auto& actor : *actors) manifest.accounts.push_back(actor.account);
    std::mt19937_64 random(seed);
    SeedContext context{world, *actors, contracts_json, manifest, random, *chain, {}, {}, {}};

    // Multicall3 sits at its canonical address, as on mainnet.
    NFTTERM_SEED_TRY(multicall, context.contract("Multicall3.sol", "Multicall3"));
    auto installed = client.call("anvil_setCode", "[\"" + eth::multicall3_address().to_hex() + "\",\"" + wallet::to_hex(multicall->deployed_bytecode) + "\"]");
    if (!installed) return std::unexpected(installed.error());
    manifest.contracts["Multicall3"] = eth::multicall3_address();

    NFTTERM_SEED_TRY(weth_code, context.contract("WETH9.sol", "WETH9"));
    NFTTERM_SEED_TRY(usd_code, context.contract("MockStablecoin.sol", "MockStablecoin"));
    NFTTERM_SEED_TRY(collection_code, context.contract("DemoCollection.sol", "DemoCollection"));
    NFTTERM_SEED_TRY(oracle_code, context.contract("NFTOracle.sol", "NFTOracle"));
    NFTTERM_SEED_TRY(feed_code, context.contract("FloorPriceFeed.sol", "FloorPriceFeed"));
    NFTTERM_SEED_TRY(weth, world.deploy(deployer, *weth_code));
    NFTTERM_SEED_TRY(usd, world.deploy(deployer, *usd_code));
    NFTTERM_SEED_TRY(oracle, world.deploy(deployer, *oracle_code));
    manifest.contracts["WETH9"] = *weth;
    manifest.contracts["dUSD"] = *usd;
    manifest.contracts["NFTOracle"] = *oracle;
    context.weth = *weth;
    context.nft_oracle = *oracle;
    for (const auto& spec : kCollections) {
        NFTTERM_SEED_TRY(address, world.deploy(deployer, *collection_code, "(string,string,string)",
                                               json::array({spec.name, spec.symbol, spec.base_uri}).dump()));
        manifest.contracts[spec.symbol] = *address;
        const U256 floor = ether(spec.floor_centi_eth, 100);
        context.collections.push_back({spec.symbol, *address, floor});
        // BendDAO's oracle prices only the collections its owner listed.
        NFTTERM_SEED_TRY(listed, world.call(deployer, *oracle, "addAsset(address)", "[" + q(*address) + "]"));
        NFTTERM_SEED_TRY(priced, world.call(deployer, *oracle, "setAssetData(address,uint256)", "[" + q(*address) + "," + q(floor) + "]"));
        // A Chainlink-style floor feed beside the push oracle, 18 decimals like Chainlink's NFT floor feeds in ETH.
        NFTTERM_SEED_TRY(feed, world.deploy(deployer, *feed_code, "(uint8,string)",
                                            json::array({18, std::string(spec.symbol) + " / ETH floor"}).dump()));
        NFTTERM_SEED_TRY(reported, world.call(deployer, *feed, "submit(int256)", "[" + q(floor) + "]"));
        manifest.feeds[spec.symbol] = *feed;
    }

    // NFTs for traders (four per collection) and the market maker; WETH for everyone who trades or lends.
    for (const auto& actor : *actors) {
        const auto& role = actor.account.role;
        std::vector<std::uint64_t> ids;
        if (role == "trader")
            ids = {actor.account.index * 100, actor.account.index * 100 + 1, actor.account.index * 100 + 2, actor.account.index * 100 + 3};
        if (role == "market-maker")
            for (std::uint64_t i = 0; i < kMakerNftsPerCollection; ++i) ids.push_back(kMakerFirstId + i);
        for (const auto& collection : context.collections)
            for (auto id : ids) {
                NFTTERM_SEED_TRY(minted, world.call(deployer, collection.address, "mint(address,uint256)",
                                                    "[" + q(actor.account.address) + ",\"" + std::to_string(id) + "\"]"));
            }
        const std::uint64_t wrap = role == "trader" ? 300 : role == "lender" ? 1000 : role == "market-maker" ? 2000 : 0;
        if (wrap > 0) {
            NFTTERM_SEED_TRY(wrapped, world.call(actor, *weth, "deposit()", "[]", ether(wrap)));
        }
        if (role == "lender") {
            NFTTERM_SEED_TRY(minted, world.call(deployer, *usd, "mint(address,uint256)", "[" + q(actor.account.address) + ",\"1000000000000\"]"));
        }
    }

    for (auto* family : {&seed_nftfi, &seed_bend, &seed_sudoswap, &seed_perp}) {
        NFTTERM_SEED_TRY(seeded, family(context));
    }

    // The market moved after the positions were opened: healths start spread out.
    for (std::size_t c = 0; c < context.collections.size(); ++c) {
        const auto& collection = context.collections[c];
        const U256 moved = *U256::mul_div(collection.price, U256(kCollections[c].moved_percent), U256(100));
        NFTTERM_SEED_TRY(priced, world.call(deployer, *oracle, "setAssetData(address,uint256)", "[" + q(collection.address) + "," + q(moved) + "]"));
        NFTTERM_SEED_TRY(reported, world.call(deployer, manifest.feeds.at(collection.symbol), "submit(int256)", "[" + q(moved) + "]"));
    }
    return manifest;
}

}  // namespace nftterm::protocols::devnet
