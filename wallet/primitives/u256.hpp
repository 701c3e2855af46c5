#pragma once

#include <wallet/error.hpp>
#include <wallet/primitives/bytes.hpp>

#include <boost/multiprecision/cpp_int.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nftterm::wallet {

/// An unsigned 256-bit integer: Boost.Multiprecision's checked type behind a
/// thin wrapper. Overflow and underflow in the operators throw
/// std::overflow_error / std::range_error (a bug to fix, never a silent
/// wrap); the `checked_*` functions return an Error instead, for input.
class U256 {
public:
    using Native = boost::multiprecision::checked_uint256_t;

    U256() = default;
    U256(std::uint64_t value) : m_value(value) {}
    explicit U256(Native value) : m_value(std::move(value)) {}

    const Native& native() const noexcept { return m_value; }

    static U256 max() { return U256(~Native(0)); }

    /// Decimal digits only; no sign, no spaces, at most 2^256 - 1.
    static Result<U256> from_dec(std::string_view text);
    /// Hex digits with or without "0x"; at most 64 significant digits.
    static Result<U256> from_hex(std::string_view text);
    /// "0x…" as hex, anything else as decimal (JSON-RPC quantities and
    /// human input alike).
    static Result<U256> parse(std::string_view text);
    /// "1.25" with `decimals` = 18 → 1250000000000000000. More fractional
    /// digits than the token has is an error, never a rounding.
    static Result<U256> parse_units(std::string_view text, unsigned decimals);
    /// Unit names: "wei", "gwei", "ether" ("1.5 gwei", "2 ether", "7").
    static Result<U256> parse_with_unit(std::string_view text);

    /// Big-endian bytes, at most 32 (ABI words, RLP integers).
    static Result<U256> from_be(ByteView bytes);
    std::array<std::uint8_t, 32> to_be() const;
    /// Big-endian without leading zeros (empty for zero): the RLP form.
    Bytes to_be_minimal() const;

    std::string to_dec() const;
    /// JSON-RPC quantity form: "0x0", "0x1a".
    std::string to_hex() const;
    /// Exact decimal with `decimals` places, trailing zeros trimmed
    /// ("1.5", "0.000001", "42").
    std::string format_units(unsigned decimals) const;

    std::optional<std::uint64_t> to_u64() const;
    bool is_zero() const noexcept { return m_value == 0; }

    static Result<U256> checked_add(const U256& a, const U256& b);
    static Result<U256> checked_sub(const U256& a, const U256& b);
    static Result<U256> checked_mul(const U256& a, const U256& b);
    /// floor(a * b / d) with a 512-bit intermediate, as Solidity's mulDiv.
    static Result<U256> mul_div(const U256& a, const U256& b, const U256& d);

    friend U256 operator+(const U256& a, const U256& b) { return U256(a.m_value + b.m_value); }
    friend U256 operator-(const U256& a, const U256& b) { return U256(a.m_value - b.m_value); }
    friend U256 operator*(const U256& a, const U256& b) { return U256(a.m_value * b.m_value); }
    friend U256 operator/(const U256& a, const U256& b) { return U256(a.m_value / b.m_value); }
    friend U256 operator%(const U256& a, const U256& b) { return U256(a.m_value % b.m_value); }
    friend bool operator==(const U256& a, const U256& b) { return a.m_value == b.m_value; }
    friend std::strong_ordering operator<=>(const U256& a, const U256& b)
    {
        return a.m_value < b.m_value ? std::strong_ordering::less
             : a.m_value > b.m_value ? std::strong_ordering::greater
                                     : std::strong_ordering::equal;
    }

private:
    Native m_value{0};
};

}  // namespace nftterm::wallet

template <>
struct std::hash<nftterm::wallet::U256> {
    std::size_t operator()(const nftterm::wallet::U256& v) const noexcept
    {
        const auto be = v.to_be();
        std::size_t h = 0;
        for (auto b : be) h = h * 1099511628211ULL ^ b;
        return h;
    }
};
