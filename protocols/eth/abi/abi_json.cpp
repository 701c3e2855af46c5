#include "abi_json.hpp"

#include <nlohmann/json.hpp>

namespace nftterm::protocols::abi {
namespace {

using nlohmann::json;
using wallet::U256;

std::unexpected<Error> bad_json(std::string what)
{
    return fail(Errc::Json, std::move(what));
}

Result<Value> from_json(const Type& type, const json& j, const std::string& path);

Result<Value::List> list_from_json(const std::vector<Type>& types, const json& j, const std::string& path)
{
    if (!j.is_array()) return bad_json(path + ": expected a JSON array");
    if (j.size() != types.size())
        return bad_json(path + ": expected " + std::to_string(types.size()) + " values, got " + std::to_string(j.size()));
    Value::List out;
    for (std::size_t i = 0; i < types.size(); ++i) {
        auto v = from_json(types[i], j[i], path + "[" + std::to_string(i) + "]");
        if (!v) return std::unexpected(v.error());
        out.push_back(std::move(*v));
    }
    return out;
}

Result<Value> from_json(const Type& type, const json& j, const std::string& path)
{
    switch (type.kind) {
    case Type::Kind::Uint:
    case Type::Kind::Int: {
        bool negative = false;
        wallet::Result<U256> magnitude = U256(0);
        if (j.is_number_unsigned()) {
            magnitude = U256(j.get<std::uint64_t>());
        } else if (j.is_number_integer()) {
            const auto v = j.get<std::int64_t>();
            negative = v < 0;
            magnitude = U256(negative ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v));
        } else if (j.is_string()) {
            std::string_view text = j.get_ref<const std::string&>();
            negative = text.starts_with('-');
            if (negative) text.remove_prefix(1);
            magnitude = U256::parse(text);
            if (!magnitude) return bad_json(path + ": " + magnitude.error().message());
        } else {
            return bad_json(path + ": expected an integer for " + type.canonical());
        }
        if (type.kind == Type::Kind::Uint) {
            if (negative && !magnitude->is_zero()) return bad_json(path + ": " + type.canonical() + " cannot be negative");
            return Value{*magnitude};
        }
        return Value{SignedInt{negative && !magnitude->is_zero(), *magnitude}};
    }
    case Type::Kind::Address: {
        if (!j.is_string()) return bad_json(path + ": expected an address string");
        auto address = wallet::Address::parse(j.get<std::string>());
        if (!address) return bad_json(path + ": " + address.error().message());
        return Value{*address};
    }
    case Type::Kind::Bool:
        if (!j.is_boolean()) return bad_json(path + ": expected true or false");
        return Value{j.get<bool>()};
    case Type::Kind::FixedBytes:
    case Type::Kind::Bytes: {
        if (!j.is_string()) return bad_json(path + ": expected 0x hex");
        auto bytes = wallet::bytes_from_hex(j.get<std::string>());
        if (!bytes) return bad_json(path + ": " + bytes.error().message());
        return Value{std::move(*bytes)};
    }
    case Type::Kind::String:
        if (!j.is_string()) return bad_json(path + ": expected a string");
        return Value{j.get<std::string>()};
    case Type::Kind::Tuple: {
        auto list = list_from_json(type.components, j, path);
        if (!list) return std::unexpected(list.error());
        return Value{std::move(*list)};
    }
    case Type::Kind::Array:
    case Type::Kind::FixedArray: {
        if (!j.is_array()) return bad_json(path + ": expected a JSON array");
        auto list = list_from_json(std::vector<Type>(j.size(), type.components[0]), j, path);
        if (!list) return std::unexpected(list.error());
        return Value{std::move(*list)};
    }
    }
    return bad_json(path + ": unsupported type");
}

json to_json(const Type& type, const Value& value)
{
    struct Visitor {
        const Type& type;
        json operator()(const U256& v) const { return v.to_dec(); }
        json operator()(const SignedInt& v) const { return (v.negative ? "-" : "") + v.magnitude.to_dec(); }
        json operator()(const wallet::Address& v) const { return v.to_hex(); }
        json operator()(bool v) const { return v; }
        json operator()(const wallet::Bytes& v) const { return wallet::to_hex(v); }
        json operator()(const std::string& v) const { return v; }
        json operator()(const Value::List& list) const
        {
            json out = json::array();
            for (std::size_t i = 0; i < list.size(); ++i)
                out.push_back(to_json(type.kind == Type::Kind::Tuple ? type.components[i] : type.components[0], list[i]));
            return out;
        }
    };
    return std::visit(Visitor{type}, value.data);
}

}  // namespace

Result<std::vector<Value>> values_from_json(const std::vector<Type>& types, std::string_view json_array)
{
    const json root = json::parse(json_array, nullptr, false);
    if (root.is_discarded()) return bad_json("the arguments are not valid JSON");
    return list_from_json(types, root, "args");
}

std::string values_to_json(const std::vector<Type>& types, const std::vector<Value>& values, int indent)
{
    json out = json::array();
    for (std::size_t i = 0; i < types.size() && i < values.size(); ++i) out.push_back(to_json(types[i], values[i]));
    // Decoded strings may hold any bytes; replace what is not UTF-8 rather than throw.
    return out.dump(indent, ' ', false, json::error_handler_t::replace);
}

Result<wallet::Bytes> encode_call(std::string_view signature_text, std::string_view args_json)
{
    auto signature = parse_signature(signature_text);
    if (!signature) return std::unexpected(signature.error());
    auto values = values_from_json(signature->inputs, args_json);
    if (!values) return std::unexpected(values.error());
    auto body = encode(signature->inputs, *values);
    if (!body) return body;
    const auto selector = signature->selector();
    // Sized once and copied (GCC 12 warns falsely on insert after a 4-byte construction).
    wallet::Bytes data(4 + body->size());
    std::copy(selector.begin(), selector.end(), data.begin());
    std::copy(body->begin(), body->end(), data.begin() + 4);
    return data;
}

}  // namespace nftterm::protocols::abi
