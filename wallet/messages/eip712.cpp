#include "eip712.hpp"

#include <wallet/crypto/hashes.hpp>
#include <wallet/primitives/address.hpp>
#include <wallet/primitives/u256.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <vector>

namespace nftterm::wallet {
namespace {

using nlohmann::json;

constexpr int kMaxDepth = 64;

struct Field {
    std::string name;
    std::string type;
};

using Types = std::map<std::string, std::vector<Field>, std::less<>>;

std::unexpected<Error> bad_typed_data(std::string what)
{
    return fail(Errc::InvalidTypedData, std::move(what));
}

/// "Person[][3]" → base "Person"; "uint256" → itself.
std::string_view base_type(std::string_view type)
{
    const auto bracket = type.find('[');
    return bracket == std::string_view::npos ? type : type.substr(0, bracket);
}

bool is_identifier(std::string_view name)
{
    if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
    return std::all_of(name.begin(), name.end(),
                       [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; });
}

Result<Types> parse_types(const json& root)
{
    if (!root.contains("types") || !root["types"].is_object()) return bad_typed_data("'types' is missing or not an object");
    Types types;
    for (const auto& [name, fields] : root["types"].items()) {
        if (!is_identifier(name)) return bad_typed_data("type name '" + name + "' is not an identifier");
        if (!fields.is_array()) return bad_typed_data("type '" + name + "' is not an array of fields");
        std::vector<Field> parsed;
        std::set<std::string> seen;
        for (const auto& field : fields) {
            if (!field.is_object() || !field.contains("name") || !field.contains("type") || !field["name"].is_string()
                || !field["type"].is_string())
                return bad_typed_data("a field of '" + name + "' lacks a string 'name' and 'type'");
            Field f{field["name"].get<std::string>(), field["type"].get<std::string>()};
            if (!seen.insert(f.name).second) return bad_typed_data("type '" + name + "' has field '" + f.name + "' twice");
            parsed.push_back(std::move(f));
        }
        types.emplace(name, std::move(parsed));
    }
    return types;
}

/// Collects `type` and every struct type it references, recursively.
void collect_dependencies(const Types& types, std::string_view type, std::set<std::string, std::less<>>& found)
{
    const auto base = base_type(type);
    const auto it = types.find(base);
    if (it == types.end() || found.contains(base)) return;
    found.emplace(base);
    for (const auto& field : it->second) collect_dependencies(types, field.type, found);
}

std::string encode_type_of(const Types& types, std::string_view primary)
{
    std::set<std::string, std::less<>> deps;
    collect_dependencies(types, primary, deps);
    deps.erase(deps.find(primary));
    std::vector<std::string> order{std::string(primary)};
    order.insert(order.end(), deps.begin(), deps.end());
    std::string out;
    for (const auto& name : order) {
        out += name + "(";
        const auto& fields = types.find(name)->second;
        for (std::size_t i = 0; i < fields.size(); ++i) {
            if (i) out += ",";
            out += fields[i].type + " " + fields[i].name;
        }
        out += ")";
    }
    return out;
}

/// Parses a JSON integer value: a JSON integer, a decimal string (with an
/// optional '-') or a 0x hex string. Returns magnitude and sign.
Result<std::pair<U256, bool>> parse_integer(const json& value, const std::string& where)
{
    if (value.is_number_unsigned()) return std::pair{U256(value.get<std::uint64_t>()), false};
    if (value.is_number_integer()) {
        const auto v = value.get<std::int64_t>();
        const std::uint64_t magnitude = v < 0 ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
        return std::pair{U256(magnitude), v < 0};
    }
    if (value.is_string()) {
        std::string_view text = value.get_ref<const std::string&>();
        const bool negative = text.starts_with('-');
        if (negative) text.remove_prefix(1);
        auto magnitude = U256::parse(text);
        if (!magnitude) return bad_typed_data(where + ": " + magnitude.error().message());
        return std::pair{*magnitude, negative};
    }
    return bad_typed_data(where + ": expected an integer (a JSON integer or a decimal/hex string)");
}

Result<Hash32> encode_atomic(std::string_view type, const json& value, const std::string& where)
{
    Hash32 word;
    if (type == "bool") {
        if (!value.is_boolean()) return bad_typed_data(where + ": expected true or false");
        word.bytes[31] = value.get<bool>() ? 1 : 0;
        return word;
    }
    if (type == "address") {
        if (!value.is_string()) return bad_typed_data(where + ": expected an address string");
        auto address = Address::parse(value.get_ref<const std::string&>());
        if (!address) return bad_typed_data(where + ": " + address.error().message());
        std::copy(address->bytes.begin(), address->bytes.end(), word.bytes.begin() + 12);
        return word;
    }
    if (type == "string" || type == "bytes") {
        if (!value.is_string()) return bad_typed_data(where + ": expected a string");
        const auto& text = value.get_ref<const std::string&>();
        if (type == "string") return keccak256(as_view(text));
        auto bytes = bytes_from_hex(text);
        if (!bytes || !(text.starts_with("0x") || text.starts_with("0X")))
            return bad_typed_data(where + ": bytes must be 0x-prefixed hex");
        return keccak256(*bytes);
    }
    unsigned bits = 0;
    const auto parse_size = [&](std::string_view digits) {
        unsigned n = 0;
        auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
        return (ec == std::errc{} && ptr == digits.data() + digits.size() && !digits.starts_with('0')) ? n : 0u;
    };
    if (type.starts_with("bytes")) {
        const unsigned size = parse_size(type.substr(5));
        if (size < 1 || size > 32) return bad_typed_data(where + ": unknown type '" + std::string(type) + "'");
        if (!value.is_string()) return bad_typed_data(where + ": expected " + std::string(type) + " as 0x hex");
        auto bytes = bytes_from_hex(value.get_ref<const std::string&>());
        if (!bytes || bytes->size() != size)
            return bad_typed_data(where + ": expected exactly " + std::to_string(size) + " bytes of 0x hex");
        std::copy(bytes->begin(), bytes->end(), word.bytes.begin());
        return word;
    }
    const bool is_signed = type.starts_with("int");
    if (is_signed || type.starts_with("uint")) {
        bits = type == "int" || type == "uint" ? 256 : parse_size(type.substr(is_signed ? 3 : 4));
        if (bits < 8 || bits > 256 || bits % 8 != 0) return bad_typed_data(where + ": unknown type '" + std::string(type) + "'");
        auto parsed = parse_integer(value, where);
        if (!parsed) return std::unexpected(parsed.error());
        const auto& [magnitude, negative] = *parsed;
        using Native = U256::Native;
        if (!is_signed) {
            if (negative && !magnitude.is_zero()) return bad_typed_data(where + ": " + std::string(type) + " cannot be negative");
            if (bits < 256 && magnitude.native() >= (Native(1) << bits))
                return bad_typed_data(where + ": " + magnitude.to_dec() + " does not fit in " + std::string(type));
            return *Hash32::from_view(magnitude.to_be());
        }
        const Native limit = Native(1) << (bits - 1);
        if (negative ? magnitude.native() > limit : magnitude.native() >= limit)
            return bad_typed_data(where + ": value does not fit in " + std::string(type));
        if (!negative || magnitude.is_zero()) return *Hash32::from_view(magnitude.to_be());
        // Two's complement in 256 bits: 2^256 - magnitude.
        const U256 twos = U256::max() - magnitude + U256(1);
        return *Hash32::from_view(twos.to_be());
    }
    return bad_typed_data(where + ": unknown type '" + std::string(type) + "'");
}

class Encoder {
public:
    explicit Encoder(const Types& types) : m_types(types) {}

