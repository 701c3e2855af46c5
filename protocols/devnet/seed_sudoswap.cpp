#include "seeding.hpp"

#include <set>

namespace nftterm::protocols::devnet::detail {

using wallet::Address;
using wallet::U256;

namespace {

constexpr const char* kCreatePair = "createPairETH(address,address,address,uint8,uint128,uint96,uint128,uint256[])";
enum PoolType : int { Token = 0, Nft = 1, Trade = 2 };
const char* const kPoolTypeNames[] = {"TOKEN", "NFT", "TRADE"};

struct PairSpec {
    const Actor* owner;
    const Collection* collection;
    PoolType type;
    std::string curve;
    U256 spot_price;
    U256 delta;
    U256 fee;
    U256 eth;
    std::vector<std::uint64_t> ids;
    /// TOKEN/NFT pools: where the proceeds go (the owner).
    bool owner_receives = false;
};

U256 percent_of(const U256& value, std::uint64_t percent)
{
    return *U256::mul_div(value, U256(percent), U256(100));
}

std::vector<std::uint64_t> maker_ids(std::uint64_t first, std::uint64_t count)
{
    std::vector<std::uint64_t> ids;
    for (std::uint64_t i = 0; i < count; ++i) ids.push_back(kMakerFirstId + first + i);
    return ids;
}

}  // namespace

/// The factory (0.5 % protocol fee), the three curves, the market maker's
/// pools on both sides of every collection, and one TRADE pool per trader
/// and collection (the traders' LP positions).
Result<void> seed_sudoswap(SeedContext& context)
{
    auto& world = context.world;
    const auto& deployer = actor_named(context.actors, "deployer");
    const auto& maker = actor_named(context.actors, "maker");
    NFTTERM_SEED_TRY(factory_code, context.contract("LSSVMPairFactory.sol", "LSSVMPairFactory"));
    std::map<std::string, Address> curves;
    for (const auto& [name, contract] : {std::pair{"linear", "LinearCurve"}, {"exponential", "ExponentialCurve"}, {"xyk", "XykCurve"}}) {
        NFTTERM_SEED_TRY(code, context.contract((std::string(contract) + ".sol").c_str(), contract));
        NFTTERM_SEED_TRY(address, world.deploy(deployer, *code));
        curves[name] = *address;
        context.manifest.contracts[std::string("Sudo") + contract] = *address;
    }
    NFTTERM_SEED_TRY(factory, world.deploy(deployer, *factory_code, "(address,uint256)",
                                           "[" + q(deployer.account.address) + "," + q(ether(5, 1000)) + "]"));
    context.manifest.contracts["SudoPairFactory"] = *factory;
    for (const auto& [name, curve] : curves) {
        NFTTERM_SEED_TRY(allowed, world.call(deployer, *factory, "setBondingCurveAllowed(address,bool)", "[" + q(curve) + ",true]"));
    }

    std::vector<PairSpec> specs;
    for (const auto& collection : context.collections) {
        const U256& p = collection.price;
        // Market maker: a fee-earning TRADE pool near the floor, a TOKEN pool
        // bidding below it, an XYK TRADE pool, and an NFT pool asking above it.
        specs.push_back({&maker, &collection, Trade, "linear", percent_of(p, 97), percent_of(p, 1), ether(1, 100), percent_of(p, 400), maker_ids(0, 4)});
        specs.push_back({&maker, &collection, Token, "exponential", percent_of(p, 92), ether(105, 100), {}, percent_of(p, 300), {}, true});
        specs.push_back({&maker, &collection, Trade, "xyk", percent_of(p, 400), U256(4), ether(5, 1000), percent_of(p, 400), maker_ids(4, 4)});
        specs.push_back({&maker, &collection, Nft, "linear", percent_of(p, 102), percent_of(p, 2), {}, {}, maker_ids(8, 4), true});
        for (const Actor* trader : actors_with_role(context.actors, "trader"))
            specs.push_back({trader, &collection, Trade, "linear", percent_of(p, 96), percent_of(p, 1), ether(2, 100), p,
                             {trader->account.index * 100 + 2}});
    }
    std::set<std::pair<const Actor*, Address>> approved;
    for (const auto& spec : specs) {
        if (approved.insert({spec.owner, spec.collection->address}).second) {
            NFTTERM_SEED_TRY(approval, world.call(*spec.owner, spec.collection->address, "setApprovalForAll(address,bool)",
                                                  "[" + q(*factory) + ",true]"));
        }
        std::string ids = "[";
        for (auto id : spec.ids) ids += (ids.size() > 1 ? ",\"" : "\"") + std::to_string(id) + "\"";
        ids += "]";
        const Address recipient = spec.owner_receives ? spec.owner->account.address : Address();
        NFTTERM_SEED_TRY(receipt, world.call(*spec.owner, *factory, kCreatePair,
                                             "[" + q(spec.collection->address) + "," + q(curves.at(spec.curve)) + "," + q(recipient)
                                                 + ",\"" + std::to_string(spec.type) + "\"," + q(spec.delta) + "," + q(spec.fee) + ","
                                                 + q(spec.spot_price) + "," + ids + "]",
                                             spec.eth));
        // NewPair(address) is the factory's last log; the pair is its data.
        const auto& logs = receipt->logs;
        if (logs.empty() || logs.back().data.size() != 32) return fail(Errc::Decode, "createPairETH: no NewPair event");
        const auto pair = Address(*wallet::FixedBytes<20>::from_view(wallet::ByteView(logs.back().data).subspan(12)));
        context.manifest.pairs.push_back({pair, spec.owner->account.address, spec.collection->address, kPoolTypeNames[spec.type], spec.curve});
    }
    return {};
}

}  // namespace nftterm::protocols::devnet::detail
