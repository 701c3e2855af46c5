#include "amm_trade.hpp"

#include <protocols/actions/plan_reads.hpp>
#include <protocols/eth/abi/abi_json.hpp>
#include <protocols/positions/read_helpers.hpp>

#include <algorithm>
#include <map>
#include <queue>

namespace nftterm::protocols::actions {

using wallet::Address;
using wallet::U256;

namespace {

/// How many NFTs each pool takes in the best route for `count`: the next one always to the pool whose
/// next price (after its own fills so far) is best, lowest for buys, highest for sells.
std::map<std::size_t, std::uint64_t> route(const pricing::CollectionPools& pools, std::uint64_t count, bool buys, U256& best)
{
    struct Next {
        U256 price;
        std::size_t pool;
        std::uint64_t count;
    };
    const auto worse = [buys](const Next& a, const Next& b) { return buys ? a.price > b.price : a.price < b.price; };
    std::priority_queue<Next, std::vector<Next>, decltype(worse)> queue(worse);
    const auto quote = [&](std::size_t i, std::uint64_t n) {
        if (n == 0) return std::optional<positions::CurveQuote>(positions::CurveQuote{});
        return buys ? pools.pools[i].buy(n, pools.protocol_fee_multiplier) : pools.pools[i].sell(n, pools.protocol_fee_multiplier);
    };
    const auto push = [&](std::size_t i, std::uint64_t n) {
        const auto after = quote(i, n);
        const auto before = quote(i, n - 1);
        if (after && before) queue.push({after->amount - before->amount, i, n});
    };
    for (std::size_t i = 0; i < pools.pools.size(); ++i) push(i, 1);
    std::map<std::size_t, std::uint64_t> taken;
    for (std::uint64_t filled = 0; filled < count && !queue.empty(); ++filled) {
        const Next next = queue.top();
        queue.pop();
        if (filled == 0) best = next.price;
        taken[next.pool] = next.count;
        push(next.pool, next.count + 1);
    }
    return taken;
}

/// A plan's start: who trades what, at which block.
TradePlan new_plan(const char* action, const pricing::CollectionPools& pools, const Address& account, std::uint64_t count)
{
    TradePlan plan;
    plan.action = action;
    plan.account = account;
    plan.collection = pools.collection;
    plan.block = pools.block;
    plan.count = count;
    return plan;
}

/// The average price, and how far it is from the best one (a buy's average above it, a sell's below), in basis points.
void set_average(TradePlan& plan, bool buys)
{
    plan.average_price = plan.total / U256(plan.count);
    const bool worse = buys ? plan.average_price > plan.best_price : plan.average_price < plan.best_price;
    if (!plan.best_price.is_zero() && worse) {
        const U256 gap = buys ? plan.average_price - plan.best_price : plan.best_price - plan.average_price;
        plan.impact_bps = (gap * U256(10000) / plan.best_price).to_u64().value_or(UINT64_MAX);
    }
}

/// One swap's call: `signature` with (`first`, `bound`, recipient, false, 0), sending `value`.
Result<PlannedCall> swap_call(const PoolSwap& swap, const char* signature, const std::string& first, const Address& recipient, const U256& value,
                              std::string description)
{
    auto data = abi::encode_call(signature, "[" + first + ",\"" + swap.total.to_dec() + "\",\"" + recipient.to_hex() +
                                                "\",false,\"0x0000000000000000000000000000000000000000\"]");
    if (!data) return std::unexpected(data.error());
    PlannedCall call;
    call.to = swap.pair;
    call.data = std::move(*data);
    call.value = value;
    call.description = std::move(description) + " (protocol fee " + eth_text(swap.protocol_fee) + "; its spot price then " + eth_text(swap.new_spot_price) + ")";
    call.gas_bound = 150'000 + 80'000 * swap.count;
    return call;
}

}  // namespace

Result<TradePlan> plan_buy(const pricing::CollectionPools& pools, std::uint64_t count, const std::optional<U256>& max_total, const Address& buyer)
{
    if (count == 0) return fail(Errc::Refused, "buy at least one NFT");
    TradePlan plan = new_plan("buy", pools, buyer, count);
    const auto taken = route(pools, count, true, plan.best_price);
    std::uint64_t available = 0;
    for (const auto& [pool, n] : taken) available += n;
    if (available < count)
        return fail(Errc::Refused, "the pools sell only " + std::to_string(available) + " NFTs of this collection now, not " + std::to_string(count));
    for (const auto& [index, n] : taken) {
        const auto& pool = pools.pools[index];
        const auto quote = *pool.buy(n, pools.protocol_fee_multiplier);
        plan.swaps.push_back({pool.pair, n, quote.amount, quote.protocol_fee, quote.new_spot_price, quote.new_delta, {}});
        plan.total = plan.total + quote.amount;
        plan.protocol_fees = plan.protocol_fees + quote.protocol_fee;
    }
    // The cheapest swaps first: what the user reads first is what the route is made of.
    std::sort(plan.swaps.begin(), plan.swaps.end(), [](const PoolSwap& a, const PoolSwap& b) { return a.total * U256(b.count) < b.total * U256(a.count); });
    set_average(plan, true);
    if (max_total && plan.total > *max_total)
        return fail(Errc::Refused, "the cheapest route for " + std::to_string(count) + " NFTs costs " + eth_text(plan.total) + ", above --max-total " +
                                       eth_text(*max_total) + ": nothing is signed");
    for (const auto& swap : plan.swaps) {
        // The pair's own bound is its quote: a market that moved before this lands makes it revert, not overpay.
        auto call = swap_call(swap, "swapTokenForAnyNFTs(uint256,uint256,address,bool,address)", "\"" + std::to_string(swap.count) + "\"", buyer, swap.total,
                              "buy " + std::to_string(swap.count) + " NFT" + (swap.count == 1 ? "" : "s") + " from pool " + swap.pair.to_hex() + " for " +
                                  eth_text(swap.total));
        if (!call) return std::unexpected(call.error());
        plan.calls.push_back(std::move(*call));
    }
    return plan;
}

Result<TradePlan> plan_buy_ids(const pricing::CollectionPools& pools, const std::vector<std::pair<U256, Address>>& holders,
                               const std::optional<U256>& max_total, const Address& buyer)
{
    if (holders.empty()) return fail(Errc::Refused, "name at least one NFT to buy (--token-id)");
    TradePlan plan = new_plan("buy", pools, buyer, holders.size());
    // The book's best ask, to say what buying these ids costs beyond the cheapest NFT on offer.
    const auto book = pricing::build_book(pools, 1);
    if (!book.asks.empty()) plan.best_price = book.asks.front().price;
    std::map<Address, std::vector<U256>> by_pool;
    for (const auto& [id, holder] : holders) {
        const auto pool = std::find_if(pools.pools.begin(), pools.pools.end(), [&](const pricing::PoolState& p) { return p.pair == holder; });
        if (pool == pools.pools.end() || !pool->asks())
            return fail(Errc::Refused, "NFT #" + id.to_dec() + " is not for sale in any pool (its owner is " + holder.to_hex() + ")");
        by_pool[holder].push_back(id);
    }
    for (const auto& [pair, ids] : by_pool) {
        const auto& pool = *std::find_if(pools.pools.begin(), pools.pools.end(), [&](const pricing::PoolState& p) { return p.pair == pair; });
        const auto quote = pool.buy(ids.size(), pools.protocol_fee_multiplier);
        if (!quote) return fail(Errc::Refused, "pool " + pair.to_hex() + " cannot quote " + std::to_string(ids.size()) + " NFTs");
        plan.swaps.push_back({pair, ids.size(), quote->amount, quote->protocol_fee, quote->new_spot_price, quote->new_delta, ids});
        plan.total = plan.total + quote->amount;
        plan.protocol_fees = plan.protocol_fees + quote->protocol_fee;
    }
    set_average(plan, true);
    if (max_total && plan.total > *max_total)
        return fail(Errc::Refused, "these " + std::to_string(plan.count) + " NFTs cost " + eth_text(plan.total) + ", above --max-total " + eth_text(*max_total) +
                                       ": nothing is signed");
    for (const auto& swap : plan.swaps) {
        auto call = swap_call(swap, "swapTokenForSpecificNFTs(uint256[],uint256,address,bool,address)", token_ids_json(swap.token_ids), buyer, swap.total,
                              "buy " + token_ids_text(swap.token_ids) + " from pool " + swap.pair.to_hex() + " for " + eth_text(swap.total));
        if (!call) return std::unexpected(call.error());
        plan.calls.push_back(std::move(*call));
    }
    return plan;
}

Result<TradePlan> plan_sell(const pricing::CollectionPools& pools, const std::vector<U256>& token_ids, const std::optional<U256>& min_total,
                            const Address& seller, const std::vector<Address>& approved)
{
    if (token_ids.empty()) return fail(Errc::Refused, "sell at least one NFT (--token-id)");
    TradePlan plan = new_plan("sell", pools, seller, token_ids.size());
    const auto taken = route(pools, plan.count, false, plan.best_price);
    std::uint64_t room = 0;
    for (const auto& [pool, n] : taken) room += n;
    if (room < plan.count)
        return fail(Errc::Refused, "the pools' bids take only " + std::to_string(room) + " NFTs of this collection now, not " + std::to_string(plan.count));
    std::size_t next_id = 0;
    for (const auto& [index, n] : taken) {
        const auto& pool = pools.pools[index];
        const auto quote = *pool.sell(n, pools.protocol_fee_multiplier);
        PoolSwap swap{pool.pair, n, quote.amount, quote.protocol_fee, quote.new_spot_price, quote.new_delta, {}};
        for (std::uint64_t i = 0; i < n; ++i) swap.token_ids.push_back(token_ids[next_id++]);
        plan.swaps.push_back(std::move(swap));
        plan.total = plan.total + quote.amount;
        plan.protocol_fees = plan.protocol_fees + quote.protocol_fee;
    }
    // The best-paying swaps first.
    std::sort(plan.swaps.begin(), plan.swaps.end(), [](const PoolSwap& a, const PoolSwap& b) { return a.total * U256(b.count) > b.total * U256(a.count); });
    set_average(plan, false);
    if (min_total && plan.total < *min_total)
        return fail(Errc::Refused, "the best route for " + std::to_string(plan.count) + " NFTs pays " + eth_text(plan.total) + ", below --min-total " +
                                       eth_text(*min_total) + ": nothing is signed");
    for (const auto& swap : plan.swaps) {
        if (std::find(approved.begin(), approved.end(), swap.pair) == approved.end()) {
            auto data = abi::encode_call("setApprovalForAll(address,bool)", "[\"" + swap.pair.to_hex() + "\",true]");
            if (!data) return std::unexpected(data.error());
            PlannedCall approve;
            approve.to = pools.collection;
            approve.data = std::move(*data);
            approve.description = "let pool " + swap.pair.to_hex() + " take your NFTs of this collection (setApprovalForAll)";
            approve.gas_bound = 80'000;
            plan.calls.push_back(std::move(approve));
        }
        // The pair's own bound is its quote: a bid that fell before this lands makes it revert, not underpay.
        auto call = swap_call(swap, "swapNFTsForToken(uint256[],uint256,address,bool,address)", token_ids_json(swap.token_ids), seller, U256(0),
                              "sell " + token_ids_text(swap.token_ids) + " to pool " + swap.pair.to_hex() + " for " + eth_text(swap.total));
        if (!call) return std::unexpected(call.error());
        plan.calls.push_back(std::move(*call));
    }
    return plan;
}

Result<TradePlan> plan_sell_owned(eth::RpcClient& client, const pricing::CollectionPools& pools, const std::vector<U256>& token_ids,
                                  const std::optional<U256>& min_total, const Address& seller)
{
    using positions::detail::value;
    for (const auto& id : token_ids) {
        auto owner = detail::view_at(client, pools.collection, "ownerOf(uint256)", {value(id)}, "(address)", pools.block);
        if (!owner || positions::detail::address((*owner)[0]) != seller)
            return fail(Errc::Refused, "NFT #" + id.to_dec() + " is not " + seller.to_hex() + "'s: nothing is signed");
    }
    std::vector<Address> approved;
    for (const auto& pool : pools.pools) {
        auto allowed = detail::view_at(client, pools.collection, "isApprovedForAll(address,address)", {value(seller), value(pool.pair)}, "(bool)", pools.block);
        if (allowed && positions::detail::boolean((*allowed)[0])) approved.push_back(pool.pair);
    }
    return plan_sell(pools, token_ids, min_total, seller, approved);
}

}  // namespace nftterm::protocols::actions
