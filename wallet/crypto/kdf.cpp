#include "kdf.hpp"

#include <cryptopp/scrypt.h>
#include <openssl/evp.h>

#include <string>

namespace nftterm::wallet {
namespace {

Result<SecretBytes> pbkdf2(const EVP_MD* md, ByteView password, ByteView salt, std::uint32_t iterations,
                           std::size_t length)
{
    if (iterations == 0 || length == 0) return fail(Errc::InvalidKey, "PBKDF2 needs at least one iteration and one byte");
    SecretBytes out(length);
    if (PKCS5_PBKDF2_HMAC(reinterpret_cast<const char*>(password.data()), static_cast<int>(password.size()),
                          salt.data(), static_cast<int>(salt.size()), static_cast<int>(iterations), md,
                          static_cast<int>(length), out.data()) != 1)
        return fail(Errc::CryptoFailure, "PBKDF2 failed");
    return out;
}

}  // namespace

Result<SecretBytes> pbkdf2_sha256(ByteView password, ByteView salt, std::uint32_t iterations, std::size_t length)
{
    return pbkdf2(EVP_sha256(), password, salt, iterations, length);
}

Result<SecretBytes> pbkdf2_sha512(ByteView password, ByteView salt, std::uint32_t iterations, std::size_t length)
{
    return pbkdf2(EVP_sha512(), password, salt, iterations, length);
}

Result<SecretBytes> scrypt(ByteView password, ByteView salt, std::uint64_t n, std::uint32_t r, std::uint32_t p,
                           std::size_t length)
{
    if (n < 2 || (n & (n - 1)) != 0) return fail(Errc::InvalidKey, "scrypt n must be a power of two, got " + std::to_string(n));
    if (r == 0 || p == 0 || length == 0) return fail(Errc::InvalidKey, "scrypt r, p and dklen must be positive");
    // 128 * r * n bytes of memory: refuse what no legitimate keystore asks for
    // (a corrupt or hostile file must not exhaust memory).
    const long double memory = 128.0L * r * static_cast<long double>(n) + 128.0L * r * p;
    constexpr std::uint64_t kMaxMemory = std::uint64_t{2} << 30;
    if (memory > static_cast<long double>(kMaxMemory))
        return fail(Errc::UnsupportedKeystore, "scrypt parameters need more than 2 GiB of memory");
    // Crypto++ rather than OpenSSL: OpenSSL enforces RFC 7914's n < 2^(16 r),
    // which rejects keystores that geth and the Web3 Secret Storage test
    // vectors write (n = 2^18 with r = 1).
    SecretBytes out(length);
    try {
        CryptoPP::Scrypt().DeriveKey(out.data(), out.size(), password.data(), password.size(), salt.data(), salt.size(),
                                     n, r, p);
    } catch (const std::exception& e) {
        return fail(Errc::CryptoFailure, std::string("scrypt failed: ") + e.what());
    }
    return out;
}

}  // namespace nftterm::wallet
