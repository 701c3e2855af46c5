#include "../support/anvil_node.hpp"
#include "../support/fault_server.hpp"
#include "../support/loopback.hpp"

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
};

NFTTERM_TEST_APPLESS(HttpTransportTest)
#include "http_transport_test.moc"
