#include "../support/anvil_node.hpp"
#include "../support/fault_server.hpp"
#include "../support/loopback.hpp"

#include <protocols/eth/rpc/endpoint_url.hpp>
#include <protocols/eth/rpc/json_rpc.hpp>
#include <protocols/eth/rpc/rpc_client.hpp>
#include <protocols/eth/rpc/transport.hpp>

#include <curl/curl.h>

#include <QTest>

#include "../support/test_registry.hpp"


using namespace nftterm::protocols;
using nftterm::tests::AnvilNode;
using nftterm::tests::FaultServer;

namespace {

/// A loopback port with nothing listening on it.
std::string closed_port_url()
{
    return "http://127.0.0.1:" + std::to_string(nftterm::tests::free_loopback_port());
}

eth::TransportOptions quick()
{
    eth::TransportOptions options;
    options.connect_timeout = std::chrono::milliseconds(500);
    options.total_timeout = std::chrono::milliseconds(500);
    return options;
}

constexpr std::string_view kChainId = R"({"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]})";

}  // namespace

class HttpTransportTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { curl_global_init(CURL_GLOBAL_DEFAULT); }
    void cleanupTestCase() { curl_global_cleanup(); }

    void postsToARealNode()
    {
        AnvilNode node;
        QVERIFY2(node.running(), node.error().c_str());
        auto transport = eth::make_http_transport(node.url());
        for (int i = 0; i < 3; ++i) {
            auto response = transport->post(kChainId);
            QVERIFY2(response, response ? "" : response.error().message().c_str());
            QCOMPARE(response->status, 200L);
            QVERIFY(response->body.find("\"result\":\"0x7a69\"") != std::string::npos);
        }
    }

    void refusedConnectionNamesTheEndpoint()
    {
        const std::string url = closed_port_url();
        auto response = eth::make_http_transport(url, quick())->post(kChainId);
        QVERIFY(!response);
        QCOMPARE(response.error().code, Errc::Transport);
        QVERIFY(response.error().message().find(url) != std::string::npos);
        QVERIFY(response.error().message().find("refused") != std::string::npos);
    }

    void http500IsAnHttpError()
    {
        FaultServer server(FaultServer::Mode::Status500);
        auto response = eth::make_http_transport(server.url(), quick())->post(kChainId);
        QVERIFY(!response);
        QCOMPARE(response.error().code, Errc::Http);
        QVERIFY(response.error().message().find("HTTP 500") != std::string::npos);
    }

    void hangingNodeTimesOut()
    {
        FaultServer server(FaultServer::Mode::Hang);
        auto response = eth::make_http_transport(server.url(), quick())->post(kChainId);
        QVERIFY(!response);
        QCOMPARE(response.error().code, Errc::Transport);
        QVERIFY2(response.error().message().find("timed out") != std::string::npos, response.error().message().c_str());
    }

    void answerCutOffMidResponse()
    {
        FaultServer server(FaultServer::Mode::CutOff);
        auto response = eth::make_http_transport(server.url(), quick())->post(kChainId);
        QVERIFY(!response);
        QCOMPARE(response.error().code, Errc::Transport);
    }

    void cancelFlagAbortsARequest()
    {
        FaultServer server(FaultServer::Mode::Hang);
        auto options = quick();
        options.total_timeout = std::chrono::milliseconds(10000);
        options.cancel = std::make_shared<std::atomic<bool>>(false);
        std::thread canceller([flag = options.cancel] {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            *flag = true;
        });
        auto response = eth::make_http_transport(server.url(), options)->post(kChainId);
        canceller.join();
        QVERIFY(!response);
        QVERIFY2(response.error().message().find("cancelled") != std::string::npos, response.error().message().c_str());
    }

    void anAnswerOverTheCapIsRefusedNotBuffered()
    {
        FaultServer server(FaultServer::Mode::Reply, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0x" + std::string(3 << 20, 'a') + "\"}");
        auto options = quick();
        options.total_timeout = std::chrono::milliseconds(10000);
        options.max_response_bytes = 1 << 20;
        auto response = eth::make_http_transport(server.url(), options)->post(kChainId);
        QVERIFY(!response);
        QCOMPARE(response.error().code, Errc::Transport);
        QVERIFY2(response.error().message().find("larger than 1 MiB") != std::string::npos, response.error().message().c_str());
        // Under the cap it is read whole.
        options.max_response_bytes = 8 << 20;
        auto whole = eth::make_http_transport(server.url(), options)->post(kChainId);
        QVERIFY(whole);
        QVERIFY(whole->body.size() > (3u << 20));
    }

    void onlyHttpAndHttpsAreEverUsed()
    {
        // libcurl itself is held to http and https, whatever address reaches it.
        auto file = eth::make_http_transport("file:///etc/hostname", quick())->post(kChainId);
        QVERIFY(!file);
        QCOMPARE(file.error().code, Errc::Transport);
        QVERIFY(eth::check_endpoint_url("file:///etc/hostname", true).error().message().find("only http:// and https://") != std::string::npos);
        QVERIFY(!eth::check_endpoint_url("ftp://example.com/", true));
        QVERIFY(!eth::check_endpoint_url("gopher://example.com:70/", true));
    }

    void plainHttpOnlyToThisMachineUnlessAllowed()
    {
        QVERIFY(eth::check_endpoint_url("http://127.0.0.1:8545", false));
        QVERIFY(eth::check_endpoint_url("http://localhost:8545", false));
        QVERIFY(eth::check_endpoint_url("http://[::1]:8545", false));
        QVERIFY(eth::check_endpoint_url("https://eth.example.com/v2/key", false));
        auto remote = eth::check_endpoint_url("http://10.0.0.7:8545", false);
        QVERIFY(!remote);
        QCOMPARE(remote.error().code, Errc::Config);
        QVERIFY2(remote.error().message().find("--allow-insecure-http") != std::string::npos, remote.error().message().c_str());
        QVERIFY(eth::check_endpoint_url("http://10.0.0.7:8545", true));
        // A name that only starts like loopback is not loopback.
        QVERIFY(!eth::check_endpoint_url("http://127.0.0.1.example.com/", false));
        QVERIFY(eth::check_endpoint_url("http://127.3.4.5:8545", false));
        QVERIFY(!eth::check_endpoint_url("http://localhost.example.com/", false));

        // The client refuses before sending anything.
        FaultServer server(FaultServer::Mode::Reply, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0x1\"}");
        eth::RpcClientOptions options;
        options.urls = {"http://10.255.255.1:9/", server.url()};
        eth::RpcClient client(options);
        auto answer = client.call("eth_chainId");
        QVERIFY(!answer);
        QCOMPARE(answer.error().code, Errc::Config);
        QCOMPARE(server.requests(), 0);
    }

    void apiKeysNeverReachErrorText()
    {
        QCOMPARE(eth::redact_url("https://eth-mainnet.example.com/v2/SECRETKEY123"), std::string("https://eth-mainnet.example.com/…"));
        QCOMPARE(eth::redact_url("https://node.example.com/?apikey=SECRETKEY123"), std::string("https://node.example.com/…"));
        QCOMPARE(eth::redact_url("https://user:SECRETKEY123@node.example.com"), std::string("https://node.example.com/…"));
        QCOMPARE(eth::redact_url("http://127.0.0.1:8545"), std::string("http://127.0.0.1:8545"));
        // A node behind a key that refuses connections: the error names the host, not the key.
        const std::string url = closed_port_url() + "/v3/SECRETKEY123?token=SECRETKEY123";
        auto response = eth::make_http_transport(url, quick())->post(kChainId);
        QVERIFY(!response);
        QVERIFY2(response.error().message().find("SECRETKEY123") == std::string::npos, response.error().message().c_str());
        eth::RpcClientOptions options;
        options.urls = {url};
        options.read_rounds = 1;
        options.transport = quick();
        eth::RpcClient client(options);
        auto answer = client.call("eth_blockNumber");
        QVERIFY(!answer);
        QVERIFY2(answer.error().message().find("SECRETKEY123") == std::string::npos, answer.error().message().c_str());
        for (const auto& health : client.health()) QVERIFY(health.url.find("SECRETKEY123") == std::string::npos);
    }

    void deeplyNestedAnswersAreRefusedWithoutRecursion()
    {
        // A million levels: re-serialising that recursively would overflow the stack.
        const std::string deep = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":" + std::string(1000000, '[') + std::string(1000000, ']') + "}";
        auto single = eth::parse_response(deep, 1);
        QVERIFY(!single);
        QCOMPARE(single.error().code, Errc::Json);
        auto batch = eth::parse_batch_response("[" + deep + "]", 1, 1);
        QVERIFY(!batch || !(*batch)[0]);
        // Nesting inside strings does not count; honest answers pass.
        QVERIFY(eth::parse_response("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"" + std::string(1000, '[') + "\"}", 1));
        QVERIFY(eth::nesting_within("[[[]]]", 3));
        QVERIFY(!eth::nesting_within("[[[[]]]]", 3));
        QVERIFY(eth::nesting_within("[\"[[[[\\\"[[[\"]", 1));
    }
};

NFTTERM_TEST_APPLESS(HttpTransportTest)
#include "http_transport_test.moc"
