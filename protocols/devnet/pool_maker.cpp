#include "simulator_state.hpp"

#include <protocols/eth/rpc/eth_api.hpp>

#include <cmath>

// The AMM market maker tends its pools as LPs do: re-prices each one back
// to its place around the floor once the floor has moved away from it
// (changeSpotPrice), restocks NFTs into pools that sold out and ETH into
// pools that bought too much. Arbitrage alone only trims quotes that cross
// the floor: without this a pool bought empty or a bid left far under the
// floor would stay there, and spreads would widen for good.

namespace nftterm::protocols::devnet {

using wallet::Address;
using wallet::U256;
using namespace detail;
using namespace simulator;

namespace {

/// Where each of the maker's pools quotes, as a share of the floor (the seeded layout).
double spot_share(const SeededPair& pair)
{
    if (pair.pool_type == "TOKEN") return 0.92;
    if (pair.pool_type == "NFT") return 1.02;
    return pair.curve == "xyk" ? 1.0 : 0.97;
}

/// Re-price once the pool's price is this far from its place.
constexpr double kRepriceTolerance = 0.04;
constexpr std::uint64_t kRestockNfts = 2;

}  // namespace

void MarketSimulator::State::make_pools(StepReport& report)
{
    const Actor& maker = who("maker");
    const Address factory = contract("SudoPairFactory");
    keep_eth(report, maker, 3000, 10000);
    for (const auto& pair : manifest.pairs) {
        if (pair.owner != maker.account.address) continue;
        const std::size_t c = collection_index(pair.collection);
        if (c >= collections.size()) continue;
        const double floor = paths[c].price();
        auto spot = world.read(pair.pair, "spotPrice()", "[]", "(uint128)");
        auto delta = world.read(pair.pair, "delta()", "[]", "(uint128)");
        if (!spot || !delta) continue;
        const bool xyk = pair.curve == "xyk";
        // An XYK pool's spot is its token reserve and its delta the NFT count: its price is their ratio.
        const double count = xyk ? static_cast<double>(u((*delta)[0]).to_u64().value_or(1)) : 1.0;
        const double price = to_eth(u((*spot)[0])) / std::max(count, 1.0);
        const double target = floor * spot_share(pair);
        if (std::abs(price / target - 1.0) > kRepriceTolerance) {
            auto repriced = world.call(maker, pair.pair, "changeSpotPrice(uint128)", "[" + q(from_eth(target * std::max(count, 1.0))) + "]");
            attempt(report, "reprice " + collections[c].first, repriced);
            if (repriced) ++report.pool_repricings;
        }
        if (pair.pool_type != "TOKEN" && !xyk) {
            auto held = world.read(pair.collection, "balanceOf(address)", "[" + q(pair.pair) + "]", "(uint256)");
            if (held && u((*held)[0]) < U256(kRestockNfts)) {
                std::string ids = "[";
                for (std::uint64_t i = 0; i < kRestockNfts; ++i) {
                    auto id = mint(report, c, maker);
                    if (!id) break;
                    ids += (ids.size() > 1 ? "," : "") + str(*id);
                }
                ids += "]";
                approve_nfts(report, maker, pair.collection, factory);
                attempt(report, "restock " + collections[c].first,
                        world.call(maker, factory, "depositNFTs(address,uint256[],address)", "[" + q(pair.collection) + "," + ids + "," + q(pair.pair) + "]"));
            }
        }
        if (pair.pool_type != "NFT") {
            auto cash = eth::get_balance(world.client(), pair.pair, eth::BlockTag::latest());
            if (cash && to_eth(*cash) < 2.0 * floor)
                attempt(report, "fund " + collections[c].first, world.send(maker, pair.pair, {}, from_eth(4.0 * floor)));
        }
    }
}

}  // namespace nftterm::protocols::devnet
