#include "order_book.hpp"

#include <protocols/eth/multicall.hpp>
#include <protocols/positions/read_helpers.hpp>
#include <protocols/pricing/market_watch.hpp>

#include <queue>
#include <set>

namespace nftterm::protocols::pricing {

using namespace positions::detail;
using wallet::Address;
using wallet::U256;

std::optional<positions::CurveQuote> PoolState::buy(std::uint64_t count, const U256& protocol_fee_multiplier) const
{
    if (!asks() || count == 0 || count > nft_count) return std::nullopt;
    auto quote = positions::buy_quote(curve, spot_price, delta, count, fee, protocol_fee_multiplier);
    if (quote.error != 0) return std::nullopt;
    return quote;
}

std::optional<positions::CurveQuote> PoolState::sell(std::uint64_t count, const U256& protocol_fee_multiplier) const
{
    if (!bids() || count == 0) return std::nullopt;
    auto quote = positions::sell_quote(curve, spot_price, delta, count, fee, protocol_fee_multiplier);
    // The pair pays the seller and the protocol fee out of its own ETH.
    if (quote.error != 0 || quote.amount + quote.protocol_fee > eth_balance) return std::nullopt;
    return quote;
}

BookReader::BookReader(positions::Registry registry) : m_registry(std::move(registry)) {}

BookReader::~BookReader() = default;

Result<CollectionPools> read_collection_pools(eth::RpcClient& client, const positions::Registry& registry, const Address& collection)
{
    BookReader reader(registry);
    return reader.read(client, collection);
}

Result<CollectionPools> BookReader::read(eth::RpcClient& client, const Address& collection)
{
    auto head = eth::block_number(client);
    if (!head) return std::unexpected(head.error());
    auto& watched = m_watched[collection];
    if (!watched.watch) {
        watched.watch = std::make_unique<MarketWatch>(m_registry);
        watched.next_block = m_registry.start_block;
    }
    if (!watched.watch->tape()) return fail(Errc::Config, "the registry names no pair factory (SudoPairFactory): there are no pools to read");
    if (watched.next_block <= *head) {
        if (auto scanned = watched.watch->scan(client, {collection}, watched.next_block, *head); !scanned) return std::unexpected(scanned.error());
        watched.next_block = *head + 1;
    }
    std::vector<const PairInfo*> pairs;
    for (const auto& pair : watched.watch->tape()->pairs())
        if (pair.collection == collection && pair.curve) pairs.push_back(&pair);
    std::vector<eth::ReadCall> calls{read_call(*m_registry.contract("SudoPairFactory"), "protocolFeeMultiplier()")};
    for (const auto* pair : pairs) {
        calls.push_back(read_call(pair->pair, "poolType()"));
        calls.push_back(read_call(pair->pair, "spotPrice()"));
        calls.push_back(read_call(pair->pair, "delta()"));
        calls.push_back(read_call(pair->pair, "fee()"));
        calls.push_back(read_call(eth::multicall3_address(), "getEthBalance(address)", {value(pair->pair)}));
        calls.push_back(read_call(collection, "balanceOf(address)", {value(pair->pair)}));
        calls.push_back(read_call(pair->pair, "owner()"));
    }
    eth::MulticallOptions options;
    options.block_identity = true;
    auto reads = eth::read_at_head(client, calls, options);
    if (!reads) return std::unexpected(reads.error());
    CollectionPools out;
    out.collection = collection;
    out.block = reads->block.number;
    out.timestamp = reads->block.timestamp;
    const auto multiplier = outputs(reads->results[0], "(uint256)");
    if (!multiplier) return fail(Errc::Decode, "the pair factory's protocolFeeMultiplier() could not be read");
    out.protocol_fee_multiplier = u256((*multiplier)[0]);
    for (std::size_t i = 0; i < pairs.size(); ++i) {
        const std::size_t at = 1 + 7 * i;
        const char* types[7] = {"(uint8)", "(uint128)", "(uint128)", "(uint96)", "(uint256)", "(uint256)", "(address)"};
        std::optional<std::vector<abi::Value>> r[7];
        for (int k = 0; k < 7; ++k) {
            r[k] = outputs(reads->results[at + static_cast<std::size_t>(k)], types[k]);
            if (!r[k]) return fail(Errc::Decode, "pair " + pairs[i]->pair.to_hex() + " could not be read at block " + std::to_string(out.block));
        }
        PoolState pool;
        pool.pair = pairs[i]->pair;
        pool.curve = *pairs[i]->curve;
        pool.type = static_cast<PoolType>(u256((*r[0])[0]).to_u64().value_or(2));
        pool.spot_price = u256((*r[1])[0]);
        pool.delta = u256((*r[2])[0]);
        pool.fee = u256((*r[3])[0]);
        pool.eth_balance = u256((*r[4])[0]);
        pool.nft_count = u256((*r[5])[0]).to_u64().value_or(0);
        pool.owner = address((*r[6])[0]);
        out.pools.push_back(pool);
    }
    return out;
}

namespace {

/// One side's ladder: each pool's next price after its own fills so far, the best taken first.
std::vector<BookLevel> merge(const CollectionPools& pools, std::size_t depth, bool asks)
{
    struct Next {
        U256 price;
        std::size_t pool;
        std::uint64_t count;  // NFTs this pool will have traded with this level
    };
    const auto worse = [asks](const Next& a, const Next& b) { return asks ? a.price > b.price : a.price < b.price; };
    std::priority_queue<Next, std::vector<Next>, decltype(worse)> queue(worse);
    const auto cumulative = [&](std::size_t i, std::uint64_t count) -> std::optional<U256> {
        if (count == 0) return U256(0);
        const auto quote = asks ? pools.pools[i].buy(count, pools.protocol_fee_multiplier) : pools.pools[i].sell(count, pools.protocol_fee_multiplier);
        return quote ? std::optional(quote->amount) : std::nullopt;
    };
    const auto push = [&](std::size_t i, std::uint64_t count) {
        const auto before = cumulative(i, count - 1);
        const auto after = cumulative(i, count);
        if (before && after) queue.push({*after - *before, i, count});
    };
    for (std::size_t i = 0; i < pools.pools.size(); ++i) push(i, 1);
    std::vector<BookLevel> out;
    U256 total;
    while (!queue.empty() && out.size() < depth) {
        const Next next = queue.top();
        queue.pop();
        total = total + next.price;
        out.push_back({next.price, pools.pools[next.pool].pair, out.size() + 1, total});
        push(next.pool, next.count + 1);
    }
    return out;
}

}  // namespace

OrderBook build_book(const CollectionPools& pools, std::size_t depth)
{
    return OrderBook{pools.collection, pools.block, merge(pools, depth, true), merge(pools, depth, false)};
}

}  // namespace nftterm::protocols::pricing
