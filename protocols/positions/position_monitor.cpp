#include "position_monitor.hpp"

#include <protocols/eth/rpc/eth_api.hpp>

namespace nftterm::protocols::positions {
namespace {

class NodeMonitor final : public PositionMonitor {
public:
    NodeMonitor(eth::RpcClientOptions node, Registry registry, std::vector<wallet::Address> accounts)
        : m_client(node), m_registry(std::move(registry)), m_monitor(std::make_unique<Monitor>(m_client, m_registry, std::move(accounts))),
          m_second(std::move(node), m_registry.chain_id)
    {
    }

    Result<std::uint64_t> head_number() override { return eth::block_number(m_client); }

    Result<std::string> chain_key() override
    {
        auto genesis = eth::get_block(m_client, eth::BlockTag::number(0));
        if (!genesis) return std::unexpected(genesis.error());
        return std::to_string(m_registry.chain_id) + ":" + genesis->hash.to_hex();
    }

    Result<void> discover() override { return m_monitor->discover(); }
    Result<std::shared_ptr<const Snapshot>> refresh() override { return m_monitor->refresh(); }
    bool has_second_opinion() const override { return m_second.available(); }
    Result<Witness> second_opinion(const Snapshot& snapshot) override { return m_second.read(*m_monitor, snapshot, m_client.active_endpoint()); }

    void set_accounts(std::vector<wallet::Address> accounts) override
    {
        m_monitor = std::make_unique<Monitor>(m_client, m_registry, std::move(accounts));
        m_monitor->on_discovery_progress(m_progress);
    }

    Result<void> save_state(const std::filesystem::path& file) const override { return m_monitor->save_state(file); }
    Result<bool> load_state(const std::filesystem::path& file) override { return m_monitor->load_state(file); }
    void on_discovery_progress(std::function<void(const DiscoveryProgress&)> progress) override
    {
        m_progress = progress;
        m_monitor->on_discovery_progress(std::move(progress));
    }

private:
    eth::RpcClient m_client;
    Registry m_registry;
    std::unique_ptr<Monitor> m_monitor;
    SecondOpinion m_second;
    std::function<void(const DiscoveryProgress&)> m_progress;
};

}  // namespace

std::unique_ptr<PositionMonitor> make_node_monitor(eth::RpcClientOptions node, Registry registry, std::vector<wallet::Address> accounts)
{
    return std::make_unique<NodeMonitor>(std::move(node), std::move(registry), std::move(accounts));
}

}  // namespace nftterm::protocols::positions
