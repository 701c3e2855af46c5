#pragma once

#include <wallet/error.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace nftterm::wallet {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

/// Lower-case hex with a "0x" prefix ("0x" alone for no bytes).
std::string to_hex(ByteView bytes);

/// Lower-case hex without a prefix.
std::string to_hex_bare(ByteView bytes);

/// Parses hex with or without "0x"; an odd length or a non-hex digit is an
/// error, never a truncation.
Result<Bytes> bytes_from_hex(std::string_view hex);

inline ByteView as_view(std::string_view text) noexcept
{
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

/// A fixed-size byte string (hashes, addresses): zero-initialised, regular,
/// ordered, hashable.
template <std::size_t N>
struct FixedBytes {
    std::array<std::uint8_t, N> bytes{};

    static constexpr std::size_t size() noexcept { return N; }
    constexpr const std::uint8_t* data() const noexcept { return bytes.data(); }
    constexpr std::uint8_t* data() noexcept { return bytes.data(); }
    constexpr ByteView view() const noexcept { return {bytes.data(), N}; }
    constexpr bool is_zero() const noexcept
    {
        for (auto b : bytes)
            if (b != 0) return false;
        return true;
    }

    std::string to_hex() const { return wallet::to_hex(view()); }

    /// Exactly N bytes of hex, with or without "0x".
    static std::optional<FixedBytes> from_hex(std::string_view hex)
    {
        auto parsed = bytes_from_hex(hex);
        if (!parsed || parsed->size() != N) return std::nullopt;
        return from_view(*parsed);
    }

    /// Exactly N bytes, else nullopt.
    static std::optional<FixedBytes> from_view(ByteView view)
    {
        if (view.size() != N) return std::nullopt;
        FixedBytes out;
        std::copy(view.begin(), view.end(), out.bytes.begin());
        return out;
    }

    friend constexpr bool operator==(const FixedBytes&, const FixedBytes&) = default;
    friend constexpr auto operator<=>(const FixedBytes&, const FixedBytes&) = default;
};

using Hash32 = FixedBytes<32>;

/// A hash is a hash, but a transaction hash is not a block hash: distinct
/// types keep them from being swapped by mistake.
template <typename Tag>
struct TaggedHash : Hash32 {
    TaggedHash() = default;
    explicit constexpr TaggedHash(const Hash32& h) noexcept : Hash32(h) {}
    static std::optional<TaggedHash> from_hex(std::string_view hex)
    {
        auto h = Hash32::from_hex(hex);
        if (!h) return std::nullopt;
        return TaggedHash(*h);
    }
    friend constexpr bool operator==(const TaggedHash&, const TaggedHash&) = default;
    friend constexpr auto operator<=>(const TaggedHash&, const TaggedHash&) = default;
};

using TxHash = TaggedHash<struct TxHashTag>;
using BlockHash = TaggedHash<struct BlockHashTag>;

}  // namespace nftterm::wallet

namespace nftterm::wallet {

/// FNV-1a over every byte: addresses are not uniform at the front
/// (precompiles, vanity deployers such as 0x0000…68f1 Seaport).
constexpr std::size_t hash_bytes(ByteView bytes) noexcept
{
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (const std::uint8_t b : bytes) h = (h ^ b) * 0x100000001b3ULL;
    return static_cast<std::size_t>(h);
}

}  // namespace nftterm::wallet

template <std::size_t N>
struct std::hash<nftterm::wallet::FixedBytes<N>> {
    std::size_t operator()(const nftterm::wallet::FixedBytes<N>& v) const noexcept { return nftterm::wallet::hash_bytes(v.view()); }
};

template <typename Tag>
struct std::hash<nftterm::wallet::TaggedHash<Tag>> : std::hash<nftterm::wallet::Hash32> {};
