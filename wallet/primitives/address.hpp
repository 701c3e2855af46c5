#pragma once

#include <wallet/error.hpp>
#include <wallet/primitives/bytes.hpp>

#include <string>
#include <string_view>

namespace nftterm::wallet {

/// A 20-byte Ethereum account address. Prints only in EIP-55 checksummed
/// form: the bytes are a private base, so no lower-case `FixedBytes::to_hex`
/// is reachable from an Address (a checksum-less address in a log or a
/// summary is one a user cannot compare with their wallet's).
struct Address : private FixedBytes<20> {
    Address() = default;
    explicit constexpr Address(const FixedBytes<20>& raw) noexcept : FixedBytes<20>(raw) {}

    using FixedBytes<20>::bytes;
    using FixedBytes<20>::size;
    using FixedBytes<20>::data;
    using FixedBytes<20>::view;
    using FixedBytes<20>::is_zero;

    /// EIP-55 mixed-case form with "0x".
    std::string to_hex() const;

    /// Accepts all-lower or all-upper hex (no checksum to check) or a mixed
    /// case that must match EIP-55; a wrong checksum is an error, never
    /// silently accepted.
    static Result<Address> parse(std::string_view text);

    /// `parse` without the reason.
    static std::optional<Address> from_hex(std::string_view text)
    {
        auto parsed = parse(text);
        return parsed ? std::optional<Address>(*parsed) : std::nullopt;
    }

    friend constexpr bool operator==(const Address&, const Address&) = default;
    friend constexpr auto operator<=>(const Address&, const Address&) = default;
};

/// The address of a public key: the last 20 bytes of keccak256(X || Y).
Address address_of(const FixedBytes<64>& public_key) noexcept;

}  // namespace nftterm::wallet

template <>
struct std::hash<nftterm::wallet::Address> {
    std::size_t operator()(const nftterm::wallet::Address& a) const noexcept { return nftterm::wallet::hash_bytes(a.view()); }
};
