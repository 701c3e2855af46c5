// libFuzzer target: WebSocket frames from a server, read as the head
// subscription reads them: frame after frame from one buffer. Never a crash
// or an over-read; a frame accepted is unmasked, its size what was consumed,
// a control frame final and at most 125 bytes.
#include <protocols/eth/rpc/websocket_frame.hpp>

#include <cstdlib>
#include <string_view>

using namespace nftterm::protocols;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::string_view buffer(reinterpret_cast<const char*>(data), size);
    while (!buffer.empty()) {
        auto parsed = eth::parse_server_frame(buffer, 1 << 16);
        if (!parsed || !parsed->frame) return 0;
        const auto& frame = *parsed->frame;
        if (parsed->size > buffer.size() || frame.payload.size() > parsed->size) std::abort();
        if ((frame.opcode & 0x8) && (!frame.fin || frame.payload.size() > 125)) std::abort();
        buffer.remove_prefix(parsed->size);
    }
    return 0;
}
