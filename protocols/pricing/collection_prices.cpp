#include "collection_prices.hpp"

#include <algorithm>
#include <map>

namespace nftterm::protocols::pricing {

using wallet::U256;

namespace {

/// What one more NFT fetches in `pool`, if it can pay.
std::optional<positions::CurveQuote> next_sale(const PoolBid& pool, const U256& protocol_fee_multiplier)
{
    const auto quote = positions::sell_quote(pool.curve, pool.spot_price, pool.delta, 1, pool.fee, protocol_fee_multiplier);
    // The pool pays the seller and the protocol fee from its ETH.
    if (quote.error != 0 || quote.amount.is_zero() || pool.balance < quote.amount + quote.protocol_fee) return std::nullopt;
    return quote;
}

}  // namespace

void CollectionPrices::rank_bids()
{
    m_ranked.clear();
    for (std::size_t i = 0; i < bids.size(); ++i)
        if (auto quote = next_sale(bids[i], protocol_fee_multiplier)) m_ranked.emplace_back(quote->amount, i);
    std::stable_sort(m_ranked.begin(), m_ranked.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    best_bid_pair = m_ranked.empty() ? std::nullopt : std::optional(bids[m_ranked.front().second].pair);
}

std::optional<U256> CollectionPrices::exit_value(std::uint64_t count, const std::optional<wallet::Address>& excluded) const
{
    // Greedy: each NFT into the best bid left. Pools not yet sold into keep
    // their ranked first quote; the ones sold into are re-quoted as they move.
    std::map<std::size_t, PoolBid> moved;
    std::size_t next = 0;  // the best untouched pool in m_ranked
    U256 total;
    for (std::uint64_t sold = 0; sold < count; ++sold) {
        while (next < m_ranked.size() && (moved.contains(m_ranked[next].second) || (excluded && bids[m_ranked[next].second].pair == *excluded))) ++next;
        std::optional<std::size_t> best;
        std::optional<positions::CurveQuote> best_quote;
        if (next < m_ranked.size()) {
            best = m_ranked[next].second;
            best_quote = next_sale(bids[*best], protocol_fee_multiplier);
        }
        for (const auto& [index, pool] : moved) {
            auto quote = next_sale(pool, protocol_fee_multiplier);
            if (quote && (!best_quote || quote->amount > best_quote->amount)) {
                best = index;
                best_quote = quote;
            }
        }
        if (!best_quote) return std::nullopt;
        total = total + best_quote->amount;
        auto [slot, added] = moved.try_emplace(*best, bids[*best]);
        PoolBid& pool = slot->second;
        pool.balance = pool.balance - (best_quote->amount + best_quote->protocol_fee);
        pool.spot_price = best_quote->new_spot_price;
        pool.delta = best_quote->new_delta;
    }
    return total;
}

}  // namespace nftterm::protocols::pricing
