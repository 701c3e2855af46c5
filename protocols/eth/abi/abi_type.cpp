#include "abi_type.hpp"

#include <wallet/crypto/hashes.hpp>

#include <cctype>
#include <charconv>

namespace nftterm::protocols::abi {
namespace {

constexpr int kMaxTypeDepth = 32;

std::unexpected<Error> bad_type(std::string what)
{
    return fail(Errc::Decode, std::move(what));
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

/// Splits "a, (b,c), d" at top-level commas.
Result<std::vector<std::string_view>> split_top_level(std::string_view text)
{
    std::vector<std::string_view> parts;
    int depth = 0;
    std::size_t start = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '(') ++depth;
        else if (text[i] == ')' && --depth < 0) return bad_type("unbalanced parentheses in '" + std::string(text) + "'");
        else if (text[i] == ',' && depth == 0) {
            parts.push_back(trim(text.substr(start, i - start)));
            start = i + 1;
        }
    }
    if (depth != 0) return bad_type("unbalanced parentheses in '" + std::string(text) + "'");
    if (!trim(text).empty()) parts.push_back(trim(text.substr(start)));
    for (auto part : parts)
        if (part.empty()) return bad_type("empty type in '" + std::string(text) + "'");
    return parts;
}

Result<unsigned> parse_number(std::string_view digits, std::string_view whole)
{
    unsigned n = 0;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (digits.empty() || ec != std::errc{} || ptr != digits.data() + digits.size() || digits.starts_with('0'))
        return bad_type("'" + std::string(whole) + "' is not a valid type");
    return n;
}

Result<Type> parse_type_at(std::string_view text, int depth);

Result<std::vector<Type>> parse_list_at(std::string_view text, int depth)
{
    text = trim(text);
    if (!text.starts_with('(') || !text.ends_with(')')) return bad_type("expected '(…)', got '" + std::string(text) + "'");
    auto parts = split_top_level(text.substr(1, text.size() - 2));
    if (!parts) return std::unexpected(parts.error());
    std::vector<Type> out;
    for (auto part : *parts) {
        auto type = parse_type_at(part, depth + 1);
        if (!type) return std::unexpected(type.error());
        out.push_back(std::move(*type));
    }
    return out;
}

Result<Type> parse_base(std::string_view base, std::string_view whole, int depth)
{
    Type t;
    if (base.starts_with('(') || base.starts_with("tuple(")) {
        if (base.starts_with("tuple")) base.remove_prefix(5);
        auto members = parse_list_at(base, depth);
        if (!members) return std::unexpected(members.error());
        t.kind = Type::Kind::Tuple;
        t.components = std::move(*members);
        return t;
    }
    if (base == "address") { t.kind = Type::Kind::Address; return t; }
    if (base == "bool") { t.kind = Type::Kind::Bool; return t; }
    if (base == "string") { t.kind = Type::Kind::String; return t; }
    if (base == "bytes") { t.kind = Type::Kind::Bytes; return t; }
    if (base == "uint" || base == "int") {
        t.kind = base == "uint" ? Type::Kind::Uint : Type::Kind::Int;
        return t;
    }
    if (base.starts_with("bytes")) {
        auto n = parse_number(base.substr(5), whole);
        if (!n || *n < 1 || *n > 32) return bad_type("'" + std::string(whole) + "': bytesN needs 1 <= N <= 32");
        t.kind = Type::Kind::FixedBytes;
        t.size = *n;
        return t;
    }
    const bool is_int = base.starts_with("int");
    if (is_int || base.starts_with("uint")) {
        auto n = parse_number(base.substr(is_int ? 3 : 4), whole);
        if (!n || *n < 8 || *n > 256 || *n % 8 != 0)
            return bad_type("'" + std::string(whole) + "': integer sizes are 8 to 256 in steps of 8");
        t.kind = is_int ? Type::Kind::Int : Type::Kind::Uint;
        t.size = *n;
        return t;
    }
    return bad_type("unknown type '" + std::string(whole) + "'");
}

Result<Type> parse_type_at(std::string_view text, int depth)
{
    if (depth > kMaxTypeDepth) return bad_type("types nested deeper than " + std::to_string(kMaxTypeDepth));
    text = trim(text);
    // A trailing member name: "address to" (the name is after the last space
    // that is outside parentheses and brackets).
    std::string name;
    {
        int nest = 0;
        std::size_t split = std::string_view::npos;
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (text[i] == '(' || text[i] == '[') ++nest;
            else if (text[i] == ')' || text[i] == ']') --nest;
            else if (nest == 0 && std::isspace(static_cast<unsigned char>(text[i]))) split = i;
        }
        if (split != std::string_view::npos) {
            name = std::string(trim(text.substr(split + 1)));
            text = trim(text.substr(0, split));
            // Solidity's data locations are not part of the type.
            for (std::string_view location : {" memory", " calldata", " storage", " indexed"})
                if (text.ends_with(location)) text = trim(text.substr(0, text.size() - location.size()));
            if (name == "memory" || name == "calldata" || name == "storage" || name == "indexed") name.clear();
        }
    }
    // Array suffixes, innermost first: "uint256[2][]" is an array of uint256[2].
    std::vector<std::string_view> suffixes;
    while (text.ends_with(']')) {
        const auto open = text.rfind('[');
        if (open == std::string_view::npos) return bad_type("malformed array type '" + std::string(text) + "'");
        suffixes.insert(suffixes.begin(), text.substr(open + 1, text.size() - open - 2));
        text = text.substr(0, open);
    }
    auto type = parse_base(text, text, depth);
    if (!type) return type;
    for (auto suffix : suffixes) {
        Type array;
        array.components.push_back(std::move(*type));
        if (suffix.empty()) {
            array.kind = Type::Kind::Array;
        } else {
            auto n = parse_number(suffix, suffix);
            if (!n || *n == 0) return bad_type("array length must be a positive integer, got '" + std::string(suffix) + "'");
            array.kind = Type::Kind::FixedArray;
            array.length = *n;
        }
        type = std::move(array);
    }
    type->name = std::move(name);
    return type;
}

}  // namespace

