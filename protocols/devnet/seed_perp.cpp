#include "seeding.hpp"

namespace nftterm::protocols::devnet::detail {

using wallet::U256;

namespace {

/// Funding every 10 minutes so that a devnet session sees it (Perp v1: 1 h).
constexpr std::uint64_t kFundingPeriodSeconds = 600;

/// A price-feed key as Perp v1 writes them: the name's ASCII, right-padded to 32 bytes ("DAPE" → 0x44415045…00).
std::string perp_feed_key(const std::string& name)
{
    wallet::Bytes key(32, 0);
    std::copy_n(name.begin(), std::min<std::size_t>(name.size(), 32), key.begin());
    return wallet::to_hex(key);
}
/// Virtual base reserve of each Amm: 1,000 NFTs' worth of depth.
constexpr std::uint64_t kBaseReserve = 1000;

const char* const kLeverages[] = {"2", "4", "6", "8", "9.5"};

}  // namespace

/// The clearing house (IMR 10 %, MMR 6.25 %, liquidation fee 2.5 %), an
/// Amm per collection priced at the oracle floor with a 0.1 % spread, an
/// insurance fund, and each trader's position per collection with leverage
/// from 2× to 9.5× and a random side.
Result<void> seed_perp(SeedContext& context)
{
    auto& world = context.world;
    const auto& deployer = actor_named(context.actors, "deployer");
    NFTTERM_SEED_TRY(house_code, context.contract("ClearingHouse.sol", "ClearingHouse"));
    NFTTERM_SEED_TRY(amm_code, context.contract("Amm.sol", "Amm"));
    NFTTERM_SEED_TRY(feed_code, context.contract("PerpPriceFeed.sol", "PerpPriceFeed"));
    // Perp v1 keys its index feeds by a bytes32 name ("ETH"): each collection's symbol here.
    NFTTERM_SEED_TRY(feed, world.deploy(deployer, *feed_code, "(address)", "[" + q(context.nft_oracle) + "]"));
    context.manifest.contracts["PerpPriceFeed"] = *feed;
    NFTTERM_SEED_TRY(house, world.deploy(deployer, *house_code, "(uint256,uint256,uint256)",
                                         "[" + q(ether(1, 10)) + "," + q(ether(625, 10000)) + "," + q(ether(25, 1000)) + "]"));
    context.manifest.contracts["PerpClearingHouse"] = *house;
    for (const auto& collection : context.collections) {
        const U256 quote_reserve = *U256::checked_mul(collection.price, U256(kBaseReserve));
        const std::string key = perp_feed_key(collection.symbol);
        NFTTERM_SEED_TRY(keyed, world.call(deployer, *feed, "addAggregator(bytes32,address)", "[\"" + key + "\"," + q(collection.address) + "]"));
        NFTTERM_SEED_TRY(amm, world.deploy(deployer, *amm_code, "(uint256,uint256,uint256,address,bytes32,address,uint256,uint256)",
                                           "[" + q(quote_reserve) + "," + q(ether(kBaseReserve)) + ",\"" + std::to_string(kFundingPeriodSeconds)
                                               + "\"," + q(*feed) + ",\"" + key + "\"," + q(context.weth)
                                               + ",\"0\"," + q(ether(1, 1000)) + "]"));
        NFTTERM_SEED_TRY(counterparty, world.call(deployer, *amm, "setCounterParty(address)", "[" + q(*house) + "]"));
        NFTTERM_SEED_TRY(added, world.call(deployer, *house, "addAmm(address)", "[" + q(*amm) + "]"));
        context.manifest.amms[collection.symbol] = *amm;
        context.manifest.contracts["PerpAmm" + collection.symbol] = *amm;
    }
    const auto& first_amm = context.manifest.amms.at(context.collections.front().symbol);
    NFTTERM_SEED_TRY(fund_wrapped, world.call(deployer, context.weth, "deposit()", "[]", ether(100)));
    NFTTERM_SEED_TRY(fund_allowed, world.call(deployer, context.weth, "approve(address,uint256)", "[" + q(*house) + "," + q(U256::max()) + "]"));
    NFTTERM_SEED_TRY(funded, world.call(deployer, *house, "depositToInsuranceFund(address,uint256)", "[" + q(first_amm) + "," + q(ether(100)) + "]"));

    for (const auto& name : {"maker", "alice", "bob", "carol"}) {
        const Actor& actor = actor_named(context.actors, name);
        NFTTERM_SEED_TRY(allowed, world.call(actor, context.weth, "approve(address,uint256)", "[" + q(*house) + "," + q(U256::max()) + "]"));
    }
    for (const Actor* trader : actors_with_role(context.actors, "trader")) {
        for (const auto& collection : context.collections) {
            const auto& amm = context.manifest.amms.at(collection.symbol);
            const bool long_side = context.random() % 2 == 0;
            const char* leverage = kLeverages[context.random() % std::size(kLeverages)];
            // Margin: 5–20 % of one NFT's floor.
            const U256 margin = *U256::mul_div(collection.price, U256(5 + context.random() % 16), U256(100));
            NFTTERM_SEED_TRY(opened, world.call(*trader, *house, "openPosition(address,uint8,(uint256),(uint256),(uint256))",
                                                "[" + q(amm) + ",\"" + (long_side ? "0" : "1") + "\",[" + q(margin) + "],[" + q(*U256::parse_units(leverage, 18))
                                                    + "],[\"0\"]]"));
            context.manifest.perps.push_back({amm, trader->account.address, collection.address, long_side ? "long" : "short"});
        }
    }
    return {};
}

}  // namespace nftterm::protocols::devnet::detail
