#include "random.hpp"

#include <openssl/rand.h>

namespace nftterm::wallet {

Result<SecretBytes> secure_random(std::size_t size)
{
    SecretBytes out(size);
    if (size > 0 && RAND_bytes(out.data(), static_cast<int>(size)) != 1)
        return fail(Errc::CryptoFailure, "the system random generator is not available");
    return out;
}

}  // namespace nftterm::wallet
