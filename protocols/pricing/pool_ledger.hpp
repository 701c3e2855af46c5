#pragma once

#include <protocols/eth/rpc/rpc_client.hpp>
#include <protocols/positions/position.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace nftterm::protocols::pricing {

/// What an owner put into one sudoswap v1 pair and took out of it, as
/// opposed to what its trades did. ETH moves in only through the pair's
/// receive() (creation and deposits: TokenDeposit) and out through
/// withdrawETH (TokenWithdrawal) besides swaps; NFTs move in and out
/// outside swaps (creation, depositNFTs, withdrawERC721) in transactions
/// without a swap event of the pair.
struct PoolCapital {
    wallet::U256 eth_in, eth_out;
    std::uint64_t nfts_in = 0, nfts_out = 0;
    /// NFTs the pair took in and gave out in its swaps, and in how many swap transactions.
    std::uint64_t nfts_bought = 0, nfts_sold = 0, swaps = 0;
    std::uint64_t since_block = 0;  // the first block scanned for it
};

/// A pool's result from trading, against having held what was put in: its
/// ETH and NFTs now less the ETH and NFTs deposited net of withdrawals, the
/// NFTs at `price` (the valuation the position uses). Exact to the wei in
/// ETH; only for a pair that keeps its proceeds (the pair's balances do not
/// see what goes to another asset recipient).
std::optional<positions::SignedWad> pool_trading_pnl(const PoolCapital& capital, const wallet::U256& eth_now, std::uint64_t nfts_now, const wallet::U256& price);

/// The capital flows of the pairs it is asked about, scanned incrementally
/// over consecutive block ranges (three log queries per range).
class PoolLedgers {
public:
    struct Pair {
        wallet::Address pair;
        wallet::Address collection;
    };
    /// Blocks [from_block, to_block] for `pairs`; a pair first seen here is
    /// tracked from `from_block` (call with the range its creation is in).
    Result<void> scan(eth::RpcClient& client, const std::vector<Pair>& pairs, std::uint64_t from_block, std::uint64_t to_block);
    const PoolCapital* find(const wallet::Address& pair) const;

    const std::map<wallet::Address, PoolCapital>& state() const { return m_capital; }
    void restore(std::map<wallet::Address, PoolCapital> state) { m_capital = std::move(state); }

private:
    std::map<wallet::Address, PoolCapital> m_capital;
};

}  // namespace nftterm::protocols::pricing
