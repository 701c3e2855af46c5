#include "node_options.hpp"

#include <charconv>

namespace nftterm::cli {
namespace {

std::optional<std::uint64_t> parse_number(const std::string& text)
{
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

}  // namespace

protocols::Result<protocols::eth::RpcClientOptions> node_options(const Arguments& args)
{
    using protocols::Errc;
    protocols::eth::RpcClientOptions options;
    options.urls = protocols::eth::endpoints_or_environment(args.values("rpc-url"));
    if (options.urls.empty()) return protocols::fail(Errc::Config, "no node: give --rpc-url URL or set ETH_RPC_URL");
    if (auto chain = args.value("chain-id")) {
        auto value = parse_number(*chain);
        if (!value || *value == 0) return protocols::fail(Errc::Config, "--chain-id must be a positive integer, not '" + *chain + "'");
        options.chain_id = *value;
    }
    if (auto timeout = args.value("timeout-ms")) {
        auto value = parse_number(*timeout);
        if (!value || *value == 0) return protocols::fail(Errc::Config, "--timeout-ms must be a positive integer, not '" + *timeout + "'");
        options.transport.total_timeout = std::chrono::milliseconds(*value);
        options.transport.connect_timeout = std::min(options.transport.connect_timeout, options.transport.total_timeout);
    }
    if (auto cap = args.value("max-response-mb")) {
        auto value = parse_number(*cap);
        if (!value || *value == 0 || *value > 4096) return protocols::fail(Errc::Config, "--max-response-mb must be 1 to 4096, not '" + *cap + "'");
        options.transport.max_response_bytes = static_cast<std::size_t>(*value) << 20;
    }
    options.allow_insecure_http = args.has("allow-insecure-http");
    return options;
}

}  // namespace nftterm::cli
