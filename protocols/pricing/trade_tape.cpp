#include "trade_tape.hpp"

#include <protocols/eth/multicall.hpp>
#include <protocols/eth/rpc/eth_api.hpp>
#include <protocols/positions/read_helpers.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace nftterm::protocols::pricing {

using namespace positions::detail;
using wallet::Address;
using wallet::U256;

namespace {


/// One view call without arguments at `block`.
Result<wallet::Bytes> view(eth::RpcClient& client, const Address& target, const std::string& signature, std::uint64_t block)
{
    eth::CallRequest request;
    request.to = target;
    request.data = read_call(target, signature).call_data;
    return eth::call(client, request, eth::BlockTag::number(block));
}

/// An immutable view: at the head, the one state every node has.
Result<wallet::Bytes> view_at_head(eth::RpcClient& client, const Address& target, const std::string& signature)
{
    eth::CallRequest request;
    request.to = target;
    request.data = read_call(target, signature).call_data;
    return eth::call(client, request, eth::BlockTag::latest());
}

/// Reads spot price, delta and fee of `pairs` at `block` into them.
Result<void> read_parameters(eth::RpcClient& client, std::vector<PairInfo*> pairs, std::uint64_t block)
{
    std::vector<eth::ReadCall> calls;
    for (const auto* pair : pairs) {
        calls.push_back(read_call(pair->pair, "spotPrice()"));
        calls.push_back(read_call(pair->pair, "delta()"));
        calls.push_back(read_call(pair->pair, "fee()"));
    }
    auto results = eth::multicall(client, calls, eth::BlockTag::number(block));
    if (!results) return std::unexpected(results.error());
    for (std::size_t i = 0; i < pairs.size(); ++i) {
        auto spot = outputs((*results)[3 * i], "(uint128)");
        auto delta = outputs((*results)[3 * i + 1], "(uint128)");
        auto fee = outputs((*results)[3 * i + 2], "(uint96)");
        if (!spot || !delta || !fee)
            return fail(Errc::Decode, "pair " + pairs[i]->pair.to_hex() + " did not answer spotPrice/delta/fee at block " + std::to_string(block));
        pairs[i]->spot_price = u256((*spot)[0]);
        pairs[i]->delta = u256((*delta)[0]);
        pairs[i]->fee = u256((*fee)[0]);
    }
    return {};
}

/// Block timestamps, in one JSON-RPC batch per 500 blocks.
Result<std::map<std::uint64_t, std::uint64_t>> timestamps_of(eth::RpcClient& client, const std::set<std::uint64_t>& blocks)
{
    std::map<std::uint64_t, std::uint64_t> out;
    std::vector<std::uint64_t> order(blocks.begin(), blocks.end());
    for (std::size_t first = 0; first < order.size(); first += 500) {
        std::vector<eth::RpcCall> batch;
        const std::size_t last = std::min(order.size(), first + 500);
        for (std::size_t i = first; i < last; ++i) batch.push_back({"eth_getBlockByNumber", "[" + eth::BlockTag::number(order[i]).json() + ",false]"});
        auto answers = client.batch(batch);
        if (!answers) return std::unexpected(answers.error());
        for (std::size_t i = first; i < last; ++i) {
            auto& answer = (*answers)[i - first];
            if (!answer) return std::unexpected(answer.error());
            try {
                const auto block = nlohmann::json::parse(*answer);
                out[order[i]] = std::stoull(block.at("timestamp").get<std::string>(), nullptr, 16);
            } catch (const std::exception&) {
                return fail(Errc::Decode, "block " + std::to_string(order[i]) + " came back without a timestamp");
            }
        }
    }
    return out;
}

}  // namespace

TradeTape::TradeTape(Address factory, std::map<Address, positions::Curve> curves) : m_factory(factory), m_curves(std::move(curves)) {}

std::vector<Trade> TradeTape::trades_of(const Address& collection) const
{
    std::vector<Trade> out;
    for (const auto& trade : m_state.trades)
        if (trade.collection == collection) out.push_back(trade);
    return out;
}

Result<void> TradeTape::scan(eth::RpcClient& client, const std::set<Address>& collections, std::uint64_t from_block, std::uint64_t to_block)
{
    if (to_block < from_block) return {};
    auto fee = view(client, m_factory, "protocolFeeMultiplier()", to_block);
    // A node without that block's state (no archive): the fee as it is now, which rarely changes.
    if (!fee) fee = view_at_head(client, m_factory, "protocolFeeMultiplier()");
    if (!fee) return std::unexpected(fee.error());
    auto multiplier = outputs({true, *fee}, "(uint256)");
    if (!multiplier) return fail(Errc::Decode, "the pair factory's protocolFeeMultiplier() is not a uint256");
    m_state.protocol_fee_multiplier = u256((*multiplier)[0]);
    if (auto added = add_pairs(client, collections, from_block, to_block); !added) return added;
    if (auto replayed = replay(client, from_block, to_block); !replayed) return replayed;
    m_state.scanned_to = to_block;
    return {};
}

