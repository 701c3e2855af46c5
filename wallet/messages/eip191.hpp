#pragma once

#include <wallet/primitives/bytes.hpp>

namespace nftterm::wallet {

/// EIP-191 version 0x45 (personal_sign): keccak256("\x19Ethereum Signed
/// Message:\n" || decimal length || message), over the bytes as they are.
Hash32 personal_message_digest(ByteView message);

}  // namespace nftterm::wallet