std::string Type::canonical() const
{
    switch (kind) {
    case Kind::Uint: return "uint" + std::to_string(size);
    case Kind::Int: return "int" + std::to_string(size);
    case Kind::Address: return "address";
    case Kind::Bool: return "bool";
    case Kind::FixedBytes: return "bytes" + std::to_string(size);
    case Kind::Bytes: return "bytes";
    case Kind::String: return "string";
    case Kind::Array: return components[0].canonical() + "[]";
    case Kind::FixedArray: return components[0].canonical() + "[" + std::to_string(length) + "]";
    case Kind::Tuple: {
        std::string out = "(";
        for (std::size_t i = 0; i < components.size(); ++i) out += (i ? "," : "") + components[i].canonical();
        return out + ")";
    }
    }
    return {};
}

bool Type::is_dynamic() const
{
    switch (kind) {
    case Kind::Bytes:
    case Kind::String:
    case Kind::Array: return true;
    case Kind::FixedArray: return components[0].is_dynamic();
    case Kind::Tuple:
        for (const auto& c : components)
            if (c.is_dynamic()) return true;
        return false;
    default: return false;
    }
}

std::size_t Type::head_size() const
{
    if (is_dynamic()) return 32;
    if (kind == Kind::FixedArray) return length * components[0].head_size();
    if (kind == Kind::Tuple) {
        std::size_t total = 0;
        for (const auto& c : components) total += c.head_size();
        return total;
    }
    return 32;
}

Result<Type> parse_type(std::string_view text)
{
    return parse_type_at(text, 0);
}

Result<std::vector<Type>> parse_type_list(std::string_view text)
{
    return parse_list_at(text, 0);
}

std::string Signature::canonical() const
{
    Type tuple;
    tuple.kind = Type::Kind::Tuple;
    tuple.components = inputs;
    return name + tuple.canonical();
}

std::array<std::uint8_t, 4> Signature::selector() const
{
    const auto hash = wallet::keccak256(wallet::as_view(canonical()));
    return {hash.bytes[0], hash.bytes[1], hash.bytes[2], hash.bytes[3]};
}

Result<Signature> parse_signature(std::string_view text)
{
    text = trim(text);
    for (std::string_view keyword : {"function ", "error ", "event "})
        if (text.starts_with(keyword)) text = trim(text.substr(keyword.size()));
    const auto open = text.find('(');
    if (open == std::string_view::npos || open == 0) return bad_type("'" + std::string(text) + "' is not a signature like f(uint256)");
    Signature sig;
    sig.name = std::string(trim(text.substr(0, open)));
    for (char c : sig.name)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '$')
            return bad_type("'" + sig.name + "' is not a function name");
    // Find the parenthesis that closes the inputs.
    int depth = 0;
    std::size_t close = std::string_view::npos;
    for (std::size_t i = open; i < text.size(); ++i) {
        if (text[i] == '(') ++depth;
        else if (text[i] == ')' && --depth == 0) {
            close = i;
            break;
        }
    }
    if (close == std::string_view::npos) return bad_type("unbalanced parentheses in '" + std::string(text) + "'");
    auto inputs = parse_list_at(text.substr(open, close - open + 1), 0);
    if (!inputs) return std::unexpected(inputs.error());
    sig.inputs = std::move(*inputs);
    std::string_view rest = trim(text.substr(close + 1));
    // Modifiers a pasted Solidity line may carry.
    for (bool again = true; again;) {
        again = false;
        for (std::string_view word : {"external", "public", "view", "pure", "payable", "nonpayable", "anonymous"}) {
            if (rest.starts_with(word)) {
                rest = trim(rest.substr(word.size()));
                again = true;
            }
        }
    }
    if (rest.starts_with("returns")) {
        auto outputs = parse_list_at(rest.substr(7), 0);
        if (!outputs) return std::unexpected(outputs.error());
        sig.outputs = std::move(*outputs);
    } else if (rest.starts_with('(')) {
        // cast's short form: "balanceOf(address)(uint256)".
        auto outputs = parse_list_at(rest, 0);
        if (!outputs) return std::unexpected(outputs.error());
        sig.outputs = std::move(*outputs);
    } else if (!rest.empty()) {
        return bad_type("unexpected '" + std::string(rest) + "' after the parameters");
    }
    return sig;
}

}  // namespace nftterm::protocols::abi