Result<void> TradeTape::add_pairs(eth::RpcClient& client, const std::set<Address>& collections, std::uint64_t from_block,
                                  std::uint64_t to_block)
{
    // Pairs seen before whose collection is watched now: tracked from this scan on.
    std::vector<PairInfo*> promoted;
    for (auto it = m_state.other_pairs.begin(); it != m_state.other_pairs.end();) {
        if (!collections.contains(it->second)) {
            ++it;
            continue;
        }
        m_state.pairs.push_back({it->first, it->second, {}, {}, 0, {}, {}, {}});
        it = m_state.other_pairs.erase(it);
    }

    eth::LogFilter filter;
    filter.addresses = {m_factory};
    filter.topics = {{cached_event_topic("NewPair(address)")}};
    filter.from_block = from_block;
    filter.to_block = to_block;
    auto logs = eth::get_logs(client, filter);
    if (!logs) return std::unexpected(logs.error());
    std::vector<std::pair<Address, std::uint64_t>> created;
    std::vector<eth::ReadCall> calls;
    for (const auto& log : *logs) {
        auto data = outputs({true, log.data}, "(address)");
        if (!data) continue;
        created.emplace_back(address((*data)[0]), log.block_number);
        calls.push_back(read_call(created.back().first, "nft()"));
        calls.push_back(read_call(created.back().first, "bondingCurve()"));
        calls.push_back(read_call(created.back().first, "pairVariant()"));
    }
    const std::size_t first_new = m_state.pairs.size();
    if (!created.empty()) {
        // What a pair is (its NFT, curve and variant) never changes: read at the head, which every
        // node keeps. At the window's end a full node (no archive) has pruned the state of any
        // block more than a few minutes old, and a first scan's windows are months old.
        auto results = eth::multicall(client, calls, eth::BlockTag::latest());
        if (!results) return std::unexpected(results.error());
        for (std::size_t i = 0; i < created.size(); ++i) {
            auto nft = outputs((*results)[3 * i], "(address)");
            auto curve = outputs((*results)[3 * i + 1], "(address)");
            auto variant = outputs((*results)[3 * i + 2], "(uint8)");
            if (!nft || !curve) continue;  // not a pair we can read
            // An ERC-20 pair quotes in its token: it has no place in the ETH book or tape.
            if (variant && u256((*variant)[0]) >= U256(2)) continue;
            const Address collection = address((*nft)[0]);
            if (!collections.contains(collection)) {
                m_state.other_pairs[created[i].first] = collection;
                continue;
            }
            PairInfo info{created[i].first, collection, address((*curve)[0]), {}, created[i].second, {}, {}, {}};
            if (auto known = m_curves.find(info.curve_address); known != m_curves.end()) info.curve = known->second;
            m_state.pairs.push_back(std::move(info));
        }
    }
    for (auto& pair : m_state.pairs)
        if (pair.curve_address == Address() && !pair.curve) {
            // A promoted pair: its curve is read with its parameters below.
            auto answer = view_at_head(client, pair.pair, "bondingCurve()");
            if (!answer) return std::unexpected(answer.error());
            if (auto curve = outputs({true, *answer}, "(address)")) {
                pair.curve_address = address((*curve)[0]);
                if (auto known = m_curves.find(pair.curve_address); known != m_curves.end()) pair.curve = known->second;
            }
            promoted.push_back(&pair);
        }

    // Parameters at the start of the scan: as of the block before it for
    // pairs that existed then, as of their creation block for new ones.
    std::map<std::uint64_t, std::vector<PairInfo*>> by_block;
    for (auto* pair : promoted) by_block[from_block > 0 ? from_block - 1 : 0].push_back(pair);
    for (std::size_t i = first_new; i < m_state.pairs.size(); ++i) by_block[m_state.pairs[i].created_block].push_back(&m_state.pairs[i]);
    for (auto& [block, pairs] : by_block) {
        if (read_parameters(client, pairs, block)) continue;
        // A node that has pruned that block's state: the parameters as of the
        // scan's end, and these pairs' trades priced from there on; when that
        // block is gone too (a first scan's window months old), as of the head.
        if (read_parameters(client, pairs, to_block)) {
            for (auto* pair : pairs) pair->known_from = to_block + 1;
            continue;
        }
        auto head = eth::block_number(client);
        if (!head) return std::unexpected(head.error());
        if (auto now = read_parameters(client, pairs, *head); !now) return now;
        for (auto* pair : pairs) pair->known_from = *head + 1;
    }
    return {};
}

