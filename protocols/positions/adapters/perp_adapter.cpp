#include "../adapter.hpp"
#include "../fixed_point.hpp"
#include "../read_helpers.hpp"
#include "../perp_math.hpp"

#include <protocols/eth/rpc/eth_api.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace nftterm::protocols::positions {
namespace {

using namespace detail;
using wallet::Address;
using wallet::U256;

constexpr const char* kPositionChanged =
    "PositionChanged(address,address,uint256,uint256,int256,uint256,int256,int256,int256,uint256,uint256,uint256,int256)";
constexpr const char* kPositionTypes = "(((int256),(uint256),(uint256),(int256),uint256,uint256))";

/// Perpetual Protocol v1 positions (not nftperp's: its 2022 ClearingHouse has
/// another ABI, a 5-field getPosition and no maintenanceMarginRatio()). The margin ratio is
/// recomputed as ClearingHouse.getMarginRatio does: remaining margin after
/// funding owed and the larger of the spot and 15-minute-TWAP PnL, over the
/// matching notional.
class PerpAdapter final : public Adapter {
public:
    PerpAdapter(Address house, std::map<std::string, Address> collections) : m_house(house), m_collections(std::move(collections)) {}

    Protocol protocol() const override { return Protocol::Perp; }

    Result<std::vector<PositionKey>> discover(eth::RpcClient& client, const std::vector<Address>& accounts, std::uint64_t from_block,
                                              std::uint64_t to_block) const override
    {
        // PositionChanged(trader indexed, amm indexed, …).
        auto logs = event_logs(client, m_house, kPositionChanged, 1, accounts, from_block, to_block);
        if (!logs) return std::unexpected(logs.error());
        std::vector<PositionKey> keys;
        std::set<std::pair<Address, Address>> seen;
        for (const auto& log : *logs) {
            if (log.topics.size() < 3) continue;  // the Amm is the second indexed argument
            const Address trader = address_of_topic(log.topics[1]), amm = address_of_topic(log.topics[2]);
            if (seen.insert({trader, amm}).second) keys.push_back({Protocol::Perp, trader, m_house, amm, {}, 0, {}});
        }
        return keys;
    }

    PositionDecoder plan(const std::vector<PositionKey>& keys, ReadPlan& reads) const override
    {
        Slots slots;
        slots.maintenance = reads.add(m_house, "maintenanceMarginRatio()");
        for (const auto& key : keys) {
            if (slots.markets.contains(key.market)) continue;
            const Address amm = key.market;
            slots.markets[amm] = {reads.add(m_house, "getLatestCumulativePremiumFraction(address)", {value(amm)}),
                                  reads.add(amm, "getUnderlyingPrice()"),
                                  reads.add(amm, "getSpotPrice()"),
                                  reads.add(amm, "fundingRate()"),
                                  reads.add(amm, "fundingPeriod()"),
                                  reads.add(amm, "quoteAsset()"),
                                  reads.add(amm, "priceFeedKey()")};
        }
        for (const auto& key : keys)
            slots.positions.push_back(
                {reads.add(m_house, "getPosition(address,address)", {value(key.market), value(key.account)}),
                 reads.add(m_house, "getPositionNotionalAndUnrealizedPnl(address,address,uint8)", {value(key.market), value(key.account), value(kPnlSpot)}),
                 reads.add(m_house, "getPositionNotionalAndUnrealizedPnl(address,address,uint8)", {value(key.market), value(key.account), value(kPnlTwap)})});
        // The decoder may outlive the adapter (a plan is kept and run later): it holds what it needs by value.
        return [keys, slots = std::move(slots), collections = m_collections](const ReadResults& results, const eth::BlockHeader& block) {
            return decode(keys, slots, results, block, collections);
        };
    }

private:
    struct MarketSlots {
        ReadSlot cumulative, index, mark, rate, period, quote, collection;
    };
    struct PositionSlots {
        ReadSlot stored, spot, twap;
    };
    struct Slots {
        ReadSlot maintenance;
        std::map<Address, MarketSlots> markets;
        std::vector<PositionSlots> positions;
    };
    using Outputs = Result<std::vector<abi::Value>>;

