#include "ledger_eip712.hpp"

#include <wallet/primitives/u256.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <regex>

namespace nftterm::wallet::ledger {
namespace {

using nlohmann::json;

constexpr std::uint8_t kArrayBit = 0x80;
constexpr std::uint8_t kSizeBit = 0x40;
enum TypeCode : std::uint8_t { Custom = 0, Int = 1, Uint = 2, AddressType = 3, Bool = 4, String = 5, FixedBytes = 6, DynamicBytes = 7 };

/// "uint8[2][]" → base "uint8", levels {2, nullopt}.
struct ParsedType {
    std::string base;
    std::vector<std::optional<std::size_t>> levels;
};

std::optional<ParsedType> parse_type(const std::string& text)
{
    ParsedType out;
    std::size_t end = text.find('[');
    out.base = text.substr(0, end);
    while (end != std::string::npos) {
        const std::size_t close = text.find(']', end);
        if (close == std::string::npos) return std::nullopt;
        const std::string inside = text.substr(end + 1, close - end - 1);
        if (inside.empty()) out.levels.emplace_back(std::nullopt);
        else {
            if (inside.find_first_not_of("0123456789") != std::string::npos || inside.size() > 3) return std::nullopt;
            out.levels.emplace_back(std::stoul(inside));
        }
        end = close + 1 < text.size() ? close + 1 : std::string::npos;
        if (end != std::string::npos && text[end] != '[') return std::nullopt;
    }
    return out;
}

/// A base type's code and, for intN, uintN and bytesN, its byte size (0: none).
struct TypeInfo {
    TypeCode code = Custom;
    std::uint8_t size = 0;
};

std::optional<TypeInfo> code_of(const std::string& base, const json& types)
{
    static const std::regex sized(R"((u?int|bytes)(\d+))");
    std::smatch match;
    if (base == "address") return TypeInfo{AddressType, 0};
    if (base == "bool") return TypeInfo{Bool, 0};
    if (base == "string") return TypeInfo{String, 0};
    if (base == "bytes") return TypeInfo{DynamicBytes, 0};
    if (std::regex_match(base, match, sized)) {
        const unsigned n = static_cast<unsigned>(std::stoul(match[2]));
        if (match[1] == "bytes") return n >= 1 && n <= 32 ? std::optional(TypeInfo{FixedBytes, static_cast<std::uint8_t>(n)}) : std::nullopt;
        if (n < 8 || n > 256 || n % 8) return std::nullopt;
        return TypeInfo{match[1] == "int" ? Int : Uint, static_cast<std::uint8_t>(n / 8)};
    }
    if (base == "int" || base == "uint") return TypeInfo{base == "int" ? Int : Uint, 32};
    if (types.contains(base)) return TypeInfo{Custom, 0};
    return std::nullopt;
}

Apdu command(std::uint8_t ins, std::uint8_t p1, std::uint8_t p2, Bytes data)
{
    return Apdu{0xE0, ins, p1, p2, std::move(data)};
}

Bytes text_bytes(const std::string& text)
{
    return Bytes(text.begin(), text.end());
}

/// A field's value as the app takes it: raw bytes, integers without leading zero bytes.
Result<Bytes> value_bytes(TypeCode code, std::uint8_t size, const json& value)
{
    const auto number = [&]() -> Result<std::pair<bool, U256>> {
        std::string text = value.is_number_unsigned() ? std::to_string(value.get<std::uint64_t>())
                           : value.is_number_integer() ? std::to_string(value.get<std::int64_t>())
                           : value.is_string()         ? value.get<std::string>()
                                                       : std::string();
        const bool negative = !text.empty() && text[0] == '-';
        if (negative) text.erase(0, 1);
        auto parsed = text.starts_with("0x") ? U256::parse(text) : U256::from_dec(text);
        if (!parsed) return fail(Errc::InvalidTypedData, "'" + value.dump() + "' is not an integer");
        return std::pair{negative, *parsed};
    };
    switch (code) {
    case Uint:
    case Int: {
        auto parsed = number();
        if (!parsed) return std::unexpected(parsed.error());
        auto [negative, magnitude] = *parsed;
        U256 raw = magnitude;
        const std::size_t width = size ? size : 32;
        if (negative && !magnitude.is_zero()) {
            // Two's complement at the field's width (U256 never wraps by itself).
            raw = (U256::max() - magnitude) + U256(1);
            const auto full = raw.to_be();
            return Bytes(full.begin() + static_cast<std::ptrdiff_t>(32 - width), full.end());
        }
        const auto full = raw.to_be();
        std::size_t first = 0;
        while (first < 31 && full[first] == 0) ++first;
        return Bytes(full.begin() + static_cast<std::ptrdiff_t>(first), full.end());
    }
    case AddressType: {
        auto address = value.is_string() ? Address::parse(value.get<std::string>()) : fail(Errc::InvalidAddress, "not text");
        if (!address) return fail(Errc::InvalidTypedData, "'" + value.dump() + "' is not an address");
        return Bytes(address->view().begin(), address->view().end());
    }
    case Bool:
        if (!value.is_boolean()) return fail(Errc::InvalidTypedData, "'" + value.dump() + "' is not a bool");
        return Bytes{static_cast<std::uint8_t>(value.get<bool>() ? 1 : 0)};
    case String:
        if (!value.is_string()) return fail(Errc::InvalidTypedData, "'" + value.dump() + "' is not a string");
        return text_bytes(value.get<std::string>());
    case FixedBytes:
    case DynamicBytes: {
        auto bytes = value.is_string() ? bytes_from_hex(value.get<std::string>()) : fail(Errc::InvalidHex, "not text");
        if (!bytes) return fail(Errc::InvalidTypedData, "'" + value.dump() + "' is not hex bytes");
        return std::move(*bytes);
    }
    case Custom: break;
    }
    return fail(Errc::InvalidTypedData, "a struct has no raw value");
}

class Streamer {
public:
    explicit Streamer(const json& types) : m_types(types) {}
    std::vector<Apdu> apdus;

