#include "../support/demo_world_fixture.hpp"
#include "../support/fault_server.hpp"
#include "../support/position_farm.hpp"
#include "../support/verify_ok.hpp"

#include <protocols/eth/rpc/transport.hpp>
#include <protocols/positions/monitor.hpp>

#include <QTest>

using namespace nftterm;
using namespace nftterm::protocols;
using namespace nftterm::protocols::positions;

/// The request count of a refresh does not grow with the positions: HTTP
/// requests are counted by a forwarding proxy in front of anvil, for a dozen
/// positions and for a thousand.
class PositionsScaleTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        m_world = std::make_unique<tests::DemoWorldFixture>();
        QVERIFY2(m_world->ready(), m_world->error().c_str());
        m_registry = *registry_from_json(devnet::manifest_to_json(m_world->manifest()));
        m_proxy = std::make_unique<tests::FaultServer>([this](const std::string& body) {
            if (!m_upstream) m_upstream = eth::make_http_transport(m_anvil_url);
            auto answer = m_upstream->post(body);
            return answer ? answer->body : std::string("{}");
        });
    }

    void refreshCostsTheSameForTwelveAndForAThousandPositions()
    {
        m_anvil_url = m_world->url();
        auto small = tests::farm_positions(*m_world, 3);
        VERIFY_OK(small);
        auto large = tests::farm_positions(*m_world, 250);
        VERIFY_OK(large);
        const auto [small_requests, small_positions] = refresh_cost(small->accounts);
        const auto [large_requests, large_positions] = refresh_cost(large->accounts);
        QCOMPARE(small_positions, std::size_t(12));
        QCOMPARE(large_positions, std::size_t(1000));
        // The head block, then one JSON-RPC batch with every Multicall3 chunk.
        QCOMPARE(small_requests, 2);
        QCOMPARE(large_requests, small_requests);
    }

private:
    std::pair<int, std::size_t> refresh_cost(const std::vector<wallet::Address>& accounts)
    {
        eth::RpcClientOptions options;
        options.urls = {m_proxy->url()};
        eth::RpcClient client(options);
        Monitor monitor(client, m_registry, accounts);
        if (!monitor.discover()) return {-1, 0};
        const int before = m_proxy->requests();
        auto snapshot = monitor.refresh();
        if (!snapshot) return {-1, 0};
        std::size_t readable = 0;
        for (const auto& position : (*snapshot)->positions) readable += position.readable;
        return {m_proxy->requests() - before, readable};
    }

    std::unique_ptr<tests::DemoWorldFixture> m_world;
    Registry m_registry;
    std::string m_anvil_url;
    std::unique_ptr<eth::Transport> m_upstream;
    std::unique_ptr<tests::FaultServer> m_proxy;
};

QTEST_GUILESS_MAIN(PositionsScaleTest)
#include "positions_scale_test.moc"
