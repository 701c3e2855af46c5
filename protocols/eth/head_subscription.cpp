#include "head_subscription.hpp"

#include "rpc/websocket.hpp"

#include <nlohmann/json.hpp>

#include <thread>

namespace nftterm::protocols::eth {
namespace {

using nlohmann::json;

class HeadSubscription final : public Subscription {
public:
    HeadSubscription(std::unique_ptr<WebSocket> socket, std::string id, HeadCallbacks callbacks)
        : m_socket(std::move(socket)), m_id(std::move(id)), m_callbacks(std::move(callbacks)),
          m_thread([this](std::stop_token stop) { run(stop); })
    {
    }
    ~HeadSubscription() override
    {
        m_thread.request_stop();
        m_thread.join();
    }

private:
    void run(std::stop_token stop)
    {
        while (!stop.stop_requested()) {
            // Short waits so that a stop request is seen promptly.
            auto message = m_socket->receive_text(std::chrono::milliseconds(200));
            if (!message) return report(message.error());
            if (!*message) continue;
            try {
                const json note = json::parse(**message);
                if (note.value("method", std::string()) != "eth_subscription") continue;
                const auto& params = note.at("params");
                if (params.at("subscription").get<std::string>() != m_id) continue;
                auto header = block_header_from_json(params.at("result").dump());
                if (!header) return report(header.error());
                if (m_callbacks.on_head) m_callbacks.on_head(std::move(*header));
            } catch (const json::exception& e) {
                return report(fail(Errc::Json, std::string("a newHeads message that is not JSON-RPC: ") + e.what()).error());
            }
        }
    }

    void report(const Error& error)
    {
        if (m_callbacks.on_error) m_callbacks.on_error(error);
    }

    std::unique_ptr<WebSocket> m_socket;
    std::string m_id;
    HeadCallbacks m_callbacks;
    std::jthread m_thread;
};

}  // namespace

Result<std::unique_ptr<Subscription>> subscribe_new_heads(const std::string& url, HeadCallbacks callbacks, std::chrono::milliseconds timeout)
{
    const std::string address = websocket_url_for(url);
    auto socket = WebSocket::connect(address, timeout);
    if (!socket) return std::unexpected(socket.error());
    if (auto sent = (*socket)->send_text(R"({"jsonrpc":"2.0","id":1,"method":"eth_subscribe","params":["newHeads"]})"); !sent)
        return std::unexpected(sent.error());
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        auto message = (*socket)->receive_text(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()));
        if (!message) return std::unexpected(message.error());
        if (!*message) break;
        try {
            const json answer = json::parse(**message);
            if (!answer.contains("id") || answer["id"] != 1) continue;
            if (answer.contains("error"))
                return fail(Errc::Rpc, address + ": eth_subscribe newHeads: " + answer["error"].value("message", answer["error"].dump()));
            return std::unique_ptr<Subscription>(
                new HeadSubscription(std::move(*socket), answer.at("result").get<std::string>(), std::move(callbacks)));
        } catch (const json::exception&) {
            return fail(Errc::Json, address + ": eth_subscribe answered with something that is not JSON-RPC");
        }
    }
    return fail(Errc::Transport, address + ": no answer to eth_subscribe within the timeout");
}

}  // namespace nftterm::protocols::eth
