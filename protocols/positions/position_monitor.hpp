#pragma once

#include <protocols/eth/rpc/rpc_client.hpp>
#include <protocols/positions/monitor.hpp>
#include <protocols/positions/second_opinion.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace nftterm::protocols::positions {

/// What the terminal asks of a position monitor, block after block: the
/// seam between the window's worker and the chain (as Bitcoin Core's GUI
/// sees its node through src/interfaces). The real one talks to a node;
/// tests of the bridge, the alerts and the window can script one that
/// needs none. Value parameters and results; not thread-safe: one caller.
class PositionMonitor {
public:
    virtual ~PositionMonitor() = default;

    /// The head's number (one cheap request): a refresh runs only when it moved.
    virtual Result<std::uint64_t> head_number() = 0;
    /// "CHAIN_ID:GENESIS_HASH": which chain this is, so that a fresh devnet's
    /// history is never drawn on top of the last one's.
    virtual Result<std::string> chain_key() = 0;
    /// Scans for new positions up to the head.
    virtual Result<void> discover() = 0;
    /// Every position at the head block.
    virtual Result<std::shared_ptr<const Snapshot>> refresh() = 0;
    /// Several endpoints are configured: second_opinion can be asked.
    virtual bool has_second_opinion() const { return false; }
    /// The last refresh's block read again through another endpoint (see SecondOpinion).
    virtual Result<Witness> second_opinion(const Snapshot&) { return fail(Errc::Config, "only one endpoint is configured: nothing can confirm it"); }
    /// Watches these accounts from the next discover on (discovery starts over).
    virtual void set_accounts(std::vector<wallet::Address> accounts) = 0;
    /// Remembers discovery between runs (see Monitor::save_state / load_state).
    virtual Result<void> save_state(const std::filesystem::path& file) const = 0;
    virtual Result<bool> load_state(const std::filesystem::path& file) = 0;
    /// Called after each window of a discovery scan (see Monitor::on_discovery_progress).
    virtual void on_discovery_progress(std::function<void(const DiscoveryProgress&)>) {}
};

/// The monitor of a node: its own RpcClient (from `node`) and a Monitor.
std::unique_ptr<PositionMonitor> make_node_monitor(eth::RpcClientOptions node, Registry registry, std::vector<wallet::Address> accounts);

}  // namespace nftterm::protocols::positions
