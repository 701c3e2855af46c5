#include "keystore.hpp"

#include <wallet/crypto/cipher.hpp>
#include <wallet/crypto/hashes.hpp>
#include <wallet/crypto/kdf.hpp>
#include <wallet/crypto/random.hpp>

#include <nlohmann/json.hpp>
#include <openssl/crypto.h>

namespace nftterm::wallet::keystore {
namespace {

using nlohmann::json;

std::unexpected<Error> corrupt(std::string what)
{
    return fail(Errc::CorruptKeystore, std::move(what));
}

Result<Bytes> hex_field(const json& object, const char* name, const char* where)
{
    if (!object.is_object() || !object.contains(name) || !object[name].is_string())
        return corrupt(std::string(where) + "." + name + " is missing or not a string");
    auto bytes = bytes_from_hex(object[name].get_ref<const std::string&>());
    if (!bytes) return corrupt(std::string(where) + "." + name + " is not hex");
    return bytes;
}

Result<std::uint64_t> uint_field(const json& object, const char* name)
{
    if (!object.contains(name) || !object[name].is_number_unsigned())
        return corrupt("kdfparams." + std::string(name) + " is missing or not a positive integer");
    return object[name].get<std::uint64_t>();
}

/// What a keystore's KDF asks for, checked against what wallets write.
struct KdfParams {
    std::string kdf;
    Bytes salt;
    std::uint64_t dklen = 0, n = 0, r = 0, p = 0, c = 0;
};

// The most work a keystore may ask for. geth writes scrypt n = 2^18, r = 8, p = 1 (256 MiB,
// about a second) and its light setting n = 2^12, r = 8, p = 6; ethers and web3 write n = 2^17
// or 2^18, r = 8, p = 1, or pbkdf2 with c = 262,144. A file asking for far more is crafted to
// stall the terminal or exhaust its memory: refused, in words, before any work.
constexpr std::uint64_t kMaxScryptN = std::uint64_t(1) << 20;
constexpr std::uint64_t kMaxScryptR = 32;
constexpr std::uint64_t kMaxScryptP = 16;
constexpr std::uint64_t kMaxScryptMemory = std::uint64_t(1) << 30;  // 128 · n · r bytes
constexpr std::uint64_t kMaxScryptWork = std::uint64_t(1) << 24;    // n · r · p: 8 × geth's standard
constexpr std::uint64_t kMaxPbkdf2Iterations = 10'000'000;

Result<KdfParams> kdf_params(const json& crypto)
{
    if (!crypto.contains("kdf") || !crypto["kdf"].is_string()) return corrupt("crypto.kdf is missing");
    if (!crypto.contains("kdfparams") || !crypto["kdfparams"].is_object()) return corrupt("crypto.kdfparams is missing");
    KdfParams out;
    out.kdf = crypto["kdf"].get<std::string>();
    const json& params = crypto["kdfparams"];
    auto salt = hex_field(params, "salt", "kdfparams");
    auto dklen = uint_field(params, "dklen");
    if (!salt) return std::unexpected(salt.error());
    if (!dklen) return std::unexpected(dklen.error());
    if (*dklen < 32 || *dklen > 64) return corrupt("kdfparams.dklen must be 32 to 64");
    out.salt = std::move(*salt);
    out.dklen = *dklen;
    if (out.kdf == "scrypt") {
        auto n = uint_field(params, "n");
        auto r = uint_field(params, "r");
        auto p = uint_field(params, "p");
        if (!n || !r || !p) return corrupt("scrypt kdfparams need n, r and p");
        out.n = *n, out.r = *r, out.p = *p;
        if (out.n < 2 || (out.n & (out.n - 1)) != 0) return corrupt("scrypt n must be a power of two, got " + std::to_string(out.n));
        if (out.r == 0 || out.p == 0) return corrupt("scrypt r and p must be positive");
        const bool within = out.n <= kMaxScryptN && out.r <= kMaxScryptR && out.p <= kMaxScryptP && 128 * out.n * out.r <= kMaxScryptMemory
                            && out.n * out.r * out.p <= kMaxScryptWork;
        if (!within)
            return fail(Errc::UnsupportedKeystore, "the keystore asks for scrypt n=" + std::to_string(out.n) + ", r=" + std::to_string(out.r) + ", p="
                                                       + std::to_string(out.p) + ", far more work than any wallet writes (geth: n=262144, r=8, p=1); "
                                                       "refused so that a crafted file cannot stall the terminal or use up its memory");
        return out;
    }
    if (out.kdf == "pbkdf2") {
        if (!params.contains("prf") || params["prf"] != "hmac-sha256")
            return fail(Errc::UnsupportedKeystore, "only pbkdf2 with prf hmac-sha256 is supported");
        auto c = uint_field(params, "c");
        if (!c) return std::unexpected(c.error());
        if (*c == 0) return corrupt("pbkdf2 iteration count is zero");
        if (*c > kMaxPbkdf2Iterations)
            return fail(Errc::UnsupportedKeystore, "the keystore asks for " + std::to_string(*c) + " pbkdf2 iterations, far more than any wallet writes "
                                                       "(262144); refused so that a crafted file cannot stall the terminal");
        out.c = *c;
        return out;
    }
    return fail(Errc::UnsupportedKeystore, "unknown kdf '" + out.kdf + "' (supported: scrypt, pbkdf2)");
}

Result<SecretBytes> derive_key(const KdfParams& params, ByteView password)
{
    if (params.kdf == "scrypt")
        return scrypt(password, params.salt, params.n, static_cast<std::uint32_t>(params.r), static_cast<std::uint32_t>(params.p), params.dklen);
    return pbkdf2_sha256(password, params.salt, static_cast<std::uint32_t>(params.c), params.dklen);
}

Hash32 compute_mac(ByteView derived, ByteView ciphertext)
{
    Bytes input(derived.begin() + 16, derived.begin() + 32);
    input.insert(input.end(), ciphertext.begin(), ciphertext.end());
    const Hash32 mac = keccak256(input);
    secure_zero(input.data(), input.size());
    return mac;
}

std::string uuid_v4()
{
    auto random = secure_random(16);
    Bytes b(random->view().begin(), random->view().end());
    b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40);
    b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);
    const std::string hex = to_hex_bare(b);
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" + hex.substr(20);
}

