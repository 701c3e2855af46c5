#pragma once

#include <protocols/positions/curve_math.hpp>
#include <protocols/pricing/price_quote.hpp>
#include <protocols/pricing/trade_stats.hpp>

#include <optional>
#include <vector>

namespace nftterm::protocols::pricing {

/// One pool's bid side as one block shows it.
struct PoolBid {
    wallet::Address pair;
    positions::Curve curve = positions::Curve::Linear;
    wallet::U256 spot_price;
    wallet::U256 delta;
    wallet::U256 fee;
    /// ETH the pool holds: a bid it cannot pay is no bid.
    wallet::U256 balance;
};

/// Every price the terminal has for one collection at one block.
struct CollectionPrices {
    wallet::Address collection;
    std::optional<PriceQuote> oracle;      // the protocols' push oracle (NFTOracle)
    std::optional<PriceQuote> feed;        // a Chainlink-style floor feed
    std::optional<PriceQuote> best_bid;    // the best instant sell of one NFT into a pool
    std::optional<wallet::Address> best_bid_pair;
    std::optional<PriceQuote> trade_floor;
    std::optional<PriceQuote> trade_median;
    std::optional<PriceQuote> trade_twap;
    std::size_t trades = 0;
    std::size_t trades_rejected = 0;
    /// Pools that buy this collection (TOKEN and TRADE pairs with a known curve).
    std::vector<PoolBid> bids;
    wallet::U256 protocol_fee_multiplier;

    /// Ranks the pools by what one NFT fetches, best first, for exit_value,
    /// and sets best_bid_pair (call after the bids are set).
    void rank_bids();

    /// What selling `count` NFTs into the pools would fetch, each one into
    /// the best bid left (each sale moves that pool's curve and spends its
    /// ETH), leaving out `excluded` (a pool's own pair). nullopt when the
    /// pools cannot take them all.
    std::optional<wallet::U256> exit_value(std::uint64_t count, const std::optional<wallet::Address>& excluded = {}) const;

private:
    /// (what one NFT fetches, index in bids), best first; pools that cannot pay are left out.
    std::vector<std::pair<wallet::U256, std::size_t>> m_ranked;
};

}  // namespace nftterm::protocols::pricing
