#include "hashes.hpp"

#include <cryptopp/keccak.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

namespace nftterm::wallet {

void secure_zero(void* data, std::size_t size) noexcept
{
    OPENSSL_cleanse(data, size);
}

Hash32 keccak256(ByteView data) noexcept
{
    // Crypto++'s Keccak_256 is the pre-standard padding Ethereum uses;
    // OpenSSL 3.0 (Debian 12) does not offer it.
    CryptoPP::Keccak_256 hasher;
    hasher.Update(data.data(), data.size());
    Hash32 out;
    hasher.Final(out.data());
    return out;
}

Hash32 sha256(ByteView data) noexcept
{
    Hash32 out;
    unsigned int size = 0;
    EVP_Digest(data.data(), data.size(), out.data(), &size, EVP_sha256(), nullptr);
    return out;
}

SecretBytes hmac_sha512(ByteView key, ByteView data)
{
    SecretBytes out(64);
    unsigned int size = 0;
    if (!HMAC(EVP_sha512(), key.data(), static_cast<int>(key.size()), data.data(), data.size(), out.data(), &size)
        || size != 64)
        // Only on allocation failure inside OpenSSL: our bug or OOM, not input.
        throw std::runtime_error("HMAC-SHA512 failed");
    return out;
}

}  // namespace nftterm::wallet