Result<json> parse(std::string_view json_text)
{
    json root = json::parse(json_text, nullptr, false);
    if (root.is_discarded() || !root.is_object()) return corrupt("not a JSON object (truncated or not a keystore file?)");
    if (!root.contains("version") || root["version"] != 3)
        return fail(Errc::UnsupportedKeystore, "only version 3 keystores are supported");
    return root;
}

/// Everything in a keystore file checked, nothing derived yet.
struct CheckedFile {
    json root;
    KdfParams kdf;
    Bytes ciphertext, mac, iv;
};

Result<CheckedFile> check_file(std::string_view json_text)
{
    auto root = parse(json_text);
    if (!root) return std::unexpected(root.error());
    // Some writers capitalise "Crypto".
    const char* crypto_key = root->contains("crypto") ? "crypto" : "Crypto";
    if (!root->contains(crypto_key) || !(*root)[crypto_key].is_object()) return corrupt("the crypto section is missing");
    const json& crypto = (*root)[crypto_key];
    if (!crypto.contains("cipher") || crypto["cipher"] != "aes-128-ctr")
        return fail(Errc::UnsupportedKeystore, "only the aes-128-ctr cipher is supported");
    auto ciphertext = hex_field(crypto, "ciphertext", "crypto");
    auto mac = hex_field(crypto, "mac", "crypto");
    if (!ciphertext) return std::unexpected(ciphertext.error());
    if (!mac) return std::unexpected(mac.error());
    if (!crypto.contains("cipherparams")) return corrupt("crypto.cipherparams is missing");
    auto iv = hex_field(crypto["cipherparams"], "iv", "cipherparams");
    if (!iv) return std::unexpected(iv.error());
    if (iv->size() != 16) return corrupt("the IV is not 16 bytes");
    if (mac->size() != 32) return corrupt("the MAC is not 32 bytes");
    if (ciphertext->size() != 32) return corrupt("the ciphertext is not 32 bytes");
    auto kdf = kdf_params(crypto);
    if (!kdf) return std::unexpected(kdf.error());
    return CheckedFile{std::move(*root), std::move(*kdf), std::move(*ciphertext), std::move(*mac), std::move(*iv)};
}

}  // namespace

