#include "../support/anvil_node.hpp"
#include "../support/verify_ok.hpp"
#include "../support/fault_server.hpp"
#include "../support/loopback.hpp"

#include <protocols/eth/rpc/json_rpc.hpp>
#include <protocols/eth/rpc/rpc_client.hpp>

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include <QTest>

#include "../support/test_registry.hpp"

#include <thread>

using namespace nftterm::protocols;
using nftterm::tests::AnvilNode;
using nftterm::tests::FaultServer;
using nlohmann::json;

namespace {

std::string closed_port_url()
{
    return "http://127.0.0.1:" + std::to_string(nftterm::tests::free_loopback_port());
}

eth::RpcClientOptions options_for(std::vector<std::string> urls)
{
    eth::RpcClientOptions options;
    options.urls = std::move(urls);
    options.transport.connect_timeout = std::chrono::milliseconds(500);
    options.transport.total_timeout = std::chrono::milliseconds(700);
    options.backoff = std::chrono::milliseconds(10);
    return options;
}

/// A server that answers every request (single or batch) with `answer(request)` per call.
FaultServer::Handler answering(std::function<json(const json& request)> answer)
{
    return [answer](const std::string& body) {
        const json request = json::parse(body);
        if (!request.is_array()) return answer(request).dump();
        json replies = json::array();
        for (const auto& one : request) replies.push_back(answer(one));
        return replies.dump();
    };
}

json result_for(const json& request, json result)
{
    return json{{"jsonrpc", "2.0"}, {"id", request["id"]}, {"result", std::move(result)}};
}

/// A node on chain 1 that says block 0x10 to everything else.
FaultServer::Handler mainnet_node()
{
    return answering([](const json& request) {
        return result_for(request, request["method"] == "eth_chainId" ? "0x1" : "0x10");
    });
}


}  // namespace

class RpcClientTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { curl_global_init(CURL_GLOBAL_DEFAULT); }

    void callsAndBatchesARealNode()
    {
        AnvilNode node;
        QVERIFY2(node.running(), node.error().c_str());
        eth::RpcClient client(options_for({node.url()}));
        auto chain = client.chain_id();
        VERIFY_OK(chain);
        QCOMPARE(*chain, 31337ULL);

        auto answers = client.batch({{"eth_chainId", "[]"},
                                     {"eth_getBalance", R"(["0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266","latest"])"},
                                     {"no_such_method", "[]"},
                                     {"eth_blockNumber", "[]"}});
        VERIFY_OK(answers);
        QCOMPARE(answers->size(), std::size_t(4));
        QCOMPARE((*answers)[0].value(), std::string(R"("0x7a69")"));
        QCOMPARE((*answers)[1].value(), std::string(R"("0x21e19e0c9bab2400000")"));
        QVERIFY(!(*answers)[2]);
        QCOMPARE((*answers)[2].error().code, Errc::Rpc);
        QCOMPARE((*answers)[3].value(), std::string(R"("0x0")"));
    }

    void rpcErrorKeepsTheNodesCodeAndNamesEndpointAndMethod()
    {
        AnvilNode node;
        QVERIFY2(node.running(), node.error().c_str());
        eth::RpcClient client(options_for({node.url()}));
        auto answer = client.call("eth_getBalance", R"(["not an address","latest"])");
        QVERIFY(!answer);
        QCOMPARE(answer.error().code, Errc::Rpc);
        QVERIFY(answer.error().rpc.has_value());
        QVERIFY(answer.error().rpc->code != 0);
        const auto text = answer.error().message();
        QVERIFY2(text.find("eth_getBalance") != std::string::npos, text.c_str());
        QVERIFY2(text.find(node.url()) != std::string::npos, text.c_str());
    }

    void badParamsAreRefusedBeforeSending()
    {
        eth::RpcClient client(options_for({closed_port_url()}));
        auto answer = client.call("eth_blockNumber", "[1,");
        QVERIFY(!answer);
        QCOMPARE(answer.error().code, Errc::Json);
        QVERIFY(client.health()[0].requests == 0);
    }

    void noEndpointIsAConfigError()
    {
        eth::RpcClient client(options_for({}));
        auto answer = client.call("eth_blockNumber");
        QVERIFY(!answer);
        QCOMPARE(answer.error().code, Errc::Config);
        QVERIFY(answer.error().message().find("--rpc-url") != std::string::npos);
    }

    void eachFaultGivesItsErrorAndFailsOverToTheHealthyNode_data()
    {
        QTest::addColumn<int>("fault");
        QTest::addColumn<int>("errc");
        QTest::addColumn<QString>("words");
        QTest::newRow("refused") << -1 << int(Errc::Transport) << QStringLiteral("refused");
        QTest::newRow("HTTP 500") << int(FaultServer::Mode::Status500) << int(Errc::Http) << QStringLiteral("HTTP 500");
        QTest::newRow("timeout") << int(FaultServer::Mode::Hang) << int(Errc::Transport) << QStringLiteral("timed out");
        QTest::newRow("cut off") << int(FaultServer::Mode::CutOff) << int(Errc::Transport) << QStringLiteral("cut off");
        QTest::newRow("malformed JSON") << int(FaultServer::Mode::Reply) << int(Errc::Json) << QStringLiteral("not JSON");
        QTest::newRow("wrong id") << int(FaultServer::Mode::Handler) << int(Errc::Json) << QStringLiteral("mismatched");
    }

    void eachFaultGivesItsErrorAndFailsOverToTheHealthyNode()
    {
        QFETCH(int, fault);
        QFETCH(int, errc);
        QFETCH(QString, words);
        std::unique_ptr<FaultServer> server;
        std::string faulty = closed_port_url();
        if (fault == int(FaultServer::Mode::Reply)) {
            server = std::make_unique<FaultServer>(FaultServer::Mode::Reply, "{\"jsonrpc\":\"2.0\",\"id\":1,\"res");
        } else if (fault == int(FaultServer::Mode::Handler)) {
            server = std::make_unique<FaultServer>(answering([](const json& request) {
                json reply = result_for(request, "0x7a69");
                reply["id"] = request["id"].get<std::uint64_t>() + 1000;
                return reply;
            }));
        } else if (fault >= 0) {
            server = std::make_unique<FaultServer>(FaultServer::Mode(fault));
        }
        if (server) faulty = server->url();

        // Alone, the fault is reported in words a person can act on.
        {
            auto options = options_for({faulty});
            options.read_rounds = 1;
            eth::RpcClient client(options);
            auto answer = client.call("eth_blockNumber");
            QVERIFY(!answer);
            QCOMPARE(int(answer.error().code), errc);
            const auto text = answer.error().message();
            QVERIFY2(text.find(words.toStdString()) != std::string::npos, text.c_str());
            QVERIFY2(text.find(faulty) != std::string::npos, text.c_str());
            QVERIFY2(text.find("eth_blockNumber") != std::string::npos, text.c_str());
        }
        // Next to a healthy node, the call is served by the healthy one.
        AnvilNode node;
        QVERIFY2(node.running(), node.error().c_str());
        eth::RpcClient client(options_for({faulty, node.url()}));
        auto answer = client.call("eth_blockNumber");
        VERIFY_OK(answer);
        QCOMPARE(*answer, std::string(R"("0x0")"));
        QCOMPARE(client.active_endpoint(), node.url());
        const auto health = client.health();
        QVERIFY(health[0].failures >= 1);
        QVERIFY(!health[0].last_error.empty());
        QCOMPARE(health[1].failures, 0ULL);
    }

    void wrongChainIsRefusedOnConnectAndOnFailover()
    {
        FaultServer mainnet(mainnet_node());
        {
            auto options = options_for({mainnet.url()});
            options.chain_id = 31337;
            eth::RpcClient client(options);
            auto answer = client.call("eth_blockNumber");
            QVERIFY(!answer);
            QCOMPARE(answer.error().code, Errc::ChainId);
            QVERIFY2(answer.error().message().find("chain 1, not chain 31337") != std::string::npos,
                     answer.error().message().c_str());
            QVERIFY(!client.health()[0].on_chain);
        }
        // The first endpoint pins the chain; when it dies, the failover must not land on mainnet.
        auto node = std::make_unique<AnvilNode>();
        QVERIFY2(node->running(), node->error().c_str());
        eth::RpcClient client(options_for({node->url(), mainnet.url()}));
        VERIFY_OK(client.call("eth_blockNumber"));
        node.reset();
        auto answer = client.call("eth_blockNumber");
        QVERIFY(!answer);
        QVERIFY2(answer.error().message().find("chain 1, not chain 31337") != std::string::npos, answer.error().message().c_str());
        const auto health = client.health();
        QVERIFY(!health[1].on_chain);
        QCOMPARE(health[1].chain_id, std::optional<std::uint64_t>());
    }

    void batchAnsweredOutOfOrderIsMatchedById()
    {
        FaultServer server([](const std::string& body) {
            json replies = json::array();
            const json request = json::parse(body);
            if (!request.is_array()) return result_for(request, "0x7a69").dump();
            for (auto it = request.rbegin(); it != request.rend(); ++it)
                replies.push_back(result_for(*it, (*it)["params"][0]));
            return replies.dump();
        });
        eth::RpcClient client(options_for({server.url()}));
        auto answers = client.batch({{"echo", R"(["a"])"}, {"echo", R"(["b"])"}, {"echo", R"(["c"])"}});
        VERIFY_OK(answers);
        QCOMPARE((*answers)[0].value(), std::string(R"("a")"));
        QCOMPARE((*answers)[1].value(), std::string(R"("b")"));
        QCOMPARE((*answers)[2].value(), std::string(R"("c")"));
    }

    void batchWithAnObjectBesideHexResultsIsReadWhole()
    {
        // The refresh's shape: a block header (an object, with braces and quotes inside its strings)
        // beside hex results, and an error, out of order.
        const std::string body = "[{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":\"0xabcd\"},"
                                 "{\"jsonrpc\":\"2.0\",\"id\":4,\"result\":{\"number\":\"0x1\",\"extraData\":\"a } in a \\\" string {[\"}},"
                                 "{\"jsonrpc\":\"2.0\",\"id\":6,\"error\":{\"code\":-32000,\"message\":\"execution reverted\"}}]";
        auto answers = eth::parse_batch_response(body, 4, 3);
        VERIFY_OK(answers);
        QCOMPARE(answers->size(), std::size_t(3));
        VERIFY_OK((*answers)[0]);
        const json header = json::parse(*(*answers)[0]);
        QCOMPARE(header["number"].get<std::string>(), std::string("0x1"));
        QCOMPARE(header["extraData"].get<std::string>(), std::string("a } in a \" string {["));
        QCOMPARE((*answers)[1].value(), std::string(R"("0xabcd")"));
        QVERIFY(!(*answers)[2]);
        QVERIFY2((*answers)[2].error().message().find("execution reverted") != std::string::npos, (*answers)[2].error().message().c_str());
        // An object cut short is not read as a batch.
        QVERIFY(!eth::parse_batch_response("[{\"jsonrpc\":\"2.0\",\"id\":4,\"result\":\"0x1\"},{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":{\"a\":\"}\"]", 4, 2));
    }

    void shortBatchIsAnError()
    {
        FaultServer server([](const std::string& body) {
            const json request = json::parse(body);
            if (!request.is_array()) return result_for(request, "0x7a69").dump();
            json replies = json::array();
            for (std::size_t i = 0; i + 1 < request.size(); ++i) replies.push_back(result_for(request[i], "0x1"));
            return replies.dump();
        });
        auto options = options_for({server.url()});
        options.read_rounds = 1;
        eth::RpcClient client(options);
        auto answers = client.batch({{"eth_blockNumber", "[]"}, {"eth_blockNumber", "[]"}, {"eth_blockNumber", "[]"}});
        QVERIFY(!answers);
        QCOMPARE(answers.error().code, Errc::Json);
        QVERIFY2(answers.error().message().find("short batch: 2 answers to 3 calls") != std::string::npos,
                 answers.error().message().c_str());
    }

    void readsAreRetriedButATransactionIsSentOnce()
    {
        FaultServer server(FaultServer::Mode::Status500);
        auto options = options_for({server.url()});
        options.read_rounds = 3;
        options.failures_before_cooldown = 100;
        eth::RpcClient client(options);
        QVERIFY(!client.call("eth_blockNumber"));
        QCOMPARE(server.requests(), 3);

        // A healthy chain id lets the request itself through; the send is then tried once.
        int sends = 0;
        FaultServer flaky([&sends](const std::string& body) {
            const json request = json::parse(body);
            if (request["method"] == "eth_chainId") return result_for(request, "0x7a69").dump();
            ++sends;
            return std::string("{oops");
        });
        eth::RpcClient sender(options_for({flaky.url()}));
        auto sent = sender.call("eth_sendRawTransaction", R"(["0x02"])");
        QVERIFY(!sent);
        QCOMPARE(sends, 1);
        auto mined = sender.call("anvil_mine", "[]");
        QVERIFY(!mined);
        QCOMPARE(sends, 2);
    }

    void laggingEndpointIsPassedOver()
    {
        AnvilNode behind;
        AnvilNode ahead;
        QVERIFY2(behind.running() && ahead.running(), (behind.error() + ahead.error()).c_str());
        ahead.rpc("anvil_mine", R"(["0xa"])");
        eth::RpcClient client(options_for({behind.url(), ahead.url()}));
        client.probe_heads();
        const auto health = client.health();
        QCOMPARE(health[0].lag, 10ULL);
        QCOMPARE(health[1].lag, 0ULL);
        QCOMPARE(health[1].head, std::optional<std::uint64_t>(10));
        auto answer = client.call("eth_blockNumber");
        VERIFY_OK(answer);
        QCOMPARE(*answer, std::string(R"("0xa")"));
        QCOMPARE(client.active_endpoint(), ahead.url());
    }

    void servesManyThreadsAtOnce()
    {
        AnvilNode node;
        QVERIFY2(node.running(), node.error().c_str());
        eth::RpcClient client(options_for({node.url()}));
        std::atomic<int> good{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&] {
                for (int i = 0; i < 50; ++i)
                    if (auto answer = client.call("eth_chainId"); answer && *answer == R"("0x7a69")") ++good;
            });
        for (auto& thread : threads) thread.join();
        QCOMPARE(good.load(), 200);
        QCOMPARE(client.health()[0].failures, 0ULL);
    }

    void endpointsComeFromOptionsOrTheEnvironment()
    {
        qputenv("ETH_RPC_URL", "http://from-env:8545");
        QCOMPARE(eth::endpoints_or_environment({}), std::vector<std::string>{"http://from-env:8545"});
        QCOMPARE(eth::endpoints_or_environment({"http://a", "http://b"}), (std::vector<std::string>{"http://a", "http://b"}));
        qunsetenv("ETH_RPC_URL");
        QVERIFY(eth::endpoints_or_environment({}).empty());
    }
};

NFTTERM_TEST_APPLESS(RpcClientTest)
#include "rpc_client_test.moc"
