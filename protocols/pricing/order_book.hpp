#pragma once

#include <protocols/eth/rpc/rpc_client.hpp>
#include <protocols/positions/curve_math.hpp>
#include <protocols/positions/registry.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace nftterm::protocols::pricing {

/// sudoswap v1's PoolType: TOKEN pools only buy, NFT pools only sell, TRADE pools do both.
enum class PoolType : std::uint8_t { Token = 0, Nft = 1, Trade = 2 };

/// One pair of a collection as one block shows it.
struct PoolState {
    wallet::Address pair;
    positions::Curve curve = positions::Curve::Linear;
    PoolType type = PoolType::Trade;
    wallet::U256 spot_price;
    wallet::U256 delta;
    wallet::U256 fee;
    /// ETH it holds (what its bids can pay) and NFTs of the collection it holds (what its asks can sell).
    wallet::U256 eth_balance;
    std::uint64_t nft_count = 0;
    /// Who may reprice it and withdraw from it.
    wallet::Address owner;

    bool asks() const { return type != PoolType::Token && nft_count > 0; }
    bool bids() const { return type != PoolType::Nft; }
    /// The ETH buying `count` NFTs from it costs, fees in, as its getBuyNFTQuote answers; nullopt past what it holds.
    std::optional<positions::CurveQuote> buy(std::uint64_t count, const wallet::U256& protocol_fee_multiplier) const;
    /// What selling `count` NFTs into it pays, as getSellNFTQuote answers; nullopt past what its ETH can pay.
    std::optional<positions::CurveQuote> sell(std::uint64_t count, const wallet::U256& protocol_fee_multiplier) const;
};

/// Every pool of a collection at one block (the pairs a market watch's tape found).
struct CollectionPools {
    wallet::Address collection;
    std::uint64_t block = 0;
    std::uint64_t timestamp = 0;
    wallet::U256 protocol_fee_multiplier;
    std::vector<PoolState> pools;
};

/// Finds the collection's pairs from the factory's events (since the
/// registry's start block) and reads each at the head in one Multicall3 batch.
Result<CollectionPools> read_collection_pools(eth::RpcClient& client, const positions::Registry& registry, const wallet::Address& collection);

class MarketWatch;

/// read_collection_pools again and again: the factory's events are scanned
/// only from where the last read stopped (a window refreshing its depth
/// chart every block). Not thread-safe: one caller.
class BookReader {
public:
    explicit BookReader(positions::Registry registry);
    ~BookReader();
    Result<CollectionPools> read(eth::RpcClient& client, const wallet::Address& collection);

private:
    /// Per collection: its pairs' tape, and the first block not scanned yet.
    struct Watched {
        std::unique_ptr<MarketWatch> watch;
        std::uint64_t next_block = 0;
    };
    positions::Registry m_registry;
    std::map<wallet::Address, Watched> m_watched;
};

/// One NFT's price in the merged book.
struct BookLevel {
    wallet::U256 price;
    wallet::Address pair;
    /// Counted over the book so far: NFTs and what they cost (asks) or pay (bids).
    std::uint64_t cumulative_count = 0;
    wallet::U256 cumulative_cost;
};

struct OrderBook {
    wallet::Address collection;
    std::uint64_t block = 0;
    /// Cheapest first: each pool's next price after the fills above it.
    std::vector<BookLevel> asks;
    /// Best first, while the pool's ETH can pay.
    std::vector<BookLevel> bids;
};

/// The pools' ladders merged, `depth` levels a side at most: one NFT a level,
/// each taken from the pool best after the levels above (curves move).
OrderBook build_book(const CollectionPools& pools, std::size_t depth);

}  // namespace nftterm::protocols::pricing
