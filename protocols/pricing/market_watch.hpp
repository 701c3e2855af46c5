#pragma once

#include <protocols/eth/multicall.hpp>
#include <protocols/positions/registry.hpp>
#include <protocols/pricing/collection_prices.hpp>
#include <protocols/pricing/trade_tape.hpp>

#include <memory>
#include <set>
#include <span>

namespace nftterm::protocols::pricing {

/// The window of the trade-history figures.
inline constexpr std::uint64_t kTradeWindowSeconds = 24 * 3600;
/// A trade figure whose last trade is older than this is stale.
inline constexpr std::uint64_t kTradeStaleSeconds = 6 * 3600;
/// Chainlink's NFT floor feeds report at least daily: older answers are stale.
inline constexpr std::uint64_t kFeedHeartbeatSeconds = 24 * 3600;

/// Collection prices from every source the registry names, read in the
/// monitor's own Multicall3 batch: the push oracle, a Chainlink-style feed,
/// every pool's bid (best bid and exit value), and the trade tape.
class MarketWatch {
public:
    explicit MarketWatch(const positions::Registry& registry);

    /// Extends the trade tape (pairs and trades) over [from_block, to_block].
    Result<void> scan(eth::RpcClient& client, const std::set<wallet::Address>& collections, std::uint64_t from_block,
                      std::uint64_t to_block);

    /// The reads that price `collections` at one block.
    std::vector<eth::ReadCall> plan(const std::vector<wallet::Address>& collections) const;
    /// The plan's results, in its order.
    std::vector<CollectionPrices> decode(const std::vector<wallet::Address>& collections, std::span<const eth::ReadResult> results,
                                         const eth::BlockHeader& block) const;

    /// Null when the registry has no pair factory.
    const TradeTape* tape() const { return m_tape.get(); }
    TradeTape* tape() { return m_tape.get(); }

private:
    std::vector<const PairInfo*> pairs_of(const wallet::Address& collection) const;

    positions::Registry m_registry;
    std::optional<wallet::Address> m_oracle;
    std::optional<wallet::Address> m_factory;
    std::unique_ptr<TradeTape> m_tape;
};

}  // namespace nftterm::protocols::pricing
