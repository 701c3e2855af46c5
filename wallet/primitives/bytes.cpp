#include "bytes.hpp"

namespace nftterm::wallet {
namespace {

constexpr char kDigits[] = "0123456789abcdef";

int nibble(char c) noexcept
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::string to_hex_bare(ByteView bytes)
{
    std::string out;
    out.reserve(bytes.size() * 2);
    for (auto b : bytes) {
        out.push_back(kDigits[b >> 4]);
        out.push_back(kDigits[b & 0x0f]);
    }
    return out;
}

std::string to_hex(ByteView bytes)
{
    return "0x" + to_hex_bare(bytes);
}

Result<Bytes> bytes_from_hex(std::string_view hex)
{
    if (hex.starts_with("0x") || hex.starts_with("0X")) hex.remove_prefix(2);
    if (hex.size() % 2 != 0)
        return fail(Errc::InvalidHex, "odd number of hex digits (" + std::to_string(hex.size()) + ")");
    Bytes out(hex.size() / 2);
    for (std::size_t i = 0; i < out.size(); ++i) {
        const int hi = nibble(hex[2 * i]);
        const int lo = nibble(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return fail(Errc::InvalidHex, "not a hex digit at position " + std::to_string(2 * i + (hi < 0 ? 0 : 1)));
        out[i] = static_cast<std::uint8_t>((hi << 4) | lo);
    }
    return out;
}

}  // namespace nftterm::wallet
