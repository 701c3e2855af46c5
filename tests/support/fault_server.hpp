#pragma once

#include <atomic>
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
    };

    explicit FaultServer(Mode mode, std::string reply = {});
    ~FaultServer();
    FaultServer(const FaultServer&) = delete;
    FaultServer& operator=(const FaultServer&) = delete;

    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }

private:
    void serve();

    Mode m_mode;
    std::string m_reply;
    int m_listen_fd = -1;
    int m_port = 0;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
};

}  // namespace nftterm::tests