    static std::vector<Position> decode(const std::vector<PositionKey>& keys, const Slots& slots, const ReadResults& results, const eth::BlockHeader& block,
                                        const std::map<std::string, Address>& collections)
    {
        const auto mmr = results.get(slots.maintenance, "(uint256)");
        struct Market {
            Outputs cumulative, index, mark, rate, period, quote, collection;
        };
        std::map<Address, Market> markets;
        for (const auto& [amm, slot] : slots.markets)
            markets.emplace(amm, Market{results.get(slot.cumulative, "((int256))"), results.get(slot.index, "((uint256))"),
                                        results.get(slot.mark, "((uint256))"), results.get(slot.rate, "(int256)"),
                                        results.get(slot.period, "(uint256)"), results.get(slot.quote, "(address)"),
                                        results.get(slot.collection, "(bytes32)")});
        std::vector<Position> positions;
        for (std::size_t i = 0; i < keys.size(); ++i) {
            const auto& key = keys[i];
            const auto stored = results.get(slots.positions[i].stored, kPositionTypes);
            const auto spot = results.get(slots.positions[i].spot, "((uint256),(int256))");
            const auto twap = results.get(slots.positions[i].twap, "((uint256),(int256))");
            const Market& m = markets.at(key.market);
            Position position;
            position.key = key;
            position.price_source = "Amm index (NFTOracle)";
            position.price_block = block.number;
            if (auto why = first_failure(stored, spot, twap, mmr, m.cumulative, m.index, m.mark, m.rate, m.period, m.quote, m.collection); !why.empty()) {
                position.readable = false;
                position.unreadable_reason = std::move(why);
                positions.push_back(std::move(position));
                continue;
            }
            const auto& fields = list((*stored)[0]);
            const SignedWad size = signed_wad(list(fields[0])[0]);
            if (size.magnitude == U256(0)) continue;  // closed
            const U256 margin = u256(list(fields[1])[0]);
            const U256 open_notional = u256(list(fields[2])[0]);
            const SignedWad last_cumulative = signed_wad(list(fields[3])[0]);
            const SignedWad cumulative = signed_wad(list((*m.cumulative)[0])[0]);
            const SignedWad funding = fixed::mul_d(fixed::sub(cumulative, last_cumulative), size);

            // The larger PnL of spot and TWAP, with its own notional (getMarginRatio's MAX_PNL).
            const U256 spot_notional = u256(list((*spot)[0])[0]);
            const SignedWad spot_pnl = signed_wad(list((*spot)[1])[0]);
            const U256 twap_notional = u256(list((*twap)[0])[0]);
            const SignedWad twap_pnl = signed_wad(list((*twap)[1])[0]);
            const bool spot_wins = fixed::less(twap_pnl, spot_pnl);
            const U256 notional = spot_wins ? spot_notional : twap_notional;
            const SignedWad pnl = spot_wins ? spot_pnl : twap_pnl;
            // Remaining margin floors at zero, the shortfall is bad debt: (remain − badDebt) is the signed sum.
            const SignedWad remaining = fixed::add(fixed::sub(fixed::signed_of(margin), funding), pnl);
            position.margin_ratio = perp_margin_ratio(margin, funding, pnl, notional);

            const U256 index = u256(list((*m.index)[0])[0]);
            const U256 maintenance = u256((*mmr)[0]);
            position.collection = collection_of_key(std::get<wallet::Bytes>((*m.collection)[0].data), collections);
            position.currency = address((*m.quote)[0]);
            position.size = size;
            position.maintenance_ratio = maintenance;
            position.price = u256(list((*m.mark)[0])[0]);
            position.debt = spot_notional;
            position.pnl = spot_pnl;
            position.collateral_value = remaining.negative ? U256(0) : remaining.magnitude;
            position.state = fixed::less(*position.margin_ratio, fixed::signed_of(maintenance)) ? PositionState::Liquidatable : PositionState::Open;
            position.liquidation_price = perp_liquidation_price(size, fixed::sub(fixed::signed_of(margin), funding), open_notional, maintenance);
            // Funding per day at the last settled rate: rate × index × size per period.
            const U256 period = u256((*m.period)[0]);
            if (period > U256(0)) {
                const SignedWad per_period = fixed::mul_d(fixed::mul_d(signed_wad((*m.rate)[0]), fixed::signed_of(index)), size);
                position.cost_per_day = fixed::signed_of(*U256::mul_div(per_period.magnitude, U256(86400), period), per_period.negative);
            }
            positions.push_back(std::move(position));
        }
        return positions;
    }

    /// Perp v1 keys its index feed by a bytes32 name ("ETH"): the collection the registry lists under that
    /// symbol; a key that is a left-padded address is that address; otherwise none (the index is still read).
    static Address collection_of_key(const wallet::Bytes& key, const std::map<std::string, Address>& collections)
    {
        std::string name;
        for (const auto byte : key) {
            if (byte == 0) break;
            name += static_cast<char>(byte);
        }
        if (const auto found = collections.find(name); !name.empty() && found != collections.end()) return found->second;
        if (key.size() == 32 && std::all_of(key.begin(), key.begin() + 12, [](std::uint8_t b) { return b == 0; }))
            return Address(*wallet::FixedBytes<20>::from_view(wallet::ByteView(key).subspan(12)));
        return Address();
    }

    Address m_house;
    std::map<std::string, Address> m_collections;  // symbol → collection
};

}  // namespace

std::unique_ptr<Adapter> make_perp_adapter(const Registry& registry)
{
    auto house = registry.contract("PerpClearingHouse");
    if (!house) return nullptr;
    // The collections by symbol, for the Amms' price-feed keys.
    std::map<std::string, Address> collections;
    for (const auto& [symbol, amm] : registry.amms)
        if (auto collection = registry.contract(symbol)) collections[symbol] = *collection;
    return std::make_unique<PerpAdapter>(*house, std::move(collections));
}

}  // namespace nftterm::protocols::positions
