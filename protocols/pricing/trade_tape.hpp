#pragma once

#include <protocols/eth/rpc/rpc_client.hpp>
#include <protocols/positions/curve_math.hpp>
#include <protocols/pricing/trade_stats.hpp>

#include <map>
#include <set>
#include <vector>

namespace nftterm::protocols::pricing {

/// One sudoswap v1 pair of a watched collection, as the tape tracks it.
struct PairInfo {
    wallet::Address pair;
    wallet::Address collection;
    wallet::Address curve_address;
    std::optional<positions::Curve> curve;
    std::uint64_t created_block = 0;
    /// Curve parameters as of the last scanned block.
    wallet::U256 spot_price;
    wallet::U256 delta;
    wallet::U256 fee;
    /// During a scan: this pair's events before this block are not replayed,
    /// because the node no longer had the state to read its parameters then
    /// (a pruned, non-archive node); its trades count from here. 0: all.
    std::uint64_t known_from = 0;
};

/// What a tape has found, to save and restore across restarts.
struct TapeState {
    std::vector<PairInfo> pairs;
    /// Pair → collection, for pairs of collections not watched (yet).
    std::map<wallet::Address, wallet::Address> other_pairs;
    std::vector<Trade> trades;
    wallet::U256 protocol_fee_multiplier;
    std::uint64_t scanned_to = 0;
};

/// The trades of sudoswap v1 pairs, rebuilt from the chain. v1's swap events
/// carry no amounts, so each trade is priced by replaying the pair's own
/// curve from its parameters before the swap (carried forward through
/// SpotPriceUpdate / DeltaUpdate / FeeUpdate) for the number of NFTs that
/// moved to or from the pair in that transaction (ERC-721 Transfer logs).
/// Scans are incremental: call with consecutive block ranges.
class TradeTape {
public:
    TradeTape(wallet::Address factory, std::map<wallet::Address, positions::Curve> curves);

    /// Pairs created and trades made in blocks [from_block, to_block], for
    /// pairs whose NFT is in `collections`. Pairs of other collections are
    /// remembered; when their collection is watched later they are tracked
    /// from then on.
    Result<void> scan(eth::RpcClient& client, const std::set<wallet::Address>& collections, std::uint64_t from_block,
                      std::uint64_t to_block);

    /// Pairs of the watched collections, in creation order.
    const std::vector<PairInfo>& pairs() const { return m_state.pairs; }
    /// Every trade found, in chain order.
    const std::vector<Trade>& trades() const { return m_state.trades; }
    std::vector<Trade> trades_of(const wallet::Address& collection) const;
    /// The last block scanned (0 before the first scan).
    std::uint64_t scanned_to() const { return m_state.scanned_to; }

    const TapeState& state() const { return m_state; }
    /// A saved state; the next scan goes on from its last block.
    void restore(TapeState state) { m_state = std::move(state); }

private:
    Result<void> add_pairs(eth::RpcClient& client, const std::set<wallet::Address>& collections, std::uint64_t from_block,
                           std::uint64_t to_block);
    Result<void> replay(eth::RpcClient& client, std::uint64_t from_block, std::uint64_t to_block);

    wallet::Address m_factory;
    std::map<wallet::Address, positions::Curve> m_curves;
    TapeState m_state;
};

}  // namespace nftterm::protocols::pricing
