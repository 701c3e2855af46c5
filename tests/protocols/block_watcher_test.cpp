#include "../support/anvil_node.hpp"
#include "../support/rpc_options.hpp"
#include "../support/verify_ok.hpp"

#include "../support/fault_server.hpp"

#include <protocols/eth/block_watcher.hpp>
#include <protocols/eth/head_subscription.hpp>

#include <nlohmann/json.hpp>

#include <QTest>

#include "../support/test_registry.hpp"

#include <mutex>
#include <thread>

using namespace nftterm;
using namespace nftterm::protocols;
using nftterm::tests::AnvilNode;
using nftterm::tests::options_for;

/// Head following, reorg detection and staleness against a real anvil.
class BlockWatcherTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void followsTheHead()
    {
        AnvilNode node;
        QVERIFY2(node.running(), node.error().c_str());
        eth::RpcClient client(options_for(node.url()));
        eth::BlockWatcher watcher(client);
        auto first = watcher.poll();
        VERIFY_OK(first);
        QVERIFY(first->advanced);
        QCOMPARE(first->head.number, std::uint64_t(0));
        node.rpc("anvil_mine", R"(["0x3"])");
        auto next = watcher.poll();
        VERIFY_OK(next);
        QVERIFY(next->advanced);
        QCOMPARE(next->head.number, std::uint64_t(3));
        QCOMPARE(next->reorg_depth, std::uint64_t(0));
        QCOMPARE(eth::to_string(next->state), std::string("live"));
        auto same = watcher.poll();
        VERIFY_OK(same);
        QVERIFY(!same->advanced);
    }

    void detectsAReorgByParentHashes()
    {
        AnvilNode node;
        QVERIFY2(node.running(), node.error().c_str());
        eth::RpcClient client(options_for(node.url()));
        eth::BlockWatcher watcher(client);
        node.rpc("anvil_mine", R"(["0x3"])");
        const auto snapshot = nlohmann::json::parse(node.rpc("evm_snapshot", "[]"))["result"].get<std::string>();
        node.rpc("anvil_mine", R"(["0x2"])");
        VERIFY_OK(watcher.poll());
        auto before = watcher.poll();
        QCOMPARE(before->head.number, std::uint64_t(5));
        // Back to block 3, then a different block 4, 5 and 6 (later timestamps, other hashes).
        node.rpc("evm_revert", "[\"" + snapshot + "\"]");
        node.rpc("evm_increaseTime", "[100]");
        node.rpc("anvil_mine", R"(["0x3"])");
        auto after = watcher.poll();
        VERIFY_OK(after);
        QCOMPARE(after->head.number, std::uint64_t(6));
        QCOMPARE(after->reorg_from, std::optional<std::uint64_t>(4));
        QCOMPARE(after->reorg_depth, std::uint64_t(2));
        // The next block extends the new chain: no reorg.
        node.rpc("anvil_mine", R"(["0x1"])");
        auto extended = watcher.poll();
        VERIFY_OK(extended);
        QCOMPARE(extended->reorg_depth, std::uint64_t(0));
    }

    void saysWhenTheHeadStopsMoving()
    {
        AnvilNode node;
        QVERIFY2(node.running(), node.error().c_str());
        eth::RpcClient client(options_for(node.url()));
        eth::BlockWatcherOptions options;
        options.lagging_after = std::chrono::milliseconds(300);
        options.stale_after = std::chrono::milliseconds(3000);
        eth::BlockWatcher watcher(client, options);
        VERIFY_OK(watcher.poll());
        std::this_thread::sleep_for(std::chrono::milliseconds(400));
        auto lagging = watcher.poll();
        VERIFY_OK(lagging);
        QCOMPARE(eth::to_string(lagging->state), std::string("lagging"));
        std::this_thread::sleep_for(std::chrono::milliseconds(2700));
        QCOMPARE(eth::to_string(watcher.poll()->state), std::string("stale"));
        node.rpc("anvil_mine", R"(["0x1"])");
        QCOMPARE(eth::to_string(watcher.poll()->state), std::string("live"));
    }

    void newHeadsArrivePushedOverWebSocket()
    {
        AnvilNode node;
        QVERIFY2(node.running(), node.error().c_str());
        eth::RpcClient client(options_for(node.url()));
        eth::BlockWatcher watcher(client);
        VERIFY_OK(watcher.poll());
        std::mutex mutex;
        std::vector<eth::BlockHeader> heads;
        auto subscription = eth::subscribe_new_heads(node.url(), {[&](eth::BlockHeader head) {
                                                                      std::lock_guard lock(mutex);
                                                                      heads.push_back(head);
                                                                  },
                                                                  {}});
        VERIFY_OK(subscription);
        node.rpc("anvil_mine", R"(["0x1"])");
        node.rpc("anvil_mine", R"(["0x1"])");
        for (int i = 0; i < 100; ++i) {
            {
                std::lock_guard lock(mutex);
                if (heads.size() >= 2) break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        std::lock_guard lock(mutex);
        QCOMPARE(heads.size(), std::size_t(2));
        QCOMPARE(heads[0].number, std::uint64_t(1));
        QCOMPARE(heads[1].number, std::uint64_t(2));
        QCOMPARE(heads[1].parent_hash, heads[0].hash);
        for (const auto& head : heads) {
            auto event = watcher.accept(head);
            VERIFY_OK(event);
            QVERIFY(event->advanced);
            QCOMPARE(event->reorg_depth, std::uint64_t(0));
        }
        // The pushed header is the node's own block 2.
        auto polled = eth::get_block(client, eth::BlockTag::number(2));
        VERIFY_OK(polled);
        QCOMPARE(polled->hash, heads[1].hash);
    }

    void subscriptionFailsClearlyWithoutWebSocket()
    {
        tests::FaultServer server(tests::FaultServer::Mode::Status500);
        auto refused = eth::subscribe_new_heads(server.url(), {}, std::chrono::milliseconds(2000));
        QVERIFY(!refused);
        QVERIFY2(refused.error().message().find("does not offer WebSocket") != std::string::npos, refused.error().message().c_str());
        auto tls = eth::subscribe_new_heads("wss://example.invalid", {});
        QVERIFY(!tls);
        QCOMPARE(tls.error().code, Errc::Config);
    }

    void unreachableNodeIsSaid()
    {
        auto node = std::make_unique<AnvilNode>();
        QVERIFY2(node->running(), node->error().c_str());
        eth::RpcClientOptions options;
        options.urls = {node->url()};
        options.read_rounds = 1;
        eth::RpcClient client(options);
        eth::BlockWatcher watcher(client);
        VERIFY_OK(watcher.poll());
        node.reset();
        QVERIFY(!watcher.poll());
        QCOMPARE(eth::to_string(watcher.state()), std::string("unreachable"));
    }
};

NFTTERM_TEST_APPLESS(BlockWatcherTest)
#include "block_watcher_test.moc"
