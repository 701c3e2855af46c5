#pragma once

#include <protocols/error.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace nftterm::protocols::eth {

/// One frame a WebSocket server sent (RFC 6455 §5.2), unmasked.
struct WebSocketFrame {
    int opcode = 0;
    bool fin = false;
    std::string payload;
};

/// The first frame at the start of `buffer`, or how many bytes it needs.
struct FrameParse {
    std::optional<WebSocketFrame> frame;
    /// With a frame: the bytes it took. Without: the bytes the buffer must hold first.
    std::size_t size = 0;
};

/// Reads a frame from a server, enforcing what a client must: frames from
/// a server are never masked (§5.1), no reserved bits without a negotiated
/// extension (§5.2), only the six defined opcodes, control frames final and
/// at most 125 bytes (§5.5), a 64-bit length with its top bit clear, and no
/// payload over `max_payload`. Any breach is Errc::Transport saying which.
Result<FrameParse> parse_server_frame(std::string_view buffer, std::size_t max_payload);

}  // namespace nftterm::protocols::eth
