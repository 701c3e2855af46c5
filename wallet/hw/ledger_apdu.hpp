#pragma once

#include <wallet/crypto/secp256k1.hpp>
#include <wallet/error.hpp>
#include <wallet/keys/derivation_path.hpp>
#include <wallet/primitives/address.hpp>
#include <wallet/primitives/bytes.hpp>

#include <cstdint>
#include <string>
#include <vector>

/// The Ledger Ethereum app's commands as bytes, and its answers as values:
/// no I/O here (the transports carry the bytes). Numbers big-endian; every
/// APDU a short one, at most 255 data bytes.
namespace nftterm::wallet::ledger {

struct Apdu {
    std::uint8_t cla = 0xE0;
    std::uint8_t ins = 0;
    std::uint8_t p1 = 0;
    std::uint8_t p2 = 0;
    Bytes data;
    /// CLA INS P1 P2 Lc data.
    Bytes encode() const;
};

/// What came back: the data and the status word (0x9000: success).
struct Reply {
    Bytes data;
    std::uint16_t status = 0;
};

constexpr std::uint16_t kOk = 0x9000;

/// count ‖ each index as 4 bytes; at most 10 components (the app's limit).
Result<Bytes> encode_path(const DerivationPath& path);

/// B0 01: the running app's name and version (works on the dashboard too).
Apdu app_and_version();
/// E0 06: the Ethereum app's flags and version.
Apdu app_configuration();
/// E0 02: the address of `path`, silently or shown on the device for the user to confirm.
Result<Apdu> get_address(const DerivationPath& path, bool show_on_device);
/// E0 04 in chunks: path and the unsigned transaction (signing_payload).
/// For a legacy transaction `tail` is the length of its EIP-155 (chainId,
/// 0, 0) end, which no chunk may start (the app must see it whole).
Result<std::vector<Apdu>> sign_transaction(const DerivationPath& path, ByteView payload, std::size_t tail = 0);
/// E0 08 in chunks: path, the message's length (4 bytes), the message.
Result<std::vector<Apdu>> sign_personal_message(const DerivationPath& path, ByteView message);
/// E0 0C, P2 0 ("v0", hashed): path, domain separator, hashStruct(message).
Result<Apdu> sign_eip712_hashed(const DerivationPath& path, const Hash32& domain_separator, const Hash32& message_hash);

struct AppAndVersion {
    std::string name;
    std::string version;
};
struct AppConfiguration {
    std::uint8_t flags = 0;
    std::uint8_t major = 0, minor = 0, patch = 0;
    /// The user allowed signing data the app cannot show ("Blind signing").
    bool blind_signing() const { return (flags & 0x01) != 0; }
    bool at_least(std::uint8_t ma, std::uint8_t mi, std::uint8_t pa) const;
    std::string version() const;
};
struct DeviceAddress {
    PublicKey public_key;
    Address address;
};
/// v as the device sent it (see LedgerSigner for what it means per command).
struct DeviceSignature {
    std::uint8_t v = 0;
    Hash32 r;
    Hash32 s;
};

Result<AppAndVersion> parse_app_and_version(ByteView data);
Result<AppConfiguration> parse_app_configuration(ByteView data);
/// Checks that the address the device printed is its public key's.
Result<DeviceAddress> parse_address(ByteView data);
Result<DeviceSignature> parse_signature(ByteView data);

/// A status word other than 0x9000 in words a user can act on, while `doing`
/// ("signing the transaction").
Error status_error(std::uint16_t status, const std::string& doing);

}  // namespace nftterm::wallet::ledger
