#pragma once

#include "arguments.hpp"

#include <protocols/eth/rpc/rpc_client.hpp>

#include <string>
#include <vector>

namespace nftterm::cli {

/// Options every command that talks to a node takes.
inline const std::vector<std::string> kNodeOptions = {"rpc-url", "chain-id", "timeout-ms", "max-response-mb", "allow-insecure-http"};

constexpr const char* kNodeOptionsUsage = R"(Node options (every command that talks to a node):
  --rpc-url URL     JSON-RPC endpoint; repeat for failover, first is preferred
                    (default: the ETH_RPC_URL environment variable)
  --chain-id N      refuse endpoints on another chain (default: the first endpoint's)
  --timeout-ms MS   give up on one request after MS milliseconds (default 15000)
  --max-response-mb N  refuse an answer larger than N MiB (default 64)
  --allow-insecure-http  use plain http:// to a node on another machine
                    (default: only to this machine; anyone on the way could
                    change what the node says)
)";

/// RpcClientOptions from the node options; Errc::Config says what is wrong.
protocols::Result<protocols::eth::RpcClientOptions> node_options(const Arguments& args);

}  // namespace nftterm::cli