Result<void> TradeTape::replay(eth::RpcClient& client, std::uint64_t from_block, std::uint64_t to_block)
{
    if (m_state.pairs.empty()) return {};
    std::map<Address, PairInfo*> by_address;
    std::set<Address> collections;
    eth::LogFilter filter;
    for (auto& pair : m_state.pairs) {
        by_address[pair.pair] = &pair;
        collections.insert(pair.collection);
        filter.addresses.push_back(pair.pair);
    }
    const auto& spot_update = cached_event_topic("SpotPriceUpdate(uint128)");
    const auto& delta_update = cached_event_topic("DeltaUpdate(uint128)");
    const auto& fee_update = cached_event_topic("FeeUpdate(uint96)");
    const auto& sold_to_pool = cached_event_topic("SwapNFTInPair()");
    const auto& bought_from_pool = cached_event_topic("SwapNFTOutPair()");
    filter.topics = {{spot_update, delta_update, fee_update, sold_to_pool, bought_from_pool}};
    filter.from_block = from_block;
    filter.to_block = to_block;
    auto logs = eth::get_logs(client, filter);
    if (!logs) return std::unexpected(logs.error());
    std::erase_if(*logs, [&](const eth::Log& log) { return log.block_number < by_address.at(log.address)->known_from; });

    // NFTs moved per (transaction, pair), and the blocks whose time we need.
    std::set<std::uint64_t> swap_blocks;
    for (const auto& log : *logs)
        if (log.topics[0] == sold_to_pool || log.topics[0] == bought_from_pool) swap_blocks.insert(log.block_number);
    const auto apply_update = [&](PairInfo& pair, const eth::Log& log) {
        auto value = outputs({true, log.data}, "(uint256)");
        if (!value) return;
        if (log.topics[0] == spot_update) pair.spot_price = u256((*value)[0]);
        if (log.topics[0] == delta_update) pair.delta = u256((*value)[0]);
        if (log.topics[0] == fee_update) pair.fee = u256((*value)[0]);
    };
    if (swap_blocks.empty()) {
        for (const auto& log : *logs) apply_update(*by_address.at(log.address), log);
        return {};
    }
    eth::LogFilter transfers;
    transfers.addresses.assign(collections.begin(), collections.end());
    transfers.topics = {{cached_event_topic("Transfer(address,address,uint256)")}};
    transfers.from_block = *swap_blocks.begin();
    transfers.to_block = *swap_blocks.rbegin();
    auto moved = eth::get_logs(client, transfers);
    if (!moved) return std::unexpected(moved.error());
    // NFTs to or from the pair; a TOKEN pool forwards what it buys straight to
    // its owner, so failing that, the collection's transfers in a transaction
    // that swapped with this one pair of it.
    std::map<std::pair<wallet::TxHash, Address>, std::uint32_t> nfts_moved;
    std::map<std::pair<wallet::TxHash, Address>, std::uint32_t> collection_moved;
    for (const auto& log : *moved) {
        if (log.topics.size() != 4) continue;  // an ERC-20 Transfer
        ++collection_moved[{log.transaction_hash, log.address}];
        for (const auto& side : {address_of_topic(log.topics[1]), address_of_topic(log.topics[2])})
            if (by_address.contains(side)) ++nfts_moved[{log.transaction_hash, side}];
    }
    std::map<std::pair<wallet::TxHash, Address>, std::set<Address>> pairs_swapped;
    for (const auto& log : *logs)
        if (log.topics[0] == sold_to_pool || log.topics[0] == bought_from_pool)
            pairs_swapped[{log.transaction_hash, by_address.at(log.address)->collection}].insert(log.address);
    const auto count_of = [&](const wallet::TxHash& transaction, const PairInfo& pair) -> std::uint32_t {
        if (auto direct = nfts_moved.find({transaction, pair.pair}); direct != nfts_moved.end()) return direct->second;
        if (pairs_swapped[{transaction, pair.collection}].size() != 1) return 0;
        auto all = collection_moved.find({transaction, pair.collection});
        return all == collection_moved.end() ? 0 : all->second;
    };
    auto times = timestamps_of(client, swap_blocks);
    if (!times) return std::unexpected(times.error());

    // Replay in chain order. A swap's price comes from the parameters before
    // its transaction's own updates (v1 emits them before the swap event).
    std::map<Address, std::pair<wallet::TxHash, PairInfo>> before;
    for (const auto& log : *logs) {
        auto* pair = by_address.at(log.address);
        auto& [transaction, start] = before[pair->pair];
        if (!(transaction == log.transaction_hash)) {
            transaction = log.transaction_hash;
            start = *pair;
        }
        const bool sold = log.topics[0] == sold_to_pool;
        if (sold || log.topics[0] == bought_from_pool) {
            const std::uint32_t count = count_of(log.transaction_hash, *pair);
            if (pair->curve && count > 0 && log.block_number > pair->created_block) {
                const auto quote = sold ? positions::sell_quote(*pair->curve, start.spot_price, start.delta, count, start.fee, m_state.protocol_fee_multiplier)
                                        : positions::buy_quote(*pair->curve, start.spot_price, start.delta, count, start.fee, m_state.protocol_fee_multiplier);
                if (quote.error == 0)
                    m_state.trades.push_back({pair->collection, pair->pair, log.block_number, times->at(log.block_number), log.transaction_hash,
                                              count, quote.amount / U256(count), sold,
                                              sold ? quote.amount + quote.protocol_fee : quote.amount - quote.protocol_fee});
            }
            start = *pair;  // a second swap in the same transaction starts from here
            continue;
        }
        apply_update(*pair, log);
    }
    return {};
}

}  // namespace nftterm::protocols::pricing