    Result<Hash32> hash_struct(std::string_view type, const json& value, const std::string& where, int depth)
    {
        if (depth > kMaxDepth) return bad_typed_data(where + ": nested deeper than " + std::to_string(kMaxDepth));
        const auto it = m_types.find(type);
        if (it == m_types.end()) return bad_typed_data(where + ": unknown type '" + std::string(type) + "'");
        if (!value.is_object()) return bad_typed_data(where + ": expected an object of type " + std::string(type));
        for (const auto& [key, _] : value.items()) {
            const bool known = std::any_of(it->second.begin(), it->second.end(), [&](const Field& f) { return f.name == key; });
            if (!known) return bad_typed_data(where + ": field '" + key + "' is not part of type " + std::string(type));
        }
        Bytes encoded;
        const Hash32 type_hash = keccak256(as_view(encode_type_of(m_types, type)));
        encoded.insert(encoded.end(), type_hash.bytes.begin(), type_hash.bytes.end());
        for (const auto& field : it->second) {
            const std::string field_where = where + "." + field.name;
            if (!value.contains(field.name)) return bad_typed_data(field_where + " is missing");
            auto word = encode_value(field.type, value[field.name], field_where, depth + 1);
            if (!word) return word;
            encoded.insert(encoded.end(), word->bytes.begin(), word->bytes.end());
        }
        return keccak256(encoded);
    }

private:
    Result<Hash32> encode_value(std::string_view type, const json& value, const std::string& where, int depth)
    {
        if (type.ends_with(']')) {
            const auto open = type.rfind('[');
            if (open == std::string_view::npos) return bad_typed_data(where + ": malformed array type '" + std::string(type) + "'");
            const std::string_view element = type.substr(0, open);
            const std::string_view size_text = type.substr(open + 1, type.size() - open - 2);
            if (!value.is_array()) return bad_typed_data(where + ": expected an array of " + std::string(element));
            if (!size_text.empty()) {
                std::size_t size = 0;
                auto [ptr, ec] = std::from_chars(size_text.data(), size_text.data() + size_text.size(), size);
                if (ec != std::errc{} || ptr != size_text.data() + size_text.size())
                    return bad_typed_data(where + ": malformed array type '" + std::string(type) + "'");
                if (value.size() != size)
                    return bad_typed_data(where + ": expected " + std::to_string(size) + " elements, got " + std::to_string(value.size()));
            }
            Bytes encoded;
            for (std::size_t i = 0; i < value.size(); ++i) {
                auto word = encode_value(element, value[i], where + "[" + std::to_string(i) + "]", depth + 1);
                if (!word) return word;
                encoded.insert(encoded.end(), word->bytes.begin(), word->bytes.end());
            }
            return keccak256(encoded);
        }
        if (m_types.contains(type)) return hash_struct(type, value, where, depth);
        return encode_atomic(type, value, where);
    }

