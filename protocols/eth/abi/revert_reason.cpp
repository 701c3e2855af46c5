#include "revert_reason.hpp"

#include <protocols/eth/abi/abi_json.hpp>

#include <algorithm>

namespace nftterm::protocols::abi {
namespace {

/// Solidity's panic codes (docs: "Panic via assert and error via require").
std::string panic_meaning(const wallet::U256& code)
{
    const auto c = code.to_u64().value_or(~0ULL);
    switch (c) {
    case 0x00: return "generic compiler panic";
    case 0x01: return "assertion failed";
    case 0x11: return "arithmetic overflow or underflow";
    case 0x12: return "division or modulo by zero";
    case 0x21: return "invalid enum value";
    case 0x22: return "corrupt storage byte array";
    case 0x31: return "pop on an empty array";
    case 0x32: return "array index out of bounds";
    case 0x41: return "out of memory";
    case 0x51: return "call to an uninitialised function";
    default: return "unknown panic";
    }
}

bool has_selector(wallet::ByteView data, const std::array<std::uint8_t, 4>& selector)
{
    return data.size() >= 4 && std::equal(selector.begin(), selector.end(), data.begin());
}

}  // namespace

std::string describe_revert(wallet::ByteView data, const std::vector<Signature>& custom_errors)
{
    if (data.empty()) return "reverted without a reason";
    static const Signature error_string = *parse_signature("Error(string)");
    static const Signature panic = *parse_signature("Panic(uint256)");
    if (has_selector(data, error_string.selector())) {
        auto values = decode(error_string.inputs, data.subspan(4));
        if (values) return std::get<std::string>(values->at(0).data);
    }
    if (has_selector(data, panic.selector())) {
        auto values = decode(panic.inputs, data.subspan(4));
        if (values) {
            const auto& code = std::get<wallet::U256>(values->at(0).data);
            return "panic: " + panic_meaning(code) + " (" + code.to_hex() + ")";
        }
    }
    for (const auto& custom : custom_errors) {
        if (!has_selector(data, custom.selector())) continue;
        auto values = decode(custom.inputs, data.subspan(4));
        if (!values) continue;
        std::string args = values_to_json(custom.inputs, *values);
        return custom.name + "(" + args.substr(1, args.size() - 2) + ")";
    }
    if (data.size() < 4) return "reverted with malformed data " + wallet::to_hex(data);
    return "reverted with unknown error " + wallet::to_hex(data.first(4)) +
           (data.size() > 4 ? " and " + std::to_string(data.size() - 4) + " bytes of data" : "");
}

}  // namespace nftterm::protocols::abi
