#include "pool_ledger.hpp"

#include <protocols/eth/rpc/eth_api.hpp>
#include <protocols/positions/fixed_point.hpp>
#include <protocols/positions/read_helpers.hpp>

#include <set>

namespace nftterm::protocols::pricing {

using namespace positions::detail;
using wallet::Address;
using wallet::U256;

std::optional<positions::SignedWad> pool_trading_pnl(const PoolCapital& capital, const U256& eth_now, std::uint64_t nfts_now, const U256& price)
{
    namespace fixed = positions::fixed;
    const auto eth_put_in = fixed::sub(fixed::signed_of(capital.eth_in), fixed::signed_of(capital.eth_out));
    const auto cash = fixed::sub(fixed::signed_of(eth_now), eth_put_in);
    const auto nfts_put_in = fixed::sub(fixed::signed_of(U256(capital.nfts_in)), fixed::signed_of(U256(capital.nfts_out)));
    const auto inventory = fixed::sub(fixed::signed_of(U256(nfts_now)), nfts_put_in);
    return fixed::add(cash, positions::SignedWad{inventory.negative, inventory.magnitude * price});
}

Result<void> PoolLedgers::scan(eth::RpcClient& client, const std::vector<Pair>& pairs, std::uint64_t from_block, std::uint64_t to_block)
{
    if (pairs.empty() || from_block > to_block) return {};
    std::map<Address, Address> collection_of;
    std::set<Address> collections;
    eth::LogFilter events;
    for (const auto& pair : pairs) {
        collection_of[pair.pair] = pair.collection;
        collections.insert(pair.collection);
        events.addresses.push_back(pair.pair);
    }
    const auto& deposit = cached_event_topic("TokenDeposit(uint256)");
    const auto& withdrawal = cached_event_topic("TokenWithdrawal(uint256)");
    const auto& sold_to_pool = cached_event_topic("SwapNFTInPair()");
    const auto& bought_from_pool = cached_event_topic("SwapNFTOutPair()");
    events.topics = {{deposit, withdrawal, sold_to_pool, bought_from_pool}};
    events.from_block = from_block;
    events.to_block = to_block;
    auto logs = eth::get_logs(client, events);
    if (!logs) return std::unexpected(logs.error());
    // NFTs from and to the pairs: two queries, the pair as sender, then as receiver.
    std::vector<wallet::Hash32> pair_topics;
    for (const auto& pair : pairs) pair_topics.push_back(topic_of(pair.pair));
    std::vector<eth::Log> transfers;
    for (const bool pair_sends : {true, false}) {
        eth::LogFilter filter;
        filter.addresses.assign(collections.begin(), collections.end());
        filter.topics = pair_sends ? std::vector<std::vector<wallet::Hash32>>{{cached_event_topic("Transfer(address,address,uint256)")}, pair_topics}
                                   : std::vector<std::vector<wallet::Hash32>>{{cached_event_topic("Transfer(address,address,uint256)")}, {}, pair_topics};
        filter.from_block = from_block;
        filter.to_block = to_block;
        auto moved = eth::get_logs(client, filter);
        if (!moved) return std::unexpected(moved.error());
        transfers.insert(transfers.end(), moved->begin(), moved->end());
    }

    // All or nothing: the ranges stay consecutive only if a failed scan changes nothing.
    auto next = m_capital;
    for (const auto& pair : pairs)
        if (!next.contains(pair.pair)) next[pair.pair].since_block = from_block;
    std::set<std::pair<wallet::TxHash, Address>> swapped;
    for (const auto& log : *logs) {
        auto& capital = next[log.address];
        if (log.topics[0] == sold_to_pool || log.topics[0] == bought_from_pool) {
            if (swapped.insert({log.transaction_hash, log.address}).second) ++capital.swaps;
            continue;
        }
        auto amount = outputs({true, log.data}, "(uint256)");
        if (!amount) return fail(Errc::Decode, "a TokenDeposit/TokenWithdrawal of " + log.address.to_hex() + " has no amount");
        if (log.topics[0] == deposit) capital.eth_in = capital.eth_in + u256((*amount)[0]);
        else capital.eth_out = capital.eth_out + u256((*amount)[0]);
    }
    for (const auto& log : transfers) {
        if (log.topics.size() != 4) continue;  // an ERC-20 Transfer has no token id topic
        const Address from = address_of_topic(log.topics[1]);
        const Address to = address_of_topic(log.topics[2]);
        for (const auto& [pair, incoming] : {std::pair{to, true}, std::pair{from, false}}) {
            const auto collection = collection_of.find(pair);
            if (collection == collection_of.end() || collection->second != log.address) continue;
            auto& capital = next[pair];
            const bool swap = swapped.contains({log.transaction_hash, pair});
            if (swap) (incoming ? capital.nfts_bought : capital.nfts_sold) += 1;
            else (incoming ? capital.nfts_in : capital.nfts_out) += 1;
        }
    }
    m_capital = std::move(next);
    return {};
}

const PoolCapital* PoolLedgers::find(const Address& pair) const
{
    const auto found = m_capital.find(pair);
    return found == m_capital.end() ? nullptr : &found->second;
}

}  // namespace nftterm::protocols::pricing
