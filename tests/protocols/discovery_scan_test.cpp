#include "../support/demo_world_fixture.hpp"
#include "../support/forwarding_proxy.hpp"
#include "../support/rpc_options.hpp"
#include "../support/verify_ok.hpp"

#include <protocols/eth/first_activity.hpp>
#include <protocols/eth/rpc/eth_api.hpp>
#include <protocols/eth/rpc/log_refusal.hpp>
#include <protocols/positions/monitor.hpp>

#include <QElapsedTimer>
#include <QTest>

#include "../support/test_registry.hpp"

#include <atomic>
#include <set>
#include <unistd.h>

using namespace nftterm;
using namespace nftterm::protocols;
using namespace nftterm::protocols::positions;
using wallet::Address;
using wallet::U256;
using nlohmann::json;

namespace {

std::string q(const Address& address)
{
    return "\"" + address.to_hex() + "\"";
}

/// The message of a provider's refusal, as their nodes send it.
Error rpc_error(long long code, std::string message)
{
    Error error{Errc::Rpc, "eth_getLogs", std::nullopt, RpcErrorDetail{code, std::move(message), ""}};
    return error;
}

std::uint64_t block_of(const json& quantity)
{
    return std::stoull(quantity.get<std::string>().substr(2), nullptr, 16);
}

/// A node in front of anvil that refuses eth_getLogs as a big provider does:
/// ranges over `max_blocks`, answers over `max_results`; or, after
/// `fail_after` requests, one request with an error that is not a refusal.
struct LimitingProxy {
    std::uint64_t max_blocks = 0;
    std::size_t max_results = 0;
    std::string range_message;  // "" : QuickNode's, which states the limit
    int fail_after = -1;
    std::atomic<int> get_logs{0};
    std::atomic<int> refused{0};
    std::unique_ptr<tests::FaultServer> server;

    void start(const std::string& upstream)
    {
        auto forward = std::make_shared<std::unique_ptr<eth::Transport>>();
        server = std::make_unique<tests::FaultServer>([this, upstream, forward](const std::string& body) -> std::string {
            if (!*forward) *forward = eth::make_http_transport(upstream);
            const json request = json::parse(body, nullptr, false);
            const bool logs = request.is_object() && request.value("method", "") == "eth_getLogs";
            const auto refuse = [&](long long code, const std::string& message) {
                ++refused;
                return json{{"jsonrpc", "2.0"}, {"id", request["id"]}, {"error", {{"code", code}, {"message", message}}}}.dump();
            };
            if (logs) {
                const int n = ++get_logs;
                if (fail_after >= 0 && n == fail_after + 1)
                    return json{{"jsonrpc", "2.0"}, {"id", request["id"]}, {"error", {{"code", -32603}, {"message", "upstream request timed out"}}}}.dump();
                const auto& filter = request["params"][0];
                const std::uint64_t from = block_of(filter["fromBlock"]), to = block_of(filter["toBlock"]);
                if (max_blocks && to - from + 1 > max_blocks)
                    return range_message.empty() ? refuse(-32614, "eth_getLogs is limited to a " + std::to_string(max_blocks) + " range")
                                                 : refuse(-32000, range_message);
            }
            auto answer = (*forward)->post(body);
            if (!answer) return "{}";
            if (logs && max_results) {
                const json parsed = json::parse(answer->body, nullptr, false);
                if (parsed.contains("result") && parsed["result"].size() > max_results)
                    return refuse(-32005, "query returned more than " + std::to_string(max_results) + " results");
            }
            return answer->body;
        });
    }
};

std::set<std::string> ids_of(const Snapshot& snapshot)
{
    std::set<std::string> ids;
    for (const auto& position : snapshot.positions) ids.insert(position.key.id());
    return ids;
}

}  // namespace

