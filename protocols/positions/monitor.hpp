#pragma once

#include <protocols/positions/adapter.hpp>

#include <memory>
#include <vector>

namespace nftterm::protocols::positions {

/// Every position of the watched accounts as one block shows them. Immutable once made.
struct Snapshot {
    eth::BlockHeader block;
    std::vector<Position> positions;
    /// What the refresh cost: HTTP requests (one per refresh, two if the batch had to split) and reads.
    std::size_t http_requests = 0;
    std::size_t reads = 0;
};

/// Finds the accounts' positions, then refreshes them all with one
/// Multicall3 read pinned to the head block. Not thread-safe: one caller.
class Monitor {
public:
    Monitor(eth::RpcClient& client, Registry registry, std::vector<wallet::Address> accounts);

    /// Scans the protocols' events from where the last scan stopped (the
    /// registry's start block at first) up to the head.
    Result<void> discover();
    /// One refresh: one read of every position at the head block.
    Result<std::shared_ptr<const Snapshot>> refresh();

    std::size_t position_count() const;
    /// Every read one refresh makes, in order (for benchmarks and diagnostics).
    std::vector<eth::ReadCall> plan() const;

private:
    eth::RpcClient& m_client;
    Registry m_registry;
    std::vector<wallet::Address> m_accounts;
    std::vector<std::unique_ptr<Adapter>> m_adapters;
    /// Per adapter, the keys found so far.
    std::vector<std::vector<PositionKey>> m_keys;
    std::uint64_t m_next_block = 0;
    bool m_contracts_checked = false;
};

}  // namespace nftterm::protocols::positions
