#pragma once

#include <protocols/eth/rpc/rpc_client.hpp>

#include <string>

namespace nftterm::tests {

/// Client options for one test node, with the defaults otherwise.
inline protocols::eth::RpcClientOptions options_for(const std::string& url)
{
    protocols::eth::RpcClientOptions options;
    options.urls = {url};
    return options;
}

}  // namespace nftterm::tests