Result<void> check(std::string_view json_text)
{
    auto file = check_file(json_text);
    if (!file) return std::unexpected(file.error());
    return {};
}

Result<std::string> encrypt(const PrivateKey& key, ByteView password, ScryptParams params)
{
    auto salt = secure_random(32);
    auto iv = secure_random(16);
    if (!salt || !iv) return fail(Errc::CryptoFailure, "the system random generator is not available");
    auto derived = scrypt(password, salt->view(), params.n, params.r, params.p, 32);
    if (!derived) return std::unexpected(derived.error());
    auto ciphertext = aes128_ctr(derived->view().first(16), iv->view(), key.view());
    if (!ciphertext) return std::unexpected(ciphertext.error());
    const Hash32 mac = compute_mac(derived->view(), ciphertext->view());
    const json out = {
        {"version", 3},
        {"id", uuid_v4()},
        {"address", to_hex_bare(address_of(public_key_of(key)).view())},
        {"crypto",
         {{"cipher", "aes-128-ctr"},
          {"cipherparams", {{"iv", to_hex_bare(iv->view())}}},
          {"ciphertext", to_hex_bare(ciphertext->view())},
          {"kdf", "scrypt"},
          {"kdfparams",
           {{"dklen", 32}, {"n", params.n}, {"r", params.r}, {"p", params.p}, {"salt", to_hex_bare(salt->view())}}},
          {"mac", to_hex_bare(mac.view())}}},
    };
    return out.dump(2);
}

Result<PrivateKey> decrypt(std::string_view json_text, ByteView password)
{
    auto file = check_file(json_text);
    if (!file) return std::unexpected(file.error());
    auto derived = derive_key(file->kdf, password);
    if (!derived) return std::unexpected(derived.error());
    const Bytes* ciphertext = &file->ciphertext;
    const Bytes* mac = &file->mac;
    const Bytes* iv = &file->iv;
    const json* root = &file->root;
    const Hash32 expected = compute_mac(derived->view(), *ciphertext);
    if (CRYPTO_memcmp(expected.data(), mac->data(), 32) != 0)
        return fail(Errc::WrongPassword, "the password does not open this keystore");

    auto plain = aes128_ctr(derived->view().first(16), *iv, *ciphertext);
    if (!plain) return std::unexpected(plain.error());
    auto key = PrivateKey::from_bytes(plain->view());
    if (!key) return corrupt("the decrypted key is not a valid secp256k1 key");
    if (root->contains("address") && (*root)["address"].is_string()) {
        auto claimed = Address::parse((*root)["address"].get<std::string>());
        if (!claimed || *claimed != address_of(public_key_of(*key)))
            return corrupt("the key does not belong to the address the file names");
    }
    return key;
}

Result<Address> address_of_file(std::string_view json_text)
{
    auto root = parse(json_text);
    if (!root) return std::unexpected(root.error());
    if (!root->contains("address") || !(*root)["address"].is_string())
        return corrupt("the file does not name its address");
    return Address::parse((*root)["address"].get<std::string>());
}

}  // namespace nftterm::wallet::keystore
