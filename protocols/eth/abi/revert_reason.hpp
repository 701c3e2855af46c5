#pragma once

#include <protocols/eth/abi/abi_type.hpp>

#include <wallet/primitives/bytes.hpp>

#include <string>
#include <vector>

namespace nftterm::protocols::abi {

/// Words for revert data: Error(string) gives its message, Panic(uint256)
/// its meaning ("arithmetic overflow or underflow (0x11)"), a custom error
/// among `custom_errors` its name and arguments ("InsufficientCollateral(5, 7)"),
/// anything else the raw selector. Empty data: "reverted without a reason".
std::string describe_revert(wallet::ByteView data, const std::vector<Signature>& custom_errors = {});

}  // namespace nftterm::protocols::abi