    const Types& m_types;
};

Result<json> parse_json(std::string_view json_text)
{
    json root = json::parse(json_text, nullptr, false);
    if (root.is_discarded()) return bad_typed_data("not valid JSON");
    if (!root.is_object()) return bad_typed_data("typed data must be a JSON object");
    return root;
}

/// EIP-712 lets wallets infer the domain type from the domain's fields when
/// "EIP712Domain" is absent; the order is fixed by the standard.
void add_domain_type_if_missing(Types& types, const json& domain)
{
    if (types.contains("EIP712Domain")) return;
    static const std::pair<const char*, const char*> kDomainFields[] = {
        {"name", "string"}, {"version", "string"}, {"chainId", "uint256"}, {"verifyingContract", "address"}, {"salt", "bytes32"}};
    std::vector<Field> fields;
    for (const auto& [name, type] : kDomainFields)
        if (domain.contains(name)) fields.push_back({name, type});
    types.emplace("EIP712Domain", std::move(fields));
}

}  // namespace

Result<TypedDataHash> hash_typed_data(std::string_view json_text)
{
    auto root = parse_json(json_text);
    if (!root) return std::unexpected(root.error());
    auto types = parse_types(*root);
    if (!types) return std::unexpected(types.error());
    if (!root->contains("primaryType") || !(*root)["primaryType"].is_string())
        return bad_typed_data("'primaryType' is missing or not a string");
    if (!root->contains("domain") || !(*root)["domain"].is_object()) return bad_typed_data("'domain' is missing or not an object");
    const json& domain = (*root)["domain"];
    add_domain_type_if_missing(*types, domain);

    TypedDataHash out;
    out.primary_type = (*root)["primaryType"].get<std::string>();
    if (!types->contains(out.primary_type)) return bad_typed_data("primaryType '" + out.primary_type + "' is not among the types");

    Encoder encoder(*types);
    auto domain_separator = encoder.hash_struct("EIP712Domain", domain, "domain", 0);
    if (!domain_separator) return std::unexpected(domain_separator.error());
    out.domain_separator = *domain_separator;

    Bytes payload{0x19, 0x01};
    payload.insert(payload.end(), out.domain_separator.bytes.begin(), out.domain_separator.bytes.end());
    if (out.primary_type != "EIP712Domain") {
        if (!root->contains("message")) return bad_typed_data("'message' is missing");
        auto message_hash = encoder.hash_struct(out.primary_type, (*root)["message"], "message", 0);
        if (!message_hash) return std::unexpected(message_hash.error());
        out.message_hash = *message_hash;
        payload.insert(payload.end(), out.message_hash.bytes.begin(), out.message_hash.bytes.end());
    }
    out.digest = keccak256(payload);
    return out;
}

Result<std::string> encode_type(std::string_view json_text, std::string_view type_name)
{
    auto root = parse_json(json_text);
    if (!root) return std::unexpected(root.error());
    auto types = parse_types(*root);
    if (!types) return std::unexpected(types.error());
    if (!types->contains(type_name)) return bad_typed_data("unknown type '" + std::string(type_name) + "'");
    return encode_type_of(*types, type_name);
}

}  // namespace nftterm::wallet
