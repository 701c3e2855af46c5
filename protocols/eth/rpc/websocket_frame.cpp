#include "websocket_frame.hpp"

namespace nftterm::protocols::eth {
namespace {

bool known_opcode(int opcode) noexcept
{
    return opcode == 0x0 || opcode == 0x1 || opcode == 0x2 || opcode == 0x8 || opcode == 0x9 || opcode == 0xA;
}

}  // namespace

Result<FrameParse> parse_server_frame(std::string_view buffer, std::size_t max_payload)
{
    if (buffer.size() < 2) return FrameParse{std::nullopt, 2};
    const auto b0 = static_cast<unsigned char>(buffer[0]);
    const auto b1 = static_cast<unsigned char>(buffer[1]);
    const int opcode = b0 & 0x0f;
    const bool fin = (b0 & 0x80) != 0;
    if (b0 & 0x70) return fail(Errc::Transport, "a WebSocket frame with reserved bits set (no extension was agreed)");
    if (!known_opcode(opcode)) return fail(Errc::Transport, "unknown WebSocket opcode " + std::to_string(opcode));
    if (b1 & 0x80) return fail(Errc::Transport, "the server masked a WebSocket frame (RFC 6455 forbids it)");
    std::uint64_t length = b1 & 0x7f;
    std::size_t header = 2;
    if (length >= 126) {
        const std::size_t extra = length == 126 ? 2 : 8;
        if (buffer.size() < 2 + extra) return FrameParse{std::nullopt, 2 + extra};
        length = 0;
        for (std::size_t i = 0; i < extra; ++i) length = (length << 8) | static_cast<unsigned char>(buffer[2 + i]);
        if (extra == 8 && (length >> 63) != 0) return fail(Errc::Transport, "a WebSocket frame length with its top bit set");
        header += extra;
    }
    if (opcode & 0x8) {
        if (!fin) return fail(Errc::Transport, "a fragmented WebSocket control frame");
        if (length > 125) return fail(Errc::Transport, "a WebSocket control frame over 125 bytes");
    }
    if (length > max_payload)
        return fail(Errc::Transport, "a WebSocket frame of " + std::to_string(length) + " bytes, over the limit of " + std::to_string(max_payload));
    const std::size_t total = header + static_cast<std::size_t>(length);
    if (buffer.size() < total) return FrameParse{std::nullopt, total};
    return FrameParse{WebSocketFrame{opcode, fin, std::string(buffer.substr(header, static_cast<std::size_t>(length)))}, total};
}

}  // namespace nftterm::protocols::eth