    Result<void> define()
    {
        for (const auto& [name, fields] : m_types.items()) {
            apdus.push_back(command(0x1A, 0x00, 0x00, text_bytes(name)));
            if (!fields.is_array()) return fail(Errc::InvalidTypedData, "type " + name + " is not a list of fields");
            for (const auto& field : fields) {
                const std::string type = field.value("type", "");
                const std::string key = field.value("name", "");
                const auto parsed = parse_type(type);
                const auto code = parsed ? code_of(parsed->base, m_types) : std::nullopt;
                if (!code || key.empty() || key.size() > 255) return fail(Errc::InvalidTypedData, "field " + name + "." + key + " has type '" + type + "' the device cannot take");
                Bytes data{static_cast<std::uint8_t>((parsed->levels.empty() ? 0 : kArrayBit) | (code->size ? kSizeBit : 0) | code->code)};
                if (code->code == Custom) {
                    data.push_back(static_cast<std::uint8_t>(parsed->base.size()));
                    data.insert(data.end(), parsed->base.begin(), parsed->base.end());
                }
                if (code->size) data.push_back(code->size);
                if (!parsed->levels.empty()) {
                    data.push_back(static_cast<std::uint8_t>(parsed->levels.size()));
                    for (const auto& level : parsed->levels) {
                        data.push_back(level ? 1 : 0);
                        if (level) data.push_back(static_cast<std::uint8_t>(*level));
                    }
                }
                data.push_back(static_cast<std::uint8_t>(key.size()));
                data.insert(data.end(), key.begin(), key.end());
                apdus.push_back(command(0x1A, 0x00, 0xFF, std::move(data)));
            }
        }
        return {};
    }

