#include "monitor.hpp"

#include <protocols/eth/rpc/eth_api.hpp>

#include "fixed_point.hpp"

#include <algorithm>
#include <set>

namespace nftterm::protocols::positions {

Monitor::Monitor(eth::RpcClient& client, Registry registry, std::vector<wallet::Address> accounts)
    : m_client(client), m_registry(std::move(registry)), m_accounts(std::move(accounts)), m_adapters(make_adapters(m_registry)),
      m_keys(m_adapters.size()), m_market(m_registry), m_next_block(m_registry.start_block)
{
}

namespace {

/// The collections worth pricing: those the positions hold (a perp's is its
/// Amm's, listed in the registry) and those the registry names.
std::vector<wallet::Address> collections_to_price(const Registry& registry, const std::vector<std::vector<PositionKey>>& keys)
{
    std::set<wallet::Address> seen;
    std::vector<wallet::Address> out;
    const auto add = [&](const wallet::Address& collection) {
        if (seen.insert(collection).second) out.push_back(collection);
    };
    for (const auto& family : keys)
        for (const auto& key : family)
            if (key.protocol != Protocol::Perp && key.market != wallet::Address()) add(key.market);
    for (const auto* listed : {&registry.amms, &registry.feeds})
        for (const auto& [symbol, unused] : *listed)
            if (auto collection = registry.contract(symbol)) add(*collection);
    return out;
}

/// Exit values from the pools' bids, beside the protocols' own valuations.
void set_exit_values(std::vector<Position>& positions, const std::vector<pricing::CollectionPrices>& prices)
{
    for (auto& position : positions) {
        if (!position.readable || position.key.protocol == Protocol::Perp || !position.unpriced.empty()) continue;
        const auto found = std::find_if(prices.begin(), prices.end(), [&](const auto& p) { return p.collection == position.collection; });
        if (found == prices.end()) continue;
        if (position.key.protocol != Protocol::Sudoswap) {
            position.exit_value = found->exit_value(1);
            continue;
        }
        // An LP position: its ETH plus its NFTs sold into the other pools.
        const std::uint64_t held = position.size ? (position.size->magnitude / fixed::wad()).to_u64().value_or(0) : 0;
        const wallet::U256 nfts_at_price = position.price ? *position.price * wallet::U256(held) : wallet::U256();
        const wallet::U256 eth = position.collateral_value - nfts_at_price;
        if (auto sold = found->exit_value(held, position.key.contract)) position.exit_value = eth + *sold;
    }
}

}  // namespace

void Monitor::update_collections()
{
    m_collections = collections_to_price(m_registry, m_keys);
}

void Monitor::set_pool_pnl(std::vector<Position>& positions) const
{
    for (auto& position : positions) {
        if (position.key.protocol != Protocol::Sudoswap || !position.readable || !position.price || !position.size) continue;
        // The ledgers follow ETH: an ERC-20 pair's deposits are token transfers they do not see.
        if (position.key.asset != wallet::Address()) continue;
        const auto* capital = m_ledgers.find(position.key.contract);
        // A pool's ledger starts in the scan that found it, which holds its creation (and is saved with the keys).
        if (!capital) continue;
        if (position.asset_recipient != position.key.contract) {
            // Its proceeds leave it: the trades themselves, as the tape replayed them from the pair's own curve.
            if (auto traded = traded_pnl(position)) position.pnl = *traded;
            continue;
        }
        const std::uint64_t held = (position.size->magnitude / fixed::wad()).to_u64().value_or(0);
        const wallet::U256 nfts_value = *position.price * wallet::U256(held);
        if (position.collateral_value < nfts_value) continue;
        position.pnl = pricing::pool_trading_pnl(*capital, position.collateral_value - nfts_value, held, *position.price);
    }
}

std::optional<SignedWad> Monitor::traded_pnl(const Position& position) const
{
    const auto* tape = m_market.tape();
    if (!tape) return std::nullopt;
    const auto info = std::find_if(tape->pairs().begin(), tape->pairs().end(), [&](const pricing::PairInfo& p) { return p.pair == position.key.contract; });
    // Only a pair replayed from its creation: trades before known_from are missing.
    if (info == tape->pairs().end() || info->known_from > info->created_block) return std::nullopt;
    SignedWad cash;
    std::int64_t nfts = 0;
    for (const auto& trade : tape->trades()) {
        if (trade.pair != position.key.contract) continue;
        cash = trade.sold_to_pool ? fixed::sub(cash, fixed::signed_of(trade.pool_cash)) : fixed::add(cash, fixed::signed_of(trade.pool_cash));
        nfts += trade.sold_to_pool ? std::int64_t(trade.count) : -std::int64_t(trade.count);
    }
    const SignedWad inventory{nfts < 0, *position.price * wallet::U256(std::uint64_t(nfts < 0 ? -nfts : nfts))};
    return fixed::add(cash, inventory);
}

Result<void> Monitor::discover()
{
    auto chain = m_client.chain_id();
    if (!chain) return std::unexpected(chain.error());
    if (*chain != m_registry.chain_id)
        return fail(Errc::ChainId, "the node is on chain " + std::to_string(*chain) + ", the registry is for chain " + std::to_string(m_registry.chain_id));
    auto head_block = eth::get_block(m_client, eth::BlockTag::latest());
    if (!head_block) return std::unexpected(head_block.error());
    const auto head = std::optional<std::uint64_t>(head_block->number);
    if (*head < m_next_block) return {};
    if (!m_contracts_checked) {
        // A registry for another deployment would find nothing and say nothing: check that its contracts exist.
        for (const char* name : {"NFTfiDirectLoanFixedOffer", "BendLendPool", "NFTOracle", "BendReserveOracle", "SudoPairFactory", "PerpClearingHouse"}) {
            auto address = m_registry.contract(name);
            if (!address) continue;
            auto code = eth::get_code(m_client, *address, eth::BlockTag::latest());
            if (!code) return std::unexpected(code.error());
            if (code->empty())
                return fail(Errc::Config, std::string("the registry's ") + name + " at " + address->to_hex() + " has no code on chain " +
                                              std::to_string(*chain) + ": wrong registry for this node?");
        }
        m_contracts_checked = true;
    }
    const std::size_t keys_before = position_count();
    const auto collections_before = m_collections;
    const std::size_t pairs_before = m_market.tape() ? m_market.tape()->pairs().size() : 0;
    const std::uint64_t first = m_next_block;
    const bool long_scan = *head - first + 1 > m_window;
    while (m_next_block <= *head) {
        const std::uint64_t from = m_next_block;
        const std::uint64_t to = std::min(*head, from + m_window - 1);
        if (auto scanned = discover_window(from, to); !scanned) {
            // Whole windows stay scanned: the next discover() goes on from the failed one.
            if (position_count() != keys_before || m_collections != collections_before) m_plan.reset();
            return std::unexpected(scanned.error());
        }
        if (to == *head) {
            m_scanned_hash = head_block->hash;
        } else {
            auto last = eth::get_block(m_client, eth::BlockTag::number(to));
            if (!last) return std::unexpected(last.error());
            m_scanned_hash = last->hash;
        }
        m_next_block = to + 1;
        if (m_progress) m_progress({first, to, *head, long_scan, m_client.log_scan_count()});
    }
    const std::size_t pairs = m_market.tape() ? m_market.tape()->pairs().size() : 0;
    if (position_count() != keys_before || m_collections != collections_before || pairs != pairs_before) m_plan.reset();
    return {};
}

Result<void> Monitor::discover_window(std::uint64_t from, std::uint64_t to)
{
    // All of the window or none of it: a retry must not count a pool's deposits or a trade twice.
    auto keys = m_keys;
    auto ledgers = m_ledgers.state();
    std::optional<pricing::TapeState> tape;
    if (m_market.tape()) tape = m_market.tape()->state();
    auto scanned = scan_window(from, to);
    if (!scanned) {
        m_keys = std::move(keys);
        m_ledgers.restore(std::move(ledgers));
        if (tape) m_market.tape()->restore(std::move(*tape));
        update_collections();
    }
    return scanned;
}

Result<void> Monitor::scan_window(std::uint64_t from, std::uint64_t to)
{
    for (std::size_t a = 0; a < m_adapters.size(); ++a) {
        auto found = m_adapters[a]->discover(m_client, m_accounts, from, to);
        if (!found) return std::unexpected(found.error());
        for (auto& key : *found)
            if (std::find(m_keys[a].begin(), m_keys[a].end(), key) == m_keys[a].end()) m_keys[a].push_back(std::move(key));
    }
    update_collections();
    // The pools' deposits and withdrawals over the same blocks: their trading P&L is what the rest leaves.
    std::vector<pricing::PoolLedgers::Pair> pools;
    for (std::size_t a = 0; a < m_adapters.size(); ++a)
        if (m_adapters[a]->protocol() == Protocol::Sudoswap)
            for (const auto& key : m_keys[a]) pools.push_back({key.contract, key.market});
    if (auto scanned = m_ledgers.scan(m_client, pools, from, to); !scanned) return std::unexpected(scanned.error());
    return m_market.scan(m_client, {m_collections.begin(), m_collections.end()}, from, to);
}

const Monitor::RefreshPlan& Monitor::refresh_plan()
{
    if (m_plan) return *m_plan;
    RefreshPlan& plan = m_plan.emplace();
    for (std::size_t a = 0; a < m_adapters.size(); ++a) plan.decoders.push_back(m_adapters[a]->plan(m_keys[a], plan.slots));
    // The market reads pools the AMM adapter reads too: the plan sends each distinct call once.
    for (auto& call : m_market.plan(m_collections)) plan.market_reads.push_back(plan.slots.add(std::move(call), "a market read"));
    eth::MulticallOptions options;
    options.block_identity = true;  // the head goes with the reads: one round trip per refresh
    if (m_calls_per_chunk) options.max_calls_per_chunk = *m_calls_per_chunk;
    plan.reads = eth::PreparedReads(plan.slots.calls(), options);
    return plan;
}

std::shared_ptr<Snapshot> Monitor::decode(const RefreshPlan& plan, const std::vector<eth::ReadResult>& results, const eth::BlockHeader& block) const
{
    auto snapshot = std::make_shared<Snapshot>();
    snapshot->block = block;
    snapshot->reads = plan.reads.size();
    // A short answer fails only the reads it lacks: each decoder marks those positions unreadable, in words.
    const ReadResults slots(plan.slots, results, block.number);
    for (const auto& decode_positions : plan.decoders) {
        auto decoded = decode_positions(slots, block);
        snapshot->positions.insert(snapshot->positions.end(), std::make_move_iterator(decoded.begin()), std::make_move_iterator(decoded.end()));
    }
    std::vector<eth::ReadResult> market_results;
    market_results.reserve(plan.market_reads.size());
    for (const ReadSlot slot : plan.market_reads) market_results.push_back(slot.index() < results.size() ? results[slot.index()] : eth::ReadResult{});
    snapshot->prices = m_market.decode(m_collections, market_results, block);
    std::erase_if(snapshot->positions, [&](const Position& p) {
        if (p.ended) snapshot->ended.emplace_back(p.key, *p.ended);
        return p.ended.has_value();
    });
    set_exit_values(snapshot->positions, snapshot->prices);
    set_pool_pnl(snapshot->positions);
    return snapshot;
}

Result<std::shared_ptr<const Snapshot>> Monitor::refresh()
{
    const RefreshPlan& plan = refresh_plan();
    eth::MulticallStats stats;
    auto reads = eth::read_at_head(m_client, plan.reads, &stats);
    if (!reads) return std::unexpected(reads.error());
    auto snapshot = decode(plan, reads->results, reads->block);
    snapshot->http_requests = stats.http_requests;
    snapshot->chunks = stats.chunks;
    const bool resize_chunks = stats.out_of_gas_chunks > 0 && stats.calls_per_chunk_that_fit > 0;
    if (resize_chunks) m_calls_per_chunk = stats.calls_per_chunk_that_fit;
    // Collections known only from the reads (a P2P loan's) are priced from the next refresh on.
    for (const auto& position : snapshot->positions)
        if (position.readable && position.key.protocol != Protocol::Perp && position.collection != wallet::Address()
            && std::find(m_collections.begin(), m_collections.end(), position.collection) == m_collections.end()) {
            m_collections.push_back(position.collection);
            m_plan.reset();
        }
    if (resize_chunks) m_plan.reset();  // cut again at the size that fit, from the next refresh on
    return std::shared_ptr<const Snapshot>(std::move(snapshot));
}

Result<std::shared_ptr<const Snapshot>> Monitor::read_at(eth::RpcClient& other, const eth::BlockHeader& block)
{
    const RefreshPlan& plan = refresh_plan();
    eth::MulticallStats stats;
    auto results = plan.reads.run(other, eth::BlockTag::number(block.number), &stats);
    if (!results) return std::unexpected(results.error());
    auto snapshot = decode(plan, *results, block);
    snapshot->http_requests = stats.http_requests;
    snapshot->chunks = stats.chunks;
    return std::shared_ptr<const Snapshot>(std::move(snapshot));
}

std::vector<eth::ReadCall> Monitor::plan()
{
    return refresh_plan().reads.calls();
}

std::size_t Monitor::position_count() const
{
    std::size_t count = 0;
    for (const auto& keys : m_keys) count += keys.size();
    return count;
}

}  // namespace nftterm::protocols::positions
