#include "cipher.hpp"

#include <openssl/evp.h>

#include <memory>

namespace nftterm::wallet {

Result<SecretBytes> aes128_ctr(ByteView key16, ByteView iv16, ByteView input)
{
    if (key16.size() != 16 || iv16.size() != 16) return fail(Errc::InvalidKey, "AES-128-CTR needs a 16-byte key and IV");
    std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    if (!ctx) return fail(Errc::CryptoFailure, "cannot allocate a cipher context");
    SecretBytes out(input.size());
    int written = 0;
    int final_written = 0;
    if (EVP_EncryptInit_ex(ctx.get(), EVP_aes_128_ctr(), nullptr, key16.data(), iv16.data()) != 1
        || EVP_EncryptUpdate(ctx.get(), out.data(), &written, input.data(), static_cast<int>(input.size())) != 1
        || EVP_EncryptFinal_ex(ctx.get(), out.data() + written, &final_written) != 1)
        return fail(Errc::CryptoFailure, "AES-128-CTR failed");
    return out;
}

}  // namespace nftterm::wallet
