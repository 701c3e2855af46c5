#include "../support/demo_world_fixture.hpp"
#include "../support/forwarding_proxy.hpp"
#include "../support/position_farm.hpp"
#include "../support/verify_ok.hpp"

#include <protocols/eth/rpc/transport.hpp>
#include <protocols/positions/monitor.hpp>

#include <QTest>

#include "../support/test_registry.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <mutex>
#include <sys/stat.h>
#include <unistd.h>

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
        m_registry = m_world->registry();
        m_proxy = tests::forwarding_proxy(m_world->url(), [this](const std::string& body) { remember_log_scans(body); });
    }

    void refreshCostsTheSameForTwelveAndForAThousandPositions()
    {
        auto small = tests::farm_positions(*m_world, 3);
        VERIFY_OK(small);
        auto large = tests::farm_positions(*m_world, 250);
        VERIFY_OK(large);
        const auto [small_requests, small_positions] = refresh_cost(small->accounts);
        const auto [large_requests, large_positions] = refresh_cost(large->accounts);
        QCOMPARE(small_positions, std::size_t(12));
        QCOMPARE(large_positions, std::size_t(1000));
        // One JSON-RPC batch: the head block beside every Multicall3 chunk.
        QCOMPARE(small_requests, 1);
        QCOMPARE(large_requests, small_requests);
    }

    void aRestartGoesOnFromTheSavedState()
    {
        const auto dir = std::filesystem::temp_directory_path() / ("nftterm-state-test-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir);
        const auto file = dir / "discovery.json";
        eth::RpcClientOptions options;
        options.urls = {m_proxy->url()};
        eth::RpcClient client(options);
        const std::vector<wallet::Address> traders = {m_world->address_of("alice"), m_world->address_of("bob"), m_world->address_of("carol")};

        m_world->snapshot();
        m_world->advance(5);  // a block the revert below takes away
        Monitor first(client, m_registry, traders);
        VERIFY_OK(first.discover());
        VERIFY_OK(first.save_state(file));
        struct stat info{};
        QCOMPARE(::stat(file.c_str(), &info), 0);
        QCOMPARE(info.st_mode & 0777, 0600u);
        const auto scanned_to = eth::block_number(client);
        VERIFY_OK(scanned_to);
        auto expected = first.refresh();
        VERIFY_OK(expected);

        // The restart: every key and the trade tape come from the file; the scan starts after the saved block.
        Monitor second(client, m_registry, traders);
        auto loaded = second.load_state(file);
        VERIFY_OK(loaded);
        QVERIFY(*loaded);
        QCOMPARE(second.position_count(), first.position_count());
        QCOMPARE(second.market().tape()->trades().size(), first.market().tape()->trades().size());
        clear_log_scans();
        m_world->advance(12);
        VERIFY_OK(second.discover());
        // The new blocks were scanned (so the check below looks at something), and only they.
        const auto scans = log_scans();
        QVERIFY2(!scans.empty(), "the restarted monitor scanned no logs at all");
        for (auto from : scans) QVERIFY2(from > *scanned_to, "a restart rescanned blocks it had seen");
        auto again = second.refresh();
        VERIFY_OK(again);
        QVERIFY(!(*expected)->positions.empty());
        QCOMPARE((*again)->positions.size(), (*expected)->positions.size());
        for (std::size_t i = 0; i < (*again)->positions.size(); ++i)
            QCOMPARE((*again)->positions[i].key.id(), (*expected)->positions[i].key.id());

        // Another set of accounts does not use it; neither does a chain that no longer has the saved block.
        Monitor alice_only(client, m_registry, {m_world->address_of("alice")});
        QCOMPARE(*alice_only.load_state(file), false);
        m_world->revert();
        for (int i = 0; i < 3; ++i) m_world->advance(7);
        Monitor after_reorg(client, m_registry, traders);
        auto reorged = after_reorg.load_state(file);
        VERIFY_OK(reorged);
        QCOMPARE(*reorged, false);
        QCOMPARE(after_reorg.position_count(), std::size_t(0));

        // A file that is not a saved state is reported and left as it was.
        const auto garbage = dir / "garbage.json";
        std::ofstream(garbage) << "{\"version\": 1, \"scope\": ";
        Monitor third(client, m_registry, traders);
        auto bad = third.load_state(garbage);
        QVERIFY(!bad);
        QVERIFY(bad.error().message().find("not readable") != std::string::npos);
        QCOMPARE(std::filesystem::file_size(garbage), std::uintmax_t(24));
        std::filesystem::remove_all(dir);
    }

private:
    void remember_log_scans(const std::string& body)
    {
        if (body.find("eth_getLogs") == std::string::npos) return;
        const auto request = nlohmann::json::parse(body, nullptr, false);
        const auto note = [&](const nlohmann::json& call) {
            if (call.value("method", "") != "eth_getLogs") return;
            const auto from = call["params"][0].value("fromBlock", std::string("0x0"));
            std::lock_guard lock(m_mutex);
            m_log_scans.push_back(std::stoull(from, nullptr, 16));
        };
        if (request.is_array())
            for (const auto& call : request) note(call);
        else if (request.is_object())
            note(request);
    }
    void clear_log_scans()
    {
        std::lock_guard lock(m_mutex);
        m_log_scans.clear();
    }
    std::vector<std::uint64_t> log_scans()
    {
        std::lock_guard lock(m_mutex);
        return m_log_scans;
    }

    std::pair<int, std::size_t> refresh_cost(const std::vector<wallet::Address>& accounts)
    {
        eth::RpcClientOptions options;
        options.urls = {m_proxy->url()};
        eth::RpcClient client(options);
        Monitor monitor(client, m_registry, accounts);
        if (auto found = monitor.discover(); !found) {
            qWarning("discover: %s", found.error().message().c_str());
            return {-1, 0};
        }
        const int before = m_proxy->requests();
        auto snapshot = monitor.refresh();
        if (!snapshot) {
            qWarning("refresh: %s", snapshot.error().message().c_str());
            return {-1, 0};
        }
        std::size_t readable = 0;
        for (const auto& position : (*snapshot)->positions) readable += position.readable;
        return {m_proxy->requests() - before, readable};
    }

    std::unique_ptr<tests::DemoWorldFixture> m_world;
    Registry m_registry;
    std::unique_ptr<tests::FaultServer> m_proxy;
    std::mutex m_mutex;
    std::vector<std::uint64_t> m_log_scans;
};

NFTTERM_TEST_GUILESS(PositionsScaleTest)
#include "positions_scale_test.moc"
