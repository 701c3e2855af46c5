#include "bip32.hpp"

#include <wallet/crypto/hashes.hpp>

#include <cryptopp/ripemd.h>

#include <algorithm>

namespace nftterm::wallet {
namespace {

constexpr std::uint32_t kXprvVersion = 0x0488ADE4;
constexpr std::uint32_t kXpubVersion = 0x0488B21E;

void put_u32(Bytes& out, std::uint32_t v)
{
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

}  // namespace

std::string base58check_encode(ByteView payload)
{
    static constexpr char kAlphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    Bytes data(payload.begin(), payload.end());
    const Hash32 check = sha256(sha256(payload).view());
    data.insert(data.end(), check.bytes.begin(), check.bytes.begin() + 4);

    const std::size_t zeros = static_cast<std::size_t>(std::find_if(data.begin(), data.end(), [](auto b) { return b != 0; }) - data.begin());
    std::vector<std::uint8_t> digits;
    for (auto byte : data) {
        int carry = byte;
        for (auto& d : digits) {
            carry += d * 256;
            d = static_cast<std::uint8_t>(carry % 58);
            carry /= 58;
        }
        while (carry) {
            digits.push_back(static_cast<std::uint8_t>(carry % 58));
            carry /= 58;
        }
    }
    std::string out(zeros, '1');
    for (auto it = digits.rbegin(); it != digits.rend(); ++it) out.push_back(kAlphabet[*it]);
    return out;
}

ExtendedKey::ExtendedKey(PrivateKey key, SecretBytes chain_code, std::uint8_t depth, std::uint32_t parent_fingerprint,
                         std::uint32_t child_number)
    : m_key(std::move(key)), m_chain_code(std::move(chain_code)), m_depth(depth),
      m_parent_fingerprint(parent_fingerprint), m_child_number(child_number)
{
}

Result<ExtendedKey> ExtendedKey::from_seed(ByteView seed)
{
    if (seed.size() < 16 || seed.size() > 64) return fail(Errc::InvalidKey, "a BIP-32 seed is 16 to 64 bytes");
    const SecretBytes i = hmac_sha512(as_view("Bitcoin seed"), seed);
    auto key = PrivateKey::from_bytes(i.view().first(32));
    if (!key) return fail(Errc::InvalidKey, "this seed gives an invalid master key (probability 2^-127); use another");
    return ExtendedKey(std::move(*key), SecretBytes(i.view().subspan(32)), 0, 0, 0);
}

std::uint32_t ExtendedKey::fingerprint() const
{
    const CompressedPublicKey pub = compressed_public_key_of(m_key);
    const Hash32 sha = sha256(pub.view());
    std::uint8_t ripe[CryptoPP::RIPEMD160::DIGESTSIZE];
    CryptoPP::RIPEMD160().CalculateDigest(ripe, sha.data(), sha.size());
    return (std::uint32_t{ripe[0]} << 24) | (std::uint32_t{ripe[1]} << 16) | (std::uint32_t{ripe[2]} << 8) | ripe[3];
}

Result<ExtendedKey> ExtendedKey::derive_child(std::uint32_t index) const
{
    if (m_depth == 255) return fail(Errc::InvalidDerivationPath, "BIP-32 depth cannot exceed 255");
    SecretBytes data(37);
    if (index & kHardened) {
        data.data()[0] = 0;
        std::copy(m_key.view().begin(), m_key.view().end(), data.data() + 1);
    } else {
        const CompressedPublicKey pub = compressed_public_key_of(m_key);
        std::copy(pub.bytes.begin(), pub.bytes.end(), data.data());
    }
    for (int b = 0; b < 4; ++b) data.data()[33 + b] = static_cast<std::uint8_t>(index >> (24 - 8 * b));
    const SecretBytes i = hmac_sha512(m_chain_code.view(), data.view());
    // BIP-32: IL >= n or a zero child key means "use the next index"; both
    // come out of add_tweak as an error, which we report rather than skip.
    auto child = add_tweak(m_key, i.view().first(32));
    if (!child) return fail(Errc::InvalidKey, "index " + std::to_string(index) + " gives an invalid key; use the next index");
    return ExtendedKey(std::move(*child), SecretBytes(i.view().subspan(32)), static_cast<std::uint8_t>(m_depth + 1),
                       fingerprint(), index);
}

Result<ExtendedKey> ExtendedKey::derive(const DerivationPath& path) const
{
    auto current = ExtendedKey(m_key.clone(), m_chain_code.clone(), m_depth, m_parent_fingerprint, m_child_number);
    for (auto index : path.indices) {
        auto next = current.derive_child(index);
        if (!next) return next;
        current = std::move(*next);
    }
    return current;
}

std::string ExtendedKey::serialize(std::uint32_t version, ByteView key_data) const
{
    // BIP-32 serialization: version, depth, parent fingerprint, child number,
    // chain code, then 33 bytes of key data.
    Bytes payload;
    put_u32(payload, version);
    payload.push_back(m_depth);
    put_u32(payload, m_parent_fingerprint);
    put_u32(payload, m_child_number);
    payload.insert(payload.end(), m_chain_code.view().begin(), m_chain_code.view().end());
    payload.insert(payload.end(), key_data.begin(), key_data.end());
    std::string out = base58check_encode(payload);
    secure_zero(payload.data(), payload.size());
    return out;
}

std::string ExtendedKey::to_xprv() const
{
    SecretBytes key_data(33);
    std::copy(m_key.view().begin(), m_key.view().end(), key_data.data() + 1);
    return serialize(kXprvVersion, key_data.view());
}

std::string ExtendedKey::to_xpub() const
{
    return serialize(kXpubVersion, compressed_public_key_of(m_key).view());
}

}  // namespace nftterm::wallet
