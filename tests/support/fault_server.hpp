#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>

namespace nftterm::tests {

/// A local HTTP server that misbehaves on purpose, for the faults a real
/// node cannot be made to show. Listens on a free loopback port until it dies.
class FaultServer {
public:
    enum class Mode {
        Status500,   ///< answers every request with HTTP 500
        Hang,        ///< accepts and never answers
        CutOff,      ///< promises 100 bytes, sends 10, closes
        Reply,       ///< answers 200 with `reply` as the body
        Handler,     ///< answers 200 with what `handler` makes of the request body
    };
    using Handler = std::function<std::string(const std::string& request_body)>;

    explicit FaultServer(Mode mode, std::string reply = {});
    /// Mode::Handler: `handler` runs on the server's thread.
    explicit FaultServer(Handler handler);
    /// Requests served so far.
    int requests() const { return m_requests.load(); }
    ~FaultServer();
    FaultServer(const FaultServer&) = delete;
    FaultServer& operator=(const FaultServer&) = delete;

    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }

private:
    void start();
    void serve();

    Mode m_mode;
    std::string m_reply;
    Handler m_handler;
    std::atomic<int> m_requests{0};
    int m_listen_fd = -1;
    int m_port = 0;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
};

}  // namespace nftterm::tests
