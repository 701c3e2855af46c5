#pragma once

#include <protocols/eth/abi/abi_type.hpp>

#include <wallet/primitives/address.hpp>
#include <wallet/primitives/u256.hpp>

#include <string>
#include <variant>
#include <vector>

namespace nftterm::protocols::abi {

/// A signed integer as a sign and a magnitude (intN values).
struct SignedInt {
    bool negative = false;
    wallet::U256 magnitude;
    friend bool operator==(const SignedInt&, const SignedInt&) = default;
};

/// One ABI value; which alternative is used follows the Type: uintN → U256,
/// intN → SignedInt, address → Address, bool → bool, bytes/bytesN → Bytes,
/// string → std::string, arrays and tuples → a list of values.
struct Value {
    using List = std::vector<Value>;
    std::variant<wallet::U256, SignedInt, wallet::Address, bool, wallet::Bytes, std::string, List> data;

    friend bool operator==(const Value&, const Value&) = default;
};

/// Encodes values as a tuple of `types` (function arguments, return data).
/// Values are range-checked against their types.
Result<wallet::Bytes> encode(const std::vector<Type>& types, const std::vector<Value>& values);

/// Decodes `data` as a tuple of `types`, strictly: offsets and lengths must
/// stay inside the data, padding must be zero, bools 0 or 1, and nothing is
/// read past the end. Trailing bytes after the last tail are allowed, as
/// Solidity allows them.
Result<std::vector<Value>> decode(const std::vector<Type>& types, wallet::ByteView data);

}  // namespace nftterm::protocols::abi
