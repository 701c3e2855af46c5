#pragma once

#include <string>

namespace nftterm::tests {

/// A real anvil node on a free loopback port, started by the fixture and
/// stopped when it dies. `rpc` posts one JSON-RPC request and returns the
/// whole response text (tests parse it).
class AnvilNode {
public:
    /// `extra_args` go to anvil as they are (e.g. "--no-mining").
    explicit AnvilNode(std::string extra_args = {});
    ~AnvilNode();
    AnvilNode(const AnvilNode&) = delete;
    AnvilNode& operator=(const AnvilNode&) = delete;

    bool running() const { return m_pid > 0 && m_ready; }
    const std::string& url() const { return m_url; }
    const std::string& error() const { return m_error; }

    std::string rpc(const std::string& method, const std::string& params_json) const;

private:
    int m_pid = -1;
    bool m_ready = false;
    std::string m_url;
    std::string m_error;
};

}  // namespace nftterm::tests
