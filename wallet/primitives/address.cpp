#include "address.hpp"

#include <wallet/crypto/hashes.hpp>

#include <algorithm>
#include <cctype>

namespace nftterm::wallet {
namespace {

/// EIP-55: a hex letter is upper case when the matching nibble of
/// keccak256(lower-case hex) is 8 or more.
std::string checksummed(std::string lower)
{
    const Hash32 hash = keccak256(as_view(lower));
    for (std::size_t i = 0; i < lower.size(); ++i) {
        const std::uint8_t nib = (i % 2 == 0) ? (hash.bytes[i / 2] >> 4) : (hash.bytes[i / 2] & 0x0f);
        if (nib >= 8) lower[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(lower[i])));
    }
    return lower;
}

}  // namespace

std::string Address::to_hex() const
{
    return "0x" + checksummed(to_hex_bare(view()));
}

Result<Address> Address::parse(std::string_view text)
{
    std::string_view hex = text;
    if (hex.starts_with("0x") || hex.starts_with("0X")) hex.remove_prefix(2);
    if (hex.size() != 40)
        return fail(Errc::InvalidAddress, "an address has 40 hex digits, got " + std::to_string(hex.size()) + " in '"
                                              + std::string(text.substr(0, 64)) + "'");
    auto bytes = bytes_from_hex(hex);
    if (!bytes) return fail(Errc::InvalidAddress, bytes.error().context + " in '" + std::string(text) + "'");
    const bool has_lower = std::any_of(hex.begin(), hex.end(), [](char c) { return c >= 'a' && c <= 'f'; });
    const bool has_upper = std::any_of(hex.begin(), hex.end(), [](char c) { return c >= 'A' && c <= 'F'; });
    Address out(*FixedBytes<20>::from_view(*bytes));
    if (has_lower && has_upper) {
        const std::string expected = out.to_hex();
        if (expected.substr(2) != hex)
            return fail(Errc::BadChecksum, "'" + std::string(text) + "' fails its EIP-55 checksum (expected "
                                               + expected + "); check for a typo");
    }
    return out;
}

Address address_of(const FixedBytes<64>& public_key) noexcept
{
    const Hash32 hash = keccak256(public_key.view());
    Address out;
    std::copy(hash.bytes.begin() + 12, hash.bytes.end(), out.bytes.begin());
    return out;
}

}  // namespace nftterm::wallet
