#include "rlp.hpp"

#include <string>

namespace nftterm::wallet::rlp {
namespace {

constexpr int kMaxDepth = 32;

void append_length(Bytes& out, std::size_t length, std::uint8_t short_base, std::uint8_t long_base)
{
    if (length <= 55) {
        out.push_back(static_cast<std::uint8_t>(short_base + length));
        return;
    }
    Bytes len_bytes;
    for (std::size_t l = length; l != 0; l >>= 8) len_bytes.insert(len_bytes.begin(), static_cast<std::uint8_t>(l & 0xff));
    out.push_back(static_cast<std::uint8_t>(long_base + len_bytes.size()));
    out.insert(out.end(), len_bytes.begin(), len_bytes.end());
}

std::string at(std::size_t offset)
{
    return " at byte " + std::to_string(offset);
}

/// Decodes one item starting at input[pos]; advances pos past it.
Result<Item> decode_item(ByteView input, std::size_t& pos, int depth)
{
    if (depth > kMaxDepth) return fail(Errc::InvalidRlp, "lists nested deeper than " + std::to_string(kMaxDepth) + at(pos));
    if (pos >= input.size()) return fail(Errc::InvalidRlp, "input ends where an item should start" + at(pos));
    const std::size_t start = pos;
    const std::uint8_t prefix = input[pos++];
    Item item;
    std::size_t length = 0;

    if (prefix < 0x80) {
        item.payload = input.subspan(start, 1);
        return item;
    }
    const bool is_list = prefix >= 0xc0;
    const std::uint8_t base = is_list ? 0xc0 : 0x80;
    const std::uint8_t offset = prefix - base;
    if (offset <= 55) {
        length = offset;
    } else {
        const std::size_t len_of_len = offset - 55;
        if (len_of_len > 8 || input.size() - pos < len_of_len)
            return fail(Errc::InvalidRlp, "truncated length" + at(start));
        if (input[pos] == 0) return fail(Errc::InvalidRlp, "length with a leading zero byte" + at(start));
        for (std::size_t i = 0; i < len_of_len; ++i) length = (length << 8) | input[pos++];
        if (length <= 55) return fail(Errc::InvalidRlp, "long form used for a short length" + at(start));
    }
    if (length > input.size() - pos)
        return fail(Errc::InvalidRlp, "item of " + std::to_string(length) + " bytes runs past the end of the input" + at(start));

    item.is_list = is_list;
    item.payload = input.subspan(pos, length);
    if (!is_list) {
        if (length == 1 && item.payload[0] < 0x80)
            return fail(Errc::InvalidRlp, "single byte below 0x80 must encode as itself" + at(start));
        pos += length;
        return item;
    }
    const std::size_t end = pos + length;
    while (pos < end) {
        auto child = decode_item(input.first(end), pos, depth + 1);
        if (!child) return child;
        item.items.push_back(std::move(*child));
    }
    return item;
}

}  // namespace

Bytes encode_bytes(ByteView bytes)
{
    Bytes out;
    if (bytes.size() == 1 && bytes[0] < 0x80) {
        out.push_back(bytes[0]);
        return out;
    }
    append_length(out, bytes.size(), 0x80, 0xb7);
    out.insert(out.end(), bytes.begin(), bytes.end());
    return out;
}

Bytes encode_uint(const U256& value)
{
    return encode_bytes(value.to_be_minimal());
}

Bytes encode_list(const std::vector<Bytes>& encoded_items)
{
    std::size_t total = 0;
    for (const auto& item : encoded_items) total += item.size();
    Bytes out;
    out.reserve(total + 9);
    append_length(out, total, 0xc0, 0xf7);
    for (const auto& item : encoded_items) out.insert(out.end(), item.begin(), item.end());
    return out;
}

Result<Item> decode(ByteView input)
{
    std::size_t pos = 0;
    auto item = decode_item(input, pos, 0);
    if (!item) return item;
    if (pos != input.size())
        return fail(Errc::InvalidRlp, std::to_string(input.size() - pos) + " trailing bytes after the item");
    return item;
}

Result<U256> Item::as_uint(std::string_view what) const
{
    if (is_list) return fail(Errc::InvalidRlp, std::string(what) + " is a list, expected an integer");
    if (!payload.empty() && payload[0] == 0)
        return fail(Errc::InvalidRlp, std::string(what) + " has a leading zero byte");
    if (payload.size() > 32) return fail(Errc::InvalidRlp, std::string(what) + " is longer than 32 bytes");
    return U256::from_be(payload);
}

Result<ByteView> Item::as_bytes(std::string_view what) const
{
    if (is_list) return fail(Errc::InvalidRlp, std::string(what) + " is a list, expected bytes");
    return payload;
}

}  // namespace nftterm::wallet::rlp
