#pragma once

#include <protocols/eth/abi/abi_value.hpp>

#include <string>
#include <string_view>

namespace nftterm::protocols::abi {

/// Reads values for `types` from a JSON array: integers as JSON integers or
/// decimal/0x strings ("-5" for intN), addresses and bytes as 0x strings,
/// strings as strings, arrays and tuples as arrays.
Result<std::vector<Value>> values_from_json(const std::vector<Type>& types, std::string_view json_array);

/// Calldata for a call: the selector of `signature` ("f(uint256,(address,bytes)[])",
/// human-readable forms too) and its arguments read from a JSON array as above.
Result<wallet::Bytes> encode_call(std::string_view signature, std::string_view args_json);

/// Writes values as a JSON array; integers become decimal strings (no
/// precision is lost in any JSON reader), addresses EIP-55, bytes 0x hex.
std::string values_to_json(const std::vector<Type>& types, const std::vector<Value>& values, int indent = -1);

}  // namespace nftterm::protocols::abi