/// Discovery over long histories: eth_getLogs cut into the ranges a
/// provider serves (its stated limit, or halves when it refuses a result
/// count), a window at a time, with progress, resumable after a failure.
/// The devnet's gap is thousands of empty blocks, not millions: anvil mines
/// about 500 empty blocks a second here, so the proxy's limits are scaled
/// down with it (a 25-block limit over 1,000 blocks asks as often as a
/// 10,000-block limit over 400,000).
class DiscoveryScanTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        m_world = std::make_unique<tests::DemoWorldFixture>();
        QVERIFY2(m_world->ready(), m_world->error().c_str());
        m_registry = m_world->registry();
        m_accounts = {m_world->address_of("alice"), m_world->address_of("bob"), m_world->address_of("carol")};
    }

    void theFirstActivityIsTheBlockOfTheFirstTransactionSent()
    {
        // The keeper has sent nothing in the seeded world; its first transaction is the one below.
        const Address keeper = m_world->address_of("keeper");
        auto start = eth::block_number(m_world->client());
        VERIFY_OK(start);
        auto none = eth::first_activity_block(m_world->client(), {keeper}, *start);
        VERIFY_OK(none);
        QVERIFY(!none->has_value());
        auto sent = m_world->send("keeper", m_world->contract("WETH9"), "deposit()", "[]", U256(1));
        VERIFY_OK(sent);
        auto head = eth::block_number(m_world->client());
        VERIFY_OK(head);
        auto first = eth::first_activity_block(m_world->client(), {keeper, m_world->address_of("alice")}, *head);
        VERIFY_OK(first);
        // Alice traded in the seeding, long before the keeper's deposit: the earliest of the two.
        QVERIFY(first->has_value());
        QVERIFY(**first < sent->block_number);
        auto keeper_only = eth::first_activity_block(m_world->client(), {keeper}, *head);
        VERIFY_OK(keeper_only);
        QCOMPARE(keeper_only->value_or(0), sent->block_number);
    }

    void providersRefusalsAreRecognised_data()
    {
        QTest::addColumn<long long>("code");
        QTest::addColumn<QString>("message");
        QTest::addColumn<qulonglong>("max_blocks");  // 0: no limit stated, ask for half
        QTest::newRow("QuickNode") << -32614LL << QStringLiteral("eth_getLogs is limited to a 10,000 range") << 10000ULL;
        QTest::newRow("Alchemy") << -32602LL
                                 << "Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range and no limit on the "
                                    "response size, or you can request any block range with a cap of 10K logs in the response. Based on your "
                                    "parameters, this block range should work: [0x10d4f, 0x12e5d]"
                                 << 0x210FULL;
        QTest::newRow("Infura") << -32005LL << "query returned more than 10000 results. Try with this block range [0x1, 0x64]." << 100ULL;
        QTest::newRow("Infura, no range") << -32005LL << "query returned more than 10000 results" << 0ULL;
        QTest::newRow("geth") << -32000LL << "query exceeds max results 20000, retry with the range 24383075-24383096" << 22ULL;
        QTest::newRow("publicnode") << -32701LL << "Please specify an address in your request or, to remove restrictions, order a dedicated "
                                                   "full node here: https://www.allnodes.com/eth/host; maximum block range: 50000"
                                    << 50000ULL;
        QTest::newRow("Ankr") << -32600LL << "block range is too wide" << 0ULL;
        QTest::newRow("Base") << -32000LL << "block range too large" << 0ULL;
        QTest::newRow("Arbitrum") << -32000LL << "logs matched by query exceeds limit of 10000" << 0ULL;
        QTest::newRow("Cloudflare") << -32047LL << "Invalid eth_getLogs request. 'fromBlock'-'toBlock' range too large. Max range: 800" << 800ULL;
        QTest::newRow("BlockPI") << -32602LL << "eth_getLogs is limited to 1024 block range" << 1024ULL;
    }

    void providersRefusalsAreRecognised()
    {
        QFETCH(long long, code);
        QFETCH(QString, message);
        QFETCH(qulonglong, max_blocks);
        const auto refusal = eth::get_logs_refusal(rpc_error(code, message.toStdString()));
        QVERIFY(refusal.has_value());
        QCOMPARE(refusal->max_blocks.value_or(0), std::uint64_t(max_blocks));
    }

    void otherErrorsAreNotRefusals()
    {
        QVERIFY(!eth::get_logs_refusal(rpc_error(-32602, "invalid argument 0: hex string has length 3, want 40 for common.Address")));
        QVERIFY(!eth::get_logs_refusal(rpc_error(-32603, "upstream request timed out")));
        QVERIFY(!eth::get_logs_refusal(Error{Errc::Transport, "connection refused", std::nullopt, std::nullopt}));
    }

    void everyPositionIsFoundThroughAProviderThatRefusesLongRanges_data()
    {
        QTest::addColumn<QString>("range_message");
        QTest::newRow("limit stated (QuickNode)") << QString();
        QTest::newRow("no limit stated (Base): bisected") << QStringLiteral("block range too large");
    }

    void everyPositionIsFoundThroughAProviderThatRefusesLongRanges()
    {
        QFETCH(QString, range_message);
        makeTheGap();
        LimitingProxy proxy;
        proxy.max_blocks = 25;
        proxy.max_results = 20;
        proxy.range_message = range_message.toStdString();
        proxy.start(m_world->url());
        eth::RpcClient client(tests::options_for(proxy.server->url()));
        Monitor monitor(client, m_registry, m_accounts);
        monitor.set_discovery_window(250);
        std::vector<DiscoveryProgress> progress;
        monitor.on_discovery_progress([&](const DiscoveryProgress& p) { progress.push_back(p); });
        VERIFY_OK(monitor.discover());
        auto snapshot = monitor.refresh();
        VERIFY_OK(snapshot);
        QCOMPARE(ids_of(**snapshot), m_expected);
        // The requests the scan reports are the ones the node saw.
        QVERIFY(!progress.empty());
        const auto& last = progress.back();
        QCOMPARE(last.scanned_to, m_head);
        QVERIFY(last.long_scan);
        for (std::size_t i = 1; i < progress.size(); ++i) QVERIFY(progress[i].scanned_to > progress[i - 1].scanned_to);
        QCOMPARE(last.logs.requests, std::uint64_t(proxy.get_logs.load()));
        QCOMPARE(last.logs.refused, std::uint64_t(proxy.refused.load()));
        QVERIFY(proxy.refused.load() > 0);
        qInfo("%s: %llu blocks, %zu windows, %d eth_getLogs requests (%d refused as too big)", qPrintable(range_message.isEmpty() ? QStringLiteral("QuickNode") : range_message),
              static_cast<unsigned long long>(m_head), progress.size(), proxy.get_logs.load(), proxy.refused.load());
    }

    void aScanThatFailsGoesOnFromItsLastWholeWindow()
    {
        const auto file = std::filesystem::temp_directory_path() / ("nftterm-discovery-scan-" + std::to_string(::getpid()) + ".json");
        makeTheGap();
        LimitingProxy first;
        first.max_blocks = 25;
        first.fail_after = 250;  // a few windows in
        first.start(m_world->url());
        eth::RpcClient client(tests::options_for(first.server->url()));
        Monitor monitor(client, m_registry, m_accounts);
        monitor.set_discovery_window(250);
        monitor.on_discovery_progress([&](const DiscoveryProgress&) { VERIFY_OK(monitor.save_state(file)); });
        const auto failed = monitor.discover();
        QVERIFY(!failed);
        QVERIFY2(failed.error().message().find("upstream request timed out") != std::string::npos, failed.error().message().c_str());
        const std::uint64_t resumed_at = monitor.next_block();
        QVERIFY2(resumed_at > m_registry.start_block && resumed_at <= m_head, std::to_string(resumed_at).c_str());

        LimitingProxy second;
        second.max_blocks = 25;
        second.start(m_world->url());
        eth::RpcClient again_client(tests::options_for(second.server->url()));
        Monitor again(again_client, m_registry, m_accounts);
        auto loaded = again.load_state(file);
        VERIFY_OK(loaded);
        QVERIFY(*loaded);
        QCOMPARE(again.next_block(), resumed_at);
        VERIFY_OK(again.discover());
        auto snapshot = again.refresh();
        VERIFY_OK(snapshot);
        QCOMPARE(ids_of(**snapshot), m_expected);
        std::filesystem::remove(file);
    }

