#pragma once

#include "fault_server.hpp"

#include <functional>
#include <memory>
#include <string>

namespace nftterm::tests {

/// A local server in front of a node: each JSON-RPC body goes on to
/// `upstream_url` and the node's answer comes back. `before` sees each body
/// first, on the server's thread (to count requests, or to hold them: a node
/// that stops answering).
std::unique_ptr<FaultServer> forwarding_proxy(std::string upstream_url, std::function<void(const std::string& body)> before = {});

}  // namespace nftterm::tests
