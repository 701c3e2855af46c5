#include "eip191.hpp"

#include <wallet/crypto/hashes.hpp>

#include <string>

namespace nftterm::wallet {

Hash32 personal_message_digest(ByteView message)
{
    const std::string prefix = "\x19" "Ethereum Signed Message:\n" + std::to_string(message.size());
    Bytes payload(prefix.begin(), prefix.end());
    payload.insert(payload.end(), message.begin(), message.end());
    return keccak256(payload);
}

}  // namespace nftterm::wallet
