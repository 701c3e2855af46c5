#pragma once

#include <protocols/eth/rpc/eth_api.hpp>

#include <chrono>
#include <functional>
#include <memory>

namespace nftterm::protocols::eth {

/// An owning handle: destroying it ends the subscription (and joins its thread).
class Subscription {
public:
    virtual ~Subscription() = default;
};

struct HeadCallbacks {
    /// Each new head, as the node pushed it.
    std::function<void(BlockHeader)> on_head;
    /// The subscription ended (connection lost, bad message); poll instead.
    std::function<void(Error)> on_error;
};

/// eth_subscribe("newHeads") over WebSocket (`url` may be the node's http://
/// address: anvil, geth and reth serve both on one port). Fails at once when
/// the endpoint offers no WebSocket or no newHeads. Callbacks run on the
/// subscription's own thread.
Result<std::unique_ptr<Subscription>> subscribe_new_heads(const std::string& url, HeadCallbacks callbacks,
                                                          std::chrono::milliseconds timeout = std::chrono::seconds(5));

}  // namespace nftterm::protocols::eth
