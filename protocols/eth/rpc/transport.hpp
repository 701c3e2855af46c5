#pragma once

#include <protocols/error.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>

namespace nftterm::protocols::eth {

/// What a node answered over HTTP.
struct HttpResponse {
    long status = 0;
    std::string body;
    std::chrono::microseconds elapsed{0};
};

struct TransportOptions {
    std::chrono::milliseconds connect_timeout{3000};
    std::chrono::milliseconds total_timeout{15000};
    /// The largest answer read (a refresh of 10,000 positions is a few MiB);
    /// a node that sends more is cut off, not buffered until memory runs out.
    std::size_t max_response_bytes = std::size_t(64) << 20;
    /// Set to true from any thread to abort a request in flight (Errc::Transport, "cancelled").
    std::shared_ptr<std::atomic<bool>> cancel;
};

/// Sends one JSON-RPC payload to one endpoint and returns the raw answer.
/// Not thread-safe: one instance per thread (it keeps its connection alive).
/// A non-2xx status is Errc::Http; refused, unreachable, timed out or
/// cancelled is Errc::Transport; each message names the endpoint.
class Transport {
public:
    virtual ~Transport() = default;
    virtual std::string endpoint() const = 0;
    virtual Result<HttpResponse> post(std::string_view body) = 0;
};

/// HTTP(S) over libcurl. curl_global_init must have run in main() before
/// any thread starts.
std::unique_ptr<Transport> make_http_transport(std::string url, TransportOptions options = {});

}  // namespace nftterm::protocols::eth
