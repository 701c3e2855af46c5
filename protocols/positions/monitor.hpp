#pragma once

#include <protocols/positions/adapter.hpp>
#include <protocols/pricing/market_watch.hpp>
#include <protocols/pricing/pool_ledger.hpp>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <memory>
#include <vector>

namespace nftterm::protocols::positions {

/// Every position of the watched accounts as one block shows them. Immutable once made.
struct Snapshot {
    eth::BlockHeader block;
    std::vector<Position> positions;
    /// Every price source for each collection the positions hold.
    std::vector<pricing::CollectionPrices> prices;
    /// Watched positions the reads show are over, and how, where the
    /// contract says (a pool loan Repaid or Defaulted). Not in `positions`.
    std::vector<std::pair<PositionKey, PositionEnd>> ended;
    /// What the refresh cost: HTTP requests (one per refresh, the head with
    /// the reads; more when the reads pass one request's size, a chunk ran
    /// out of call gas or a block landed meanwhile), reads, and aggregate3
    /// chunks (eth_calls).
    std::size_t http_requests = 0;
    std::size_t reads = 0;
    std::size_t chunks = 0;
};

/// How far a discovery scan has come, after each window of blocks.
struct DiscoveryProgress {
    /// The scan's first block, the last one scanned so far and the head it scans to.
    std::uint64_t first_block = 0;
    std::uint64_t scanned_to = 0;
    std::uint64_t head = 0;
    /// More than one window: worth showing to the user.
    bool long_scan = false;
    /// eth_getLogs requests sent through the client so far, and how many a provider refused as too big.
    eth::LogScanCount logs;
};

/// Finds the accounts' positions, then refreshes them all with one
/// Multicall3 read pinned to the head block. Not thread-safe: one caller.
class Monitor {
public:
    Monitor(eth::RpcClient& client, Registry registry, std::vector<wallet::Address> accounts);

    /// Scans the protocols' events from where the last scan stopped (the
    /// registry's start block at first) up to the head, a window of blocks
    /// at a time: after each window the scan may be saved (save_state) and
    /// a failure leaves it at the last whole window, to go on from there.
    Result<void> discover();
    /// Blocks per discovery window (default kDiscoveryWindow).
    void set_discovery_window(std::uint64_t blocks) { m_window = blocks ? blocks : 1; }
    /// Called after each window (on the caller's thread).
    void on_discovery_progress(std::function<void(const DiscoveryProgress&)> progress) { m_progress = std::move(progress); }
    /// A first scan starts no earlier than `block` (an account's first
    /// activity); a scan already past it is left alone.
    void start_no_earlier_than(std::uint64_t block) { m_next_block = std::max(m_next_block, block); }
    /// The first block the next scan reads.
    std::uint64_t next_block() const { return m_next_block; }
    static constexpr std::uint64_t kDiscoveryWindow = 500'000;
    /// One refresh: one read of every position at the head block.
    Result<std::shared_ptr<const Snapshot>> refresh();
    /// The reads of the last refresh sent through `other` (another endpoint)
    /// at `block`'s number: a second opinion of the same height. By number,
    /// not hash: a node on another fork answers for its own block there, and
    /// that is the disagreement to find. It fails when `other` is behind.
    Result<std::shared_ptr<const Snapshot>> read_at(eth::RpcClient& other, const eth::BlockHeader& block);

    /// Saves what discovery has found (the positions' keys, the trade tape,
    /// the block the scan stopped at and its hash), atomically, so that a
    /// restart goes on from there instead of rescanning.
    Result<void> save_state(const std::filesystem::path& file) const;
    /// Loads a saved state. False, and nothing changes, when there is none
    /// or it is for another chain, registry or set of accounts, or the chain
    /// no longer has the block it stopped at (a reorg, a fresh devnet).
    /// A file that is not a saved state is an error (and is left alone).
    Result<bool> load_state(const std::filesystem::path& file);

    std::size_t position_count() const;
    /// The collections priced in each refresh.
    const std::vector<wallet::Address>& collections() const { return m_collections; }
    const pricing::MarketWatch& market() const { return m_market; }
    /// Every read one refresh makes, in order (for benchmarks and diagnostics).
    std::vector<eth::ReadCall> plan();
    /// The same reads as the next refresh sends them: cut into chunks, encoded.
    const eth::PreparedReads& prepared_reads() { return refresh_plan().reads; }

private:
    /// m_collections from the keys and the registry.
    void update_collections();
    /// One window of discovery: the adapters' events, the pools' ledgers and the trade tape over blocks [from, to].
    /// All of it or, on failure, nothing (the state before it is put back).
    Result<void> discover_window(std::uint64_t from, std::uint64_t to);
    Result<void> scan_window(std::uint64_t from, std::uint64_t to);

    /// One refresh's reads, encoded once and kept while the keys, the
    /// collections and the pools stay the same. Every read is in one
    /// ReadPlan under a slot (a call the market and an adapter both make
    /// goes out once); each adapter's decoder and the market fetch their
    /// results by slot.
    struct RefreshPlan {
        ReadPlan slots;
        eth::PreparedReads reads;
        std::vector<PositionDecoder> decoders;
        std::vector<ReadSlot> market_reads;
    };
    const RefreshPlan& refresh_plan();
    /// The positions and prices of one block from the plan's results.
    std::shared_ptr<Snapshot> decode(const RefreshPlan& plan, const std::vector<eth::ReadResult>& results, const eth::BlockHeader& block) const;
    /// AMM pools' trading P&L from their ledgers (pools that keep their own proceeds).
    void set_pool_pnl(std::vector<Position>& positions) const;
    /// A pool's trading P&L from the tape's trades of it (its cash side, the NFTs it gained at the position's price).
    std::optional<SignedWad> traded_pnl(const Position& position) const;
    std::optional<RefreshPlan> m_plan;
    /// Calls per aggregate3 chunk that fit the node's call gas, learned from
    /// the first refresh whose chunk ran out (then halved and asked again);
    /// the plans after it are cut this small, so a refresh is one round trip
    /// again. Unset: MulticallOptions' default.
    std::optional<std::size_t> m_calls_per_chunk;

    eth::RpcClient& m_client;
    Registry m_registry;
    std::vector<wallet::Address> m_accounts;
    std::vector<std::unique_ptr<Adapter>> m_adapters;
    /// Per adapter, the keys found so far.
    std::vector<std::vector<PositionKey>> m_keys;
    pricing::MarketWatch m_market;
    /// What the accounts' AMM pools were given and gave back outside their trades.
    pricing::PoolLedgers m_ledgers;
    std::vector<wallet::Address> m_collections;
    std::uint64_t m_next_block = 0;
    /// The hash of block m_next_block - 1, once scanned.
    wallet::BlockHash m_scanned_hash;
    bool m_contracts_checked = false;
    std::uint64_t m_window = kDiscoveryWindow;
    std::function<void(const DiscoveryProgress&)> m_progress;
};

}  // namespace nftterm::protocols::positions
