#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace nftterm::protocols::positions {

/// A figure of a `Position` that a snapshot diff reports as changed. The
/// diff produces them, the table maps each to a cell, and their JSON names
/// live in one table (`json_name`); adding one is a compile error wherever
/// a `switch` must handle it.
enum class PositionField : std::uint8_t {
    CollateralValue,
    ExitValue,
    Pnl,
    Debt,
    HealthFactor,
    MarginRatio,
    Price,
    LiquidationPrice,
    Maturity,
    CostPerDay,
    Size,
    State,
    PriceSource,
    PriceStale,
    Readable,
};
inline constexpr std::size_t kPositionFieldCount = static_cast<std::size_t>(PositionField::Readable) + 1;

/// The name in the JSON contract ("healthFactor", "collateralValue", …).
std::string_view json_name(PositionField field);
std::optional<PositionField> parse_position_field(std::string_view json_name);

/// A set of fields, one bit each: a changed row costs no allocation.
class PositionFields {
public:
    void insert(PositionField field) { m_bits |= bit(field); }
    bool contains(PositionField field) const { return (m_bits & bit(field)) != 0; }
    bool empty() const { return m_bits == 0; }
    std::size_t size() const { return static_cast<std::size_t>(__builtin_popcount(m_bits)); }
    friend bool operator==(PositionFields, PositionFields) = default;

    /// Calls `visit(field)` for each field in the set, in enum order.
    template <typename Visit>
    void for_each(Visit&& visit) const
    {
        for (std::size_t i = 0; i < kPositionFieldCount; ++i)
            if (m_bits & (1u << i)) visit(static_cast<PositionField>(i));
    }

private:
    static std::uint32_t bit(PositionField field) { return 1u << static_cast<unsigned>(field); }
    std::uint32_t m_bits = 0;
};

}  // namespace nftterm::protocols::positions