private:
    /// An empty stretch, then a position opened after it: both ends of the history hold positions.
    void makeTheGap()
    {
        if (m_head) return;
        QElapsedTimer mining;
        mining.start();
        for (std::uint64_t mined = 0; mined < kEmptyBlocks; mined += 250) VERIFY_OK(m_world->client().call("anvil_mine", "[\"250\"]"));
        qInfo("anvil mined %llu empty blocks in %lld ms", static_cast<unsigned long long>(kEmptyBlocks), static_cast<long long>(mining.elapsed()));
        const Address dape = m_world->contract("DAPE"), pool = m_world->contract("BendLendPool");
        VERIFY_OK(m_world->send("deployer", dape, "mint(address,uint256)", "[" + q(m_world->address_of("carol")) + ",\"777\"]"));
        VERIFY_OK(m_world->send("carol", dape, "setApprovalForAll(address,bool)", "[" + q(pool) + ",true]"));
        VERIFY_OK(m_world->send("carol", pool, "borrow(address,uint256,address,uint256,address,uint16)",
                                "[" + q(m_world->contract("WETH9")) + ",\"1000000000000000000\"," + q(dape) + ",\"777\"," +
                                    q(m_world->address_of("carol")) + ",\"0\"]"));
        Monitor direct(m_world->client(), m_registry, m_accounts);
        VERIFY_OK(direct.discover());
        auto snapshot = direct.refresh();
        VERIFY_OK(snapshot);
        m_expected = ids_of(**snapshot);
        const bool late_loan = std::any_of((*snapshot)->positions.begin(), (*snapshot)->positions.end(), [](const Position& p) {
            return p.key.protocol == Protocol::BendDao && p.token_id == U256(777);
        });
        QVERIFY2(late_loan, "the loan opened after the empty blocks is among the positions");
        m_head = (*snapshot)->block.number;
        QVERIFY(m_head > kEmptyBlocks);
    }

    static constexpr std::uint64_t kEmptyBlocks = 1000;
    std::unique_ptr<tests::DemoWorldFixture> m_world;
    Registry m_registry;
    std::vector<Address> m_accounts;
    std::set<std::string> m_expected;
    std::uint64_t m_head = 0;
};

NFTTERM_TEST_GUILESS(DiscoveryScanTest)
#include "discovery_scan_test.moc"
