#include "abi_value.hpp"

#include <algorithm>

namespace nftterm::protocols::abi {
namespace {

using wallet::Bytes;
using wallet::ByteView;
using wallet::U256;
using Native = U256::Native;

constexpr int kMaxValueDepth = 32;

std::unexpected<Error> bad_data(std::string what)
{
    return fail(Errc::Decode, std::move(what));
}

void append_word(Bytes& out, const std::array<std::uint8_t, 32>& word)
{
    out.insert(out.end(), word.begin(), word.end());
}

void append_padded(Bytes& out, ByteView bytes)
{
    out.insert(out.end(), bytes.begin(), bytes.end());
    out.insert(out.end(), (32 - bytes.size() % 32) % 32, 0);
}

std::string where(const Type& type)
{
    return type.name.empty() ? type.canonical() : type.canonical() + " " + type.name;
}

// ---------------------------------------------------------------- encoding

Result<Bytes> encode_tuple(const std::vector<Type>& types, const std::vector<Value>& values, int depth);

Result<Bytes> encode_one(const Type& type, const Value& value, int depth)
{
    if (depth > kMaxValueDepth) return bad_data("values nested deeper than " + std::to_string(kMaxValueDepth));
    Bytes out;
    const auto mismatch = [&] { return bad_data("value does not fit type " + where(type)); };
    switch (type.kind) {
    case Type::Kind::Uint: {
        const auto* v = std::get_if<U256>(&value.data);
        if (!v) return mismatch();
        if (type.size < 256 && (v->native() >> type.size) != 0)
            return bad_data(v->to_dec() + " does not fit in " + where(type));
        append_word(out, v->to_be());
        return out;
    }
    case Type::Kind::Int: {
        const auto* v = std::get_if<SignedInt>(&value.data);
        if (!v) return mismatch();
        const Native limit = Native(1) << (type.size - 1);
        if (v->negative ? v->magnitude.native() > limit : v->magnitude.native() >= limit)
            return bad_data((v->negative ? "-" : "") + v->magnitude.to_dec() + " does not fit in " + where(type));
        if (!v->negative || v->magnitude.is_zero()) {
            append_word(out, v->magnitude.to_be());
        } else {
            // Two's complement, sign-extended to 256 bits.
            append_word(out, (U256::max() - v->magnitude + U256(1)).to_be());
        }
        return out;
    }
    case Type::Kind::Address: {
        const auto* v = std::get_if<wallet::Address>(&value.data);
        if (!v) return mismatch();
        out.assign(12, 0);
        out.insert(out.end(), v->bytes.begin(), v->bytes.end());
        return out;
    }
    case Type::Kind::Bool: {
        const auto* v = std::get_if<bool>(&value.data);
        if (!v) return mismatch();
        out.assign(32, 0);
        out[31] = *v ? 1 : 0;
        return out;
    }
    case Type::Kind::FixedBytes: {
        const auto* v = std::get_if<Bytes>(&value.data);
        if (!v) return mismatch();
        if (v->size() != type.size) return bad_data(where(type) + " needs exactly " + std::to_string(type.size) + " bytes");
        append_padded(out, *v);
        return out;
    }
    case Type::Kind::Bytes:
    case Type::Kind::String: {
        ByteView bytes;
        if (type.kind == Type::Kind::Bytes) {
            const auto* v = std::get_if<Bytes>(&value.data);
            if (!v) return mismatch();
            bytes = *v;
        } else {
            const auto* v = std::get_if<std::string>(&value.data);
            if (!v) return mismatch();
            bytes = wallet::as_view(*v);
        }
        append_word(out, U256(bytes.size()).to_be());
        append_padded(out, bytes);
        return out;
    }
    case Type::Kind::Array:
    case Type::Kind::FixedArray:
    case Type::Kind::Tuple: {
        const auto* list = std::get_if<Value::List>(&value.data);
        if (!list) return mismatch();
        std::vector<Type> member_types;
        if (type.kind == Type::Kind::Tuple) {
            member_types = type.components;
        } else {
            if (type.kind == Type::Kind::FixedArray && list->size() != type.length)
                return bad_data(where(type) + " needs " + std::to_string(type.length) + " elements, got " + std::to_string(list->size()));
            member_types.assign(list->size(), type.components[0]);
        }
        if (member_types.size() != list->size())
            return bad_data(where(type) + " has " + std::to_string(member_types.size()) + " members, got " + std::to_string(list->size()));
        if (type.kind == Type::Kind::Array) append_word(out, U256(list->size()).to_be());
        auto body = encode_tuple(member_types, *list, depth + 1);
        if (!body) return body;
        out.insert(out.end(), body->begin(), body->end());
        return out;
    }
    }
    return mismatch();
}

Result<Bytes> encode_tuple(const std::vector<Type>& types, const std::vector<Value>& values, int depth)
{
    if (types.size() != values.size())
        return bad_data("expected " + std::to_string(types.size()) + " values, got " + std::to_string(values.size()));
    std::size_t head_size = 0;
    for (const auto& t : types) head_size += t.head_size();
    Bytes head;
    Bytes tail;
    for (std::size_t i = 0; i < types.size(); ++i) {
        auto encoded = encode_one(types[i], values[i], depth);
        if (!encoded) return encoded;
        if (types[i].is_dynamic()) {
            append_word(head, U256(head_size + tail.size()).to_be());
            tail.insert(tail.end(), encoded->begin(), encoded->end());
        } else {
            head.insert(head.end(), encoded->begin(), encoded->end());
        }
    }
    head.insert(head.end(), tail.begin(), tail.end());
    return head;
}

// ---------------------------------------------------------------- decoding

/// What decoding may still produce. A real encoding gives every value its own words, so the
/// values decoded never exceed the data's size; offsets that all point at one large blob
/// (aggregate3 results aliased by a hostile node) would multiply it: refused past twice the size.
struct DecodeBudget {
    std::size_t left;
    bool spend(std::size_t bytes) noexcept
    {
        if (bytes > left) return false;
        left -= bytes;
        return true;
    }
};

Result<std::vector<Value>> decode_tuple(const std::vector<Type>& types, ByteView data, int depth, DecodeBudget& budget);

std::unexpected<Error> aliased()
{
    return fail(Errc::Decode, "the data reuses the same bytes for many values (aliased offsets): refused");
}

Result<std::size_t> read_size(ByteView data, std::size_t at, const std::string& what)
{
    if (at > data.size() || data.size() - at < 32) return bad_data(what + " at byte " + std::to_string(at) + " is past the end of the data");
    const auto value = U256::from_be(data.subspan(at, 32));
    const auto small = value->to_u64();
    if (!small || *small > data.size()) return bad_data(what + " " + value->to_dec() + " at byte " + std::to_string(at) + " points outside the data");
    return static_cast<std::size_t>(*small);
}

Result<Value> decode_one(const Type& type, ByteView data, std::size_t at, int depth, DecodeBudget& budget)
{
    if (depth > kMaxValueDepth) return bad_data("data nested deeper than " + std::to_string(kMaxValueDepth));
    if (type.kind != Type::Kind::Tuple && type.kind != Type::Kind::FixedArray && !budget.spend(32)) return aliased();
    if (at > data.size() || data.size() - at < 32)
        return bad_data(where(type) + " at byte " + std::to_string(at) + " runs past the end of the data");
    const ByteView word = data.subspan(at, 32);
    const auto zero_prefix = [&](std::size_t n) { return std::all_of(word.begin(), word.begin() + static_cast<std::ptrdiff_t>(n), [](auto b) { return b == 0; }); };
    switch (type.kind) {
    case Type::Kind::Uint: {
        if (!zero_prefix(32 - type.size / 8)) return bad_data(where(type) + " at byte " + std::to_string(at) + " has dirty high bits");
        return Value{*U256::from_be(word)};
    }
    case Type::Kind::Int: {
        const U256 raw = *U256::from_be(word);
        const bool negative = (word[0] & 0x80) != 0;
        // Sign extension: every bit above bit N-1 equals the sign bit.
        const std::size_t high = 32 - type.size / 8;
        const std::uint8_t fill = negative ? 0xff : 0x00;
        if (!std::all_of(word.begin(), word.begin() + static_cast<std::ptrdiff_t>(high), [&](auto b) { return b == fill; })
            || (high < 32 && ((word[high] & 0x80) != 0) != negative))
            return bad_data(where(type) + " at byte " + std::to_string(at) + " is not sign-extended");
        if (!negative) return Value{SignedInt{false, raw}};
        return Value{SignedInt{true, U256::max() - raw + U256(1)}};
    }
    case Type::Kind::Address: {
        if (!zero_prefix(12)) return bad_data("address at byte " + std::to_string(at) + " has dirty high bytes");
        return Value{wallet::Address(*wallet::FixedBytes<20>::from_view(word.subspan(12)))};
    }
    case Type::Kind::Bool: {
        if (!zero_prefix(31) || word[31] > 1) return bad_data("bool at byte " + std::to_string(at) + " is neither 0 nor 1");
        return Value{word[31] == 1};
    }
    case Type::Kind::FixedBytes: {
        if (!std::all_of(word.begin() + type.size, word.end(), [](auto b) { return b == 0; }))
            return bad_data(where(type) + " at byte " + std::to_string(at) + " has dirty padding");
        return Value{Bytes(word.begin(), word.begin() + type.size)};
    }
    case Type::Kind::Bytes:
    case Type::Kind::String: {
        auto length = read_size(data, at, "length of " + where(type));
        if (!length) return std::unexpected(length.error());
        if (data.size() - at - 32 < *length) return bad_data(where(type) + " of " + std::to_string(*length) + " bytes runs past the end of the data");
        const ByteView bytes = data.subspan(at + 32, *length);
        if (!budget.spend(bytes.size())) return aliased();
        if (type.kind == Type::Kind::Bytes) return Value{Bytes(bytes.begin(), bytes.end())};
        return Value{std::string(bytes.begin(), bytes.end())};
    }
    case Type::Kind::Array:
    case Type::Kind::FixedArray:
    case Type::Kind::Tuple: {
        std::vector<Type> member_types;
        ByteView body = data.subspan(at);
        if (type.kind == Type::Kind::Tuple) {
            member_types = type.components;
        } else {
            std::size_t count = type.length;
            if (type.kind == Type::Kind::Array) {
                auto length = read_size(data, at, "length of " + where(type));
                if (!length) return std::unexpected(length.error());
                count = *length;
                body = data.subspan(at + 32);
            }
            // Each element takes at least one word: a count beyond that is a lie.
            if (count > body.size() / 32 + (count == 0 ? 1 : 0))
                return bad_data(where(type) + " claims " + std::to_string(count) + " elements, more than the data holds");
            member_types.assign(count, type.components[0]);
        }
        auto members = decode_tuple(member_types, body, depth + 1, budget);
        if (!members) return std::unexpected(members.error());
        return Value{std::move(*members)};
    }
    }
    return bad_data("unknown type");
}

Result<std::vector<Value>> decode_tuple(const std::vector<Type>& types, ByteView data, int depth, DecodeBudget& budget)
{
    std::vector<Value> out;
    out.reserve(types.size());
    std::size_t head = 0;
    for (const auto& type : types) {
        if (type.is_dynamic()) {
            auto offset = read_size(data, head, "offset of " + where(type));
            if (!offset) return std::unexpected(offset.error());
            auto value = decode_one(type, data, *offset, depth, budget);
            if (!value) return std::unexpected(value.error());
            out.push_back(std::move(*value));
        } else {
            auto value = decode_one(type, data, head, depth, budget);
            if (!value) return std::unexpected(value.error());
            out.push_back(std::move(*value));
        }
        head += type.head_size();
    }
    return out;
}

}  // namespace

Result<Bytes> encode(const std::vector<Type>& types, const std::vector<Value>& values)
{
    return encode_tuple(types, values, 0);
}

Result<std::vector<Value>> decode(const std::vector<Type>& types, ByteView data)
{
    DecodeBudget budget{2 * data.size() + 1024};
    return decode_tuple(types, data, 0, budget);
}

}  // namespace nftterm::protocols::abi
