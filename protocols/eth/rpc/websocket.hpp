#pragma once

#include <protocols/error.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace nftterm::protocols::eth {

/// A WebSocket client connection (RFC 6455) for ws:// endpoints: text
/// messages in and out, pings answered, fragments joined. Debian's libcurl
/// 7.88 is built without WebSocket support, hence this small client.
/// wss:// is refused with Errc::Config (use HTTPS polling there). One
/// thread at a time.
class WebSocket {
public:
    static Result<std::unique_ptr<WebSocket>> connect(const std::string& url, std::chrono::milliseconds timeout);
    virtual ~WebSocket() = default;

    virtual Result<void> send_text(std::string_view text) = 0;
    /// The next text message; nullopt if none arrived within `timeout`.
    /// A closed connection is Errc::Transport.
    virtual Result<std::optional<std::string>> receive_text(std::chrono::milliseconds timeout) = 0;
};

/// "http://host:port/x" → "ws://host:port/x"; "https://…" → "wss://…"; ws(s) as it is.
std::string websocket_url_for(const std::string& url);

}  // namespace nftterm::protocols::eth
