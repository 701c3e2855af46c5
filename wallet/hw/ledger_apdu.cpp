#include "ledger_apdu.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <tuple>

namespace nftterm::wallet::ledger {
namespace {

/// Ledger's own clients cut at 150 bytes; the app accepts up to 255.
constexpr std::size_t kChunk = 150;

Apdu command(std::uint8_t cla, std::uint8_t ins, std::uint8_t p1, std::uint8_t p2, Bytes data = {})
{
    return Apdu{cla, ins, p1, p2, std::move(data)};
}

void append_u32(Bytes& out, std::uint32_t value)
{
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(value >> shift));
}

/// `payload` cut into chunks behind `head` (the path, and for a message its
/// length): the first chunk carries the head and what fits beside it.
std::vector<Apdu> chunked(std::uint8_t ins, const Bytes& head, ByteView payload, std::size_t tail)
{
    std::vector<Apdu> out;
    std::size_t offset = 0;
    do {
        const std::size_t room = offset == 0 ? kChunk - head.size() : kChunk;
        std::size_t size = std::min(room, payload.size() - offset);
        // A chunk that would end inside or at the start of the EIP-155 tail takes the whole rest.
        if (tail > 0 && offset + size >= payload.size() - tail) size = payload.size() - offset;
        Bytes data = offset == 0 ? head : Bytes{};
        data.insert(data.end(), payload.begin() + static_cast<std::ptrdiff_t>(offset), payload.begin() + static_cast<std::ptrdiff_t>(offset + size));
        out.push_back(command(0xE0, ins, offset == 0 ? 0x00 : 0x80, 0x00, std::move(data)));
        offset += size;
    } while (offset < payload.size());
    return out;
}

std::string hex4(std::uint16_t status)
{
    char text[8];
    std::snprintf(text, sizeof text, "0x%04X", status);
    return text;
}

}  // namespace

Bytes Apdu::encode() const
{
    Bytes out{cla, ins, p1, p2, static_cast<std::uint8_t>(data.size())};
    out.insert(out.end(), data.begin(), data.end());
    return out;
}

Result<Bytes> encode_path(const DerivationPath& path)
{
    if (path.indices.empty() || path.indices.size() > 10)
        return fail(Errc::InvalidDerivationPath, "a Ledger path has 1 to 10 components, not " + std::to_string(path.indices.size()));
    Bytes out{static_cast<std::uint8_t>(path.indices.size())};
    for (const std::uint32_t index : path.indices) append_u32(out, index);
    return out;
}

Apdu app_and_version()
{
    return command(0xB0, 0x01, 0x00, 0x00);
}

Apdu app_configuration()
{
    return command(0xE0, 0x06, 0x00, 0x00);
}

Result<Apdu> get_address(const DerivationPath& path, bool show_on_device)
{
    auto encoded = encode_path(path);
    if (!encoded) return std::unexpected(encoded.error());
    return command(0xE0, 0x02, show_on_device ? 0x01 : 0x00, 0x00, std::move(*encoded));
}

Result<std::vector<Apdu>> sign_transaction(const DerivationPath& path, ByteView payload, std::size_t tail)
{
    auto head = encode_path(path);
    if (!head) return std::unexpected(head.error());
    if (payload.empty() || tail >= payload.size()) return fail(Errc::InvalidTransaction, "nothing to sign");
    return chunked(0x04, *head, payload, tail);
}

Result<std::vector<Apdu>> sign_personal_message(const DerivationPath& path, ByteView message)
{
    auto head = encode_path(path);
    if (!head) return std::unexpected(head.error());
    if (message.size() > 0xFFFFFFFFu) return fail(Errc::Overflow, "the message is too long for the device");
    append_u32(*head, static_cast<std::uint32_t>(message.size()));
    return chunked(0x08, *head, message, 0);
}

Result<Apdu> sign_eip712_hashed(const DerivationPath& path, const Hash32& domain_separator, const Hash32& message_hash)
{
    auto data = encode_path(path);
    if (!data) return std::unexpected(data.error());
    data->insert(data->end(), domain_separator.bytes.begin(), domain_separator.bytes.end());
    data->insert(data->end(), message_hash.bytes.begin(), message_hash.bytes.end());
    return command(0xE0, 0x0C, 0x00, 0x00, std::move(*data));
}

