#include "u256.hpp"

#include <algorithm>
#include <cctype>

namespace nftterm::wallet {
namespace {

using Wide = boost::multiprecision::uint512_t;

const Wide& max_u256()
{
    static const Wide max = (Wide(1) << 256) - 1;
    return max;
}

U256 narrow(const Wide& wide)
{
    return U256(U256::Native(wide));
}

std::string clip(std::string_view text)
{
    return text.size() > 80 ? std::string(text.substr(0, 77)) + "..." : std::string(text);
}

}  // namespace

Result<U256> U256::from_dec(std::string_view text)
{
    if (text.empty()) return fail(Errc::InvalidNumber, "empty number");
    Wide acc = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return fail(Errc::InvalidNumber, "'" + clip(text) + "' is not a decimal integer");
        acc = acc * 10 + (c - '0');
        if (acc > max_u256()) return fail(Errc::Overflow, "'" + clip(text) + "' does not fit in 256 bits");
    }
    return narrow(acc);
}

Result<U256> U256::from_hex(std::string_view text)
{
    std::string_view hex = text;
    if (hex.starts_with("0x") || hex.starts_with("0X")) hex.remove_prefix(2);
    if (hex.empty()) return fail(Errc::InvalidNumber, "'" + clip(text) + "' has no hex digits");
    Wide acc = 0;
    for (char c : hex) {
        int nib = -1;
        if (c >= '0' && c <= '9') nib = c - '0';
        else if (c >= 'a' && c <= 'f') nib = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') nib = c - 'A' + 10;
        if (nib < 0) return fail(Errc::InvalidNumber, "'" + clip(text) + "' is not a hex integer");
        acc = (acc << 4) | nib;
        if (acc > max_u256()) return fail(Errc::Overflow, "'" + clip(text) + "' does not fit in 256 bits");
    }
    return narrow(acc);
}

Result<U256> U256::parse(std::string_view text)
{
    if (text.starts_with("0x") || text.starts_with("0X")) return from_hex(text);
    return from_dec(text);
}

Result<U256> U256::parse_units(std::string_view text, unsigned decimals)
{
    if (decimals > 77) return fail(Errc::InvalidNumber, "a token cannot have more than 77 decimals");
    const auto dot = text.find('.');
    std::string_view whole = text.substr(0, dot);
    std::string_view frac = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
    if (whole.empty() && frac.empty()) return fail(Errc::InvalidNumber, "'" + clip(text) + "' is not an amount");
    if (frac.size() > decimals)
        return fail(Errc::InvalidNumber, "'" + clip(text) + "' has more than " + std::to_string(decimals)
                                             + " decimal places");
    std::string digits(whole.empty() ? "0" : whole);
    digits.append(frac);
    digits.append(decimals - frac.size(), '0');
    auto value = from_dec(digits);
    if (!value) return fail(value.error().code, "'" + clip(text) + "' is not a valid amount: " + value.error().context);
    return value;
}

Result<U256> U256::parse_with_unit(std::string_view text)
{
    auto trim = [](std::string_view s) {
        while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
        while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
        return s;
    };
    text = trim(text);
    struct Unit {
        std::string_view name;
        unsigned decimals;
    };
    static constexpr Unit kUnits[] = {{"ether", 18}, {"eth", 18}, {"gwei", 9}, {"wei", 0}};
    for (const auto& unit : kUnits) {
        if (text.size() > unit.name.size() && text.ends_with(unit.name)) {
            return parse_units(trim(text.substr(0, text.size() - unit.name.size())), unit.decimals);
        }
    }
    return parse(text);
}

Result<U256> U256::from_be(ByteView bytes)
{
    if (bytes.size() > 32) return fail(Errc::Overflow, std::to_string(bytes.size()) + " bytes do not fit in 256 bits");
    // Whole 64-bit words: four wide operations instead of 32 byte shifts (ABI decoding does this per value).
    std::uint64_t words[4] = {0, 0, 0, 0};
    const std::size_t skip = 32 - bytes.size();
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        const std::size_t at = skip + i;
        words[at / 8] |= static_cast<std::uint64_t>(bytes[i]) << (8 * (7 - at % 8));
    }
    Native value = words[0];
    for (int w = 1; w < 4; ++w) value = (value << 64) | words[w];
    return U256(value);
}

std::array<std::uint8_t, 32> U256::to_be() const
{
    std::array<std::uint8_t, 32> out{};
    Native v = m_value;
    for (int i = 31; i >= 0 && v != 0; --i) {
        out[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v & 0xff);
        v >>= 8;
    }
    return out;
}

Bytes U256::to_be_minimal() const
{
    const auto full = to_be();
    auto first = std::find_if(full.begin(), full.end(), [](std::uint8_t b) { return b != 0; });
    return Bytes(first, full.end());
}

std::string U256::to_dec() const
{
    return m_value.str();
}

std::string U256::to_hex() const
{
    if (m_value == 0) return "0x0";
    std::string hex = to_hex_bare(to_be());
    hex.erase(0, hex.find_first_not_of('0'));
    return "0x" + hex;
}

std::string U256::format_units(unsigned decimals) const
{
    std::string digits = to_dec();
    if (decimals == 0) return digits;
    if (digits.size() <= decimals) digits.insert(0, decimals - digits.size() + 1, '0');
    std::string whole = digits.substr(0, digits.size() - decimals);
    std::string frac = digits.substr(digits.size() - decimals);
    frac.erase(frac.find_last_not_of('0') + 1);
    return frac.empty() ? whole : whole + "." + frac;
}

std::optional<std::uint64_t> U256::to_u64() const
{
    if (m_value > std::numeric_limits<std::uint64_t>::max()) return std::nullopt;
    return static_cast<std::uint64_t>(m_value);
}

Result<U256> U256::checked_add(const U256& a, const U256& b)
{
    const Wide sum = Wide(a.m_value) + Wide(b.m_value);
    if (sum > max_u256()) return fail(Errc::Overflow, "addition overflows 256 bits");
    return narrow(sum);
}

Result<U256> U256::checked_sub(const U256& a, const U256& b)
{
    if (b > a) return fail(Errc::Overflow, "subtraction underflows: " + a.to_dec() + " - " + b.to_dec());
    return U256(a.m_value - b.m_value);
}

Result<U256> U256::checked_mul(const U256& a, const U256& b)
{
    const Wide product = Wide(a.m_value) * Wide(b.m_value);
    if (product > max_u256()) return fail(Errc::Overflow, "multiplication overflows 256 bits");
    return narrow(product);
}

Result<U256> U256::mul_div(const U256& a, const U256& b, const U256& d)
{
    if (d.is_zero()) return fail(Errc::InvalidNumber, "division by zero");
    const Wide quotient = Wide(a.m_value) * Wide(b.m_value) / Wide(d.m_value);
    if (quotient > max_u256()) return fail(Errc::Overflow, "mulDiv result overflows 256 bits");
    return narrow(quotient);
}

}  // namespace nftterm::wallet
