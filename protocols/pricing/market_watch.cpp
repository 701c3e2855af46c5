#include "market_watch.hpp"

#include <protocols/positions/fixed_point.hpp>
#include <protocols/positions/read_helpers.hpp>

namespace nftterm::protocols::pricing {

using namespace positions::detail;
using wallet::Address;
using wallet::U256;

namespace {

constexpr std::uint64_t kNftPool = 1;

std::uint64_t age(std::uint64_t now, std::uint64_t then)
{
    return now > then ? now - then : 0;
}

PriceQuote quote(std::string source, const U256& price, const eth::BlockHeader& block, std::uint64_t updated_at, std::uint64_t stale_after)
{
    const std::uint64_t seconds = age(block.timestamp, updated_at);
    return {std::move(source), price, block.number, updated_at, seconds, seconds > stale_after};
}

}  // namespace

MarketWatch::MarketWatch(const positions::Registry& registry)
    : m_registry(registry), m_oracle(registry.contract("NFTOracle")), m_factory(registry.contract("SudoPairFactory"))
{
    if (!m_factory) return;
    std::map<Address, positions::Curve> curves;
    for (const auto& [name, curve] : {std::pair{"SudoLinearCurve", positions::Curve::Linear},
                                      {"SudoExponentialCurve", positions::Curve::Exponential},
                                      {"SudoXykCurve", positions::Curve::Xyk}})
        if (auto address = registry.contract(name)) curves[*address] = curve;
    m_tape = std::make_unique<TradeTape>(*m_factory, std::move(curves));
}

Result<void> MarketWatch::scan(eth::RpcClient& client, const std::set<Address>& collections, std::uint64_t from_block, std::uint64_t to_block)
{
    if (!m_tape) return {};
    return m_tape->scan(client, collections, from_block, to_block);
}

std::vector<const PairInfo*> MarketWatch::pairs_of(const Address& collection) const
{
    std::vector<const PairInfo*> out;
    if (!m_tape) return out;
    for (const auto& pair : m_tape->pairs())
        if (pair.collection == collection && pair.curve) out.push_back(&pair);
    return out;
}

std::vector<eth::ReadCall> MarketWatch::plan(const std::vector<Address>& collections) const
{
    std::vector<eth::ReadCall> calls;
    if (m_factory) calls.push_back(read_call(*m_factory, "protocolFeeMultiplier()"));
    for (const auto& collection : collections) {
        if (m_oracle) {
            calls.push_back(read_call(*m_oracle, "getAssetPrice(address)", {value(collection)}));
            calls.push_back(read_call(*m_oracle, "getLatestTimestamp(address)", {value(collection)}));
            calls.push_back(read_call(*m_oracle, "isPriceStale(address)", {value(collection)}));
        }
        if (auto feed = m_registry.feeds.find(m_registry.symbol_of(collection)); feed != m_registry.feeds.end()) {
            calls.push_back(read_call(feed->second, "latestRoundData()"));
            calls.push_back(read_call(feed->second, "decimals()"));
        }
        for (const auto* pair : pairs_of(collection)) {
            calls.push_back(read_call(pair->pair, "poolType()"));
            calls.push_back(read_call(pair->pair, "spotPrice()"));
            calls.push_back(read_call(pair->pair, "delta()"));
            calls.push_back(read_call(pair->pair, "fee()"));
            calls.push_back(read_call(eth::multicall3_address(), "getEthBalance(address)", {value(pair->pair)}));
        }
    }
    return calls;
}

std::vector<CollectionPrices> MarketWatch::decode(const std::vector<Address>& collections, std::span<const eth::ReadResult> results,
                                                  const eth::BlockHeader& block) const
{
    std::size_t at = 0;
    const auto fee_multiplier = m_factory ? outputs(results[at++], "(uint256)") : std::nullopt;
    std::vector<CollectionPrices> out;
    for (const auto& collection : collections) {
        CollectionPrices prices;
        prices.collection = collection;
        if (fee_multiplier) prices.protocol_fee_multiplier = u256((*fee_multiplier)[0]);
        if (m_oracle) {
            auto price = outputs(results[at], "(uint256)");
            auto updated = outputs(results[at + 1], "(uint256)");
            auto flagged = outputs(results[at + 2], "(bool)");
            at += 3;
            if (price && updated) {
                // BendDAO's admin flags a stale price (isPriceStale); an oracle without the flag is taken at its word.
                prices.oracle = quote("NFTOracle", u256((*price)[0]), block, u256((*updated)[0]).to_u64().value_or(0), UINT64_MAX);
                prices.oracle->stale = flagged && std::get<bool>((*flagged)[0].data);
            }
        }
        if (m_registry.feeds.contains(m_registry.symbol_of(collection))) {
            auto round = outputs(results[at], "(uint80,int256,uint256,uint256,uint80)");
            auto decimals = outputs(results[at + 1], "(uint8)");
            at += 2;
            if (round && decimals) {
                const auto answer = signed_wad((*round)[1]);
                const std::uint64_t places = u256((*decimals)[0]).to_u64().value_or(0);
                // A feed that answers zero or less has no price (Chainlink's own advice).
                if (!answer.negative && !answer.magnitude.is_zero() && places <= 36) {
                    U256 scale(1);
                    for (std::uint64_t i = 0; i < (places > 18 ? places - 18 : 18 - places); ++i) scale = scale * U256(10);
                    const U256 wei = places > 18 ? answer.magnitude / scale : answer.magnitude * scale;
                    prices.feed = quote("Chainlink feed", wei, block, u256((*round)[3]).to_u64().value_or(0), kFeedHeartbeatSeconds);
                }
            }
        }
        for (const auto* pair : pairs_of(collection)) {
            std::optional<std::vector<abi::Value>> r[5];
            const char* types[5] = {"(uint8)", "(uint128)", "(uint128)", "(uint96)", "(uint256)"};
            bool ok = true;
            for (int i = 0; i < 5; ++i) {
                r[i] = outputs(results[at + i], types[i]);
                ok = ok && r[i].has_value();
            }
            at += 5;
            if (!ok || u256((*r[0])[0]) == U256(kNftPool)) continue;  // NFT pools do not buy
            prices.bids.push_back({pair->pair, *pair->curve, u256((*r[1])[0]), u256((*r[2])[0]), u256((*r[3])[0]), u256((*r[4])[0])});
        }
        // The best bid: the most one NFT fetches in one pool that can pay it.
        prices.rank_bids();
        if (prices.best_bid_pair) prices.best_bid = PriceQuote{"best pool bid", *prices.exit_value(1), block.number, block.timestamp, 0, false};
        if (m_tape) {
            const auto trades = m_tape->trades_of(collection);
            const auto stats = trade_stats(trades, block.timestamp, kTradeWindowSeconds);
            prices.trades = stats.trades;
            prices.trades_rejected = stats.rejected;
            if (stats.floor) {
                prices.trade_floor = quote("trade floor 24h", *stats.floor, block, stats.last_trade_time, kTradeStaleSeconds);
                prices.trade_median = quote("trade median 24h", *stats.median, block, stats.last_trade_time, kTradeStaleSeconds);
                prices.trade_twap = quote("trade TWAP 24h", *stats.twap, block, stats.last_trade_time, kTradeStaleSeconds);
            }
        }
        out.push_back(std::move(prices));
    }
    return out;
}

}  // namespace nftterm::protocols::pricing