    Result<void> implement(const std::string& root, const json& value)
    {
        apdus.push_back(command(0x1C, 0x00, 0x00, text_bytes(root)));
        return structure(root, value);
    }

private:
    Result<void> structure(const std::string& name, const json& value)
    {
        if (!value.is_object()) return fail(Errc::InvalidTypedData, "the value of a " + name + " is not an object");
        for (const auto& field : m_types.at(name)) {
            const std::string key = field.at("name").get<std::string>();
            if (!value.contains(key)) return fail(Errc::InvalidTypedData, name + "." + key + " has no value");
            const auto parsed = *parse_type(field.at("type").get<std::string>());
            if (auto sent = any(parsed.base, parsed.levels, 0, value.at(key)); !sent) return sent;
        }
        return {};
    }

    Result<void> any(const std::string& base, const std::vector<std::optional<std::size_t>>& levels, std::size_t level, const json& value)
    {
        if (level < levels.size()) {
            // The outermost dimension first, as the type reads from the right; the app is told each array's size.
            const std::size_t index = levels.size() - 1 - level;
            if (!value.is_array() || (levels[index] && value.size() != *levels[index]) || value.size() > 255)
                return fail(Errc::InvalidTypedData, "an array of " + base + " has the wrong length");
            apdus.push_back(command(0x1C, 0x00, 0x0F, Bytes{static_cast<std::uint8_t>(value.size())}));
            for (const auto& item : value)
                if (auto sent = any(base, levels, level + 1, item); !sent) return sent;
            return {};
        }
        const auto code = code_of(base, m_types);
        if (code->code == Custom) return structure(base, value);
        auto raw = value_bytes(code->code, code->size, value);
        if (!raw) return std::unexpected(raw.error());
        // 2-byte length then the value, cut to APDUs of at most 255 bytes (P1 01: more to come).
        Bytes framed;
        framed.reserve(raw->size() + 2);
        framed.push_back(static_cast<std::uint8_t>(raw->size() >> 8));
        framed.push_back(static_cast<std::uint8_t>(raw->size()));
        framed.insert(framed.end(), raw->begin(), raw->end());
        for (std::size_t offset = 0; offset < framed.size(); offset += 255) {
            const std::size_t size = std::min<std::size_t>(255, framed.size() - offset);
            const bool last = offset + size == framed.size();
            apdus.push_back(command(0x1C, last ? 0x00 : 0x01, 0xFF,
                                    Bytes(framed.begin() + static_cast<std::ptrdiff_t>(offset), framed.begin() + static_cast<std::ptrdiff_t>(offset + size))));
        }
        return {};
    }

    const json& m_types;
};

}  // namespace

Result<std::vector<Apdu>> sign_eip712_full(const DerivationPath& path, std::string_view typed_data_json)
{
    const json document = json::parse(typed_data_json, nullptr, false);
    if (document.is_discarded() || !document.is_object() || !document.contains("types") || !document["types"].is_object() ||
        !document.contains("primaryType") || !document["primaryType"].is_string() || !document.contains("domain") || !document.contains("message"))
        return fail(Errc::InvalidTypedData, "not eth_signTypedData_v4 JSON (types, primaryType, domain, message)");
    const json& types = document["types"];
    const std::string primary = document["primaryType"].get<std::string>();
    if (!types.contains("EIP712Domain") || !types.contains(primary)) return fail(Errc::InvalidTypedData, "EIP712Domain or " + primary + " is not defined");
    auto encoded = encode_path(path);
    if (!encoded) return std::unexpected(encoded.error());
    // The types in name order (as Ledger's own client sends them); each struct's fields in their order.
    Streamer out(types);
    if (auto defined = out.define(); !defined) return std::unexpected(defined.error());
    if (auto domain = out.implement("EIP712Domain", document["domain"]); !domain) return std::unexpected(domain.error());
    if (auto message = out.implement(primary, document["message"]); !message) return std::unexpected(message.error());
    out.apdus.push_back(command(0x0C, 0x00, 0x01, std::move(*encoded)));
    return std::move(out.apdus);
}

}  // namespace nftterm::wallet::ledger