bool AppConfiguration::at_least(std::uint8_t ma, std::uint8_t mi, std::uint8_t pa) const
{
    return std::tie(major, minor, patch) >= std::tie(ma, mi, pa);
}

std::string AppConfiguration::version() const
{
    return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

Result<AppAndVersion> parse_app_and_version(ByteView data)
{
    // format(1) = 1 ‖ nameLen ‖ name ‖ versionLen ‖ version ‖ …
    if (data.size() < 3 || data[0] != 0x01) return fail(Errc::InvalidNumber, "the device's app and version answer is not in the known format");
    const std::size_t name_size = data[1];
    if (data.size() < 2 + name_size + 1) return fail(Errc::InvalidNumber, "the device's app name is cut short");
    const std::size_t version_size = data[2 + name_size];
    if (data.size() < 3 + name_size + version_size) return fail(Errc::InvalidNumber, "the device's app version is cut short");
    return AppAndVersion{std::string(data.begin() + 2, data.begin() + 2 + static_cast<std::ptrdiff_t>(name_size)),
                         std::string(data.begin() + 3 + static_cast<std::ptrdiff_t>(name_size),
                                     data.begin() + 3 + static_cast<std::ptrdiff_t>(name_size + version_size))};
}

Result<AppConfiguration> parse_app_configuration(ByteView data)
{
    if (data.size() < 4) return fail(Errc::InvalidNumber, "the Ethereum app's configuration is " + std::to_string(data.size()) + " bytes, not 4");
    return AppConfiguration{data[0], data[1], data[2], data[3]};
}

Result<DeviceAddress> parse_address(ByteView data)
{
    // pubkeyLen(1) = 65 ‖ 0x04 X Y ‖ addrLen(1) = 40 ‖ the address as ASCII hex ‖ [chain code]
    if (data.size() < 1 + 65 + 1 + 40 || data[0] != 65 || data[1] != 0x04 || data[66] != 40)
        return fail(Errc::InvalidAddress, "the device's address answer is not in the known format");
    DeviceAddress out;
    std::copy_n(data.begin() + 2, 64, out.public_key.bytes.begin());
    out.address = address_of(out.public_key);
    std::string printed(data.begin() + 67, data.begin() + 107);
    std::transform(printed.begin(), printed.end(), printed.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const auto shown = Address::from_hex("0x" + printed);
    if (!shown || *shown != out.address)
        return fail(Errc::InvalidAddress, "the device printed 0x" + printed + " for a public key whose address is " + out.address.to_hex());
    return out;
}

Result<DeviceSignature> parse_signature(ByteView data)
{
    if (data.size() != 65) return fail(Errc::InvalidSignature, "the device's signature is " + std::to_string(data.size()) + " bytes, not 65");
    DeviceSignature out;
    out.v = data[0];
    std::copy_n(data.begin() + 1, 32, out.r.bytes.begin());
    std::copy_n(data.begin() + 33, 32, out.s.bytes.begin());
    return out;
}

Error status_error(std::uint16_t status, const std::string& doing)
{
    const std::string where = " (" + doing + ", status " + hex4(status) + ")";
    switch (status) {
    case 0x6985:
    case 0x5501: return {Errc::UserRejected, "rejected on the device" + where};
    case 0x5515:
    case 0x6982: return {Errc::DeviceLocked, "unlock the Ledger with its PIN and try again" + where};
    case 0x6A80:
        return {Errc::Unsupported, "the Ethereum app refused the data: enable \"Blind signing\" in the app's settings on the device to sign "
                                   "contract calls it cannot show" + where};
    case 0x6D00:
    case 0x6E00:
    case 0x6E01:
    case 0x6D02:
    case 0x6511:
    case 0x650F: return {Errc::AppNotOpen, "open the Ethereum app on the Ledger" + where};
    case 0x6501: return {Errc::Unsupported, "this Ethereum app version cannot sign this transaction type; update it with Ledger Live" + where};
    case 0x6D07:
    case 0x6611: return {Errc::DeviceUnavailable, "the Ledger is not set up yet: set it up first" + where};
    case 0x6700:
    case 0x6B00: return {Errc::Unsupported, "the Ethereum app did not understand the request; update it with Ledger Live" + where};
    default: return {Errc::DeviceUnavailable, "the Ledger answered with an error" + where};
    }
}

}  // namespace nftterm::wallet::ledger
