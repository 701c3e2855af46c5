#pragma once

#include <wallet/crypto/secp256k1.hpp>
#include <wallet/primitives/address.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace nftterm::wallet::keystore {

/// scrypt cost for new keystores. `standard()` is what geth writes
/// (n = 2^18, r = 8, p = 1, about 256 MiB and a second); `light()` is geth's
/// "light" setting (n = 2^12, r = 8, p = 6), for tests and weak machines.
struct ScryptParams {
    std::uint64_t n = 262144;
    std::uint32_t r = 8;
    std::uint32_t p = 1;

    static ScryptParams standard() { return {}; }
    static ScryptParams light() { return {4096, 8, 6}; }
};

/// Encrypts a key into Web3 Secret Storage v3 JSON (scrypt + aes-128-ctr,
/// fresh random salt, IV and UUID).
Result<std::string> encrypt(const PrivateKey& key, ByteView password, ScryptParams params = ScryptParams::standard());

/// Decrypts v3 JSON (scrypt or pbkdf2/hmac-sha256). The MAC is checked
/// before the ciphertext is used: a wrong password is Errc::WrongPassword,
/// a malformed file Errc::CorruptKeystore. When the file names an address,
/// the decrypted key must match it.
Result<PrivateKey> decrypt(std::string_view json_text, ByteView password);

/// Checks a v3 file without deriving anything: its structure, the cipher and
/// the KDF's cost. scrypt beyond n = 2^20, r = 32, p = 16, 1 GiB or 8 times
/// geth's standard work, or pbkdf2 beyond 10,000,000 iterations, is
/// Errc::UnsupportedKeystore in words (a crafted file must not stall the
/// terminal). decrypt() checks the same first.
Result<void> check(std::string_view json_text);

/// The address a keystore file claims, without decrypting (watch lists).
Result<Address> address_of_file(std::string_view json_text);

}  // namespace nftterm::wallet::keystore
