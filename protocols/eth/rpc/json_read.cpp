#include "json_read.hpp"
#include "json_rpc.hpp"

#include <cstdio>

namespace nftterm::protocols::eth::json_read {
namespace {

std::string shown(const json& value)
{
    std::string text = value.dump();
    return text.size() > 80 ? text.substr(0, 80) + "…" : text;
}

}  // namespace

Result<json> parse(const std::string& text)
{
    if (!nesting_within(text, kMaxAnswerNesting)) return fail(Errc::Json, "the answer nests too deep: refused");
    try {
        return json::parse(text);
    } catch (const json::exception&) {
        return fail(Errc::Json, "not JSON: " + text.substr(0, 80));
    }
}

Result<const json*> field(const json& object, const char* name)
{
    if (!object.is_object()) return fail(Errc::Decode, std::string("expected an object with '") + name + "', got " + shown(object));
    const auto it = object.find(name);
    if (it == object.end()) return fail(Errc::Decode, std::string("the answer has no '") + name + "'");
    return &*it;
}

Result<std::uint64_t> quantity(const json& value, const char* what)
{
    auto big = big_quantity(value, what);
    if (!big) return std::unexpected(big.error());
    auto small = big->to_u64();
    if (!small) return fail(Errc::Decode, std::string(what) + " does not fit 64 bits: " + shown(value));
    return *small;
}

Result<wallet::U256> big_quantity(const json& value, const char* what)
{
    if (value.is_string()) {
        const auto& text = value.get_ref<const std::string&>();
        if (text.starts_with("0x") && text.size() > 2)
            if (auto parsed = wallet::U256::from_hex(text)) return *parsed;
    }
    return fail(Errc::Decode, std::string(what) + " is not a hex quantity: " + shown(value));
}

Result<wallet::Bytes> data(const json& value, const char* what)
{
    if (value.is_string())
        if (auto bytes = wallet::bytes_from_hex(value.get_ref<const std::string&>())) return std::move(*bytes);
    return fail(Errc::Decode, std::string(what) + " is not hex data: " + shown(value));
}

Result<wallet::Hash32> hash(const json& value, const char* what)
{
    if (value.is_string())
        if (auto parsed = wallet::Hash32::from_hex(value.get_ref<const std::string&>())) return *parsed;
    return fail(Errc::Decode, std::string(what) + " is not a 32-byte hash: " + shown(value));
}

Result<wallet::Address> address(const json& value, const char* what)
{
    if (value.is_string())
        if (auto parsed = wallet::Address::from_hex(value.get_ref<const std::string&>())) return *parsed;
    return fail(Errc::Decode, std::string(what) + " is not an address: " + shown(value));
}

std::string quantity_hex(std::uint64_t value)
{
    char buffer[24];
    std::snprintf(buffer, sizeof buffer, "0x%llx", static_cast<unsigned long long>(value));
    return buffer;
}

std::string quantity_hex(const wallet::U256& value)
{
    return value.to_hex();
}

}  // namespace nftterm::protocols::eth::json_read
