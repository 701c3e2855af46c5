#include "forwarding_proxy.hpp"

#include <protocols/eth/rpc/transport.hpp>

namespace nftterm::tests {

std::unique_ptr<FaultServer> forwarding_proxy(std::string upstream_url, std::function<void(const std::string& body)> before)
{
    // The transport is made on the server's thread, which alone uses it.
    auto upstream = std::make_shared<std::unique_ptr<protocols::eth::Transport>>();
    return std::make_unique<FaultServer>([url = std::move(upstream_url), before = std::move(before), upstream](const std::string& body) {
        if (before) before(body);
        if (!*upstream) *upstream = protocols::eth::make_http_transport(url);
        auto answer = (*upstream)->post(body);
        return answer ? answer->body : std::string("{}");
    });
}

}  // namespace nftterm::tests
