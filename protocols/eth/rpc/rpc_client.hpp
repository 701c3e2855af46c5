#pragma once

#include <protocols/eth/rpc/json_rpc.hpp>
#include <protocols/eth/rpc/transport.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nftterm::protocols::eth {

struct RpcClientOptions {
    /// Endpoints in order of preference; the first healthy one serves.
    std::vector<std::string> urls;
    /// The chain the user means. Unset: the first endpoint that answers
    /// decides, and every other endpoint must agree.
    std::optional<std::uint64_t> chain_id;
    TransportOptions transport;
    /// Plain http:// to a non-loopback host (check_endpoint_url); off: such an endpoint is refused.
    bool allow_insecure_http = false;
    /// Rounds over the endpoints for a read before giving up.
    int read_rounds = 3;
    /// Pause after a failed round; doubles each round.
    std::chrono::milliseconds backoff{100};
    /// After this many failures in a row an endpoint is passed over …
    int failures_before_cooldown = 2;
    /// … for this long (then it is tried again).
    std::chrono::milliseconds cooldown{std::chrono::seconds(15)};
    /// An endpoint whose head trails the best one by more blocks is passed over.
    std::uint64_t max_block_lag = 3;
};

/// What eth_getLogs scans cost (RpcClient::log_scan_count).
struct LogScanCount {
    std::uint64_t requests = 0;
    std::uint64_t refused = 0;
};

/// What the client knows about one endpoint, for the status bar and logs.
struct EndpointHealth {
    std::string url;
    /// False once the endpoint answered with another chain id.
    bool on_chain = true;
    bool cooling_down = false;
    std::optional<std::uint64_t> chain_id;
    /// Smoothed round-trip time of answered requests.
    double latency_ms = 0;
    std::uint64_t requests = 0;
    std::uint64_t failures = 0;
    int failures_in_a_row = 0;
    std::string last_error;
    /// Head block at the last probe, and how far it trails the best endpoint.
    std::optional<std::uint64_t> head;
    std::uint64_t lag = 0;
};

/// A JSON-RPC client over one chain's endpoints, with failover. Reads
/// (is_read_method) are retried with backoff across endpoints; a transaction
/// is sent at most once to each endpoint (the same signed bytes, never a new
/// transaction); other methods are sent once. The chain id is checked the
/// first time an endpoint is used and again after it failed. Errors name the
/// endpoint and the method. Thread-safe: each thread gets its own connection.
class RpcClient {
public:
    explicit RpcClient(RpcClientOptions options);
    ~RpcClient();
    RpcClient(const RpcClient&) = delete;
    RpcClient& operator=(const RpcClient&) = delete;

    /// One call; the result as JSON text.
    Result<std::string> call(std::string_view method, std::string_view params_json = "[]");
    /// Several calls in one HTTP request; each answer is its own result. The
    /// batch as a whole fails over like a read only if every call is a read.
    Result<std::vector<Result<std::string>>> batch(const std::vector<RpcCall>& calls);

    /// The verified chain id (connects to the first usable endpoint if needed).
    Result<std::uint64_t> chain_id();
    /// Asks every usable endpoint for its head and updates lag.
    void probe_heads();
    std::vector<EndpointHealth> health() const;
    /// The endpoint that served the last successful request.
    std::string active_endpoint() const;

    /// eth_getLogs over long ranges (get_logs): the widest block span an
    /// endpoint said it serves (0 while none has), kept so later scans ask
    /// within it from their first request.
    std::uint64_t log_span_limit() const;
    /// Keeps the smaller of `blocks` and the limit known.
    void limit_log_span(std::uint64_t blocks);
    /// A span that was served after a refusal that named no limit: where
    /// the next scan starts (it may grow past it; 0 while there is none).
    std::uint64_t log_span_hint() const;
    void hint_log_span(std::uint64_t blocks);
    /// eth_getLogs requests sent through this client, and how many a provider refused as too big.
    LogScanCount log_scan_count() const;
    void count_log_request(bool refused);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// The endpoints a command was given: every --rpc-url, else ETH_RPC_URL.
std::vector<std::string> endpoints_or_environment(std::vector<std::string> urls);

}  // namespace nftterm::protocols::eth
