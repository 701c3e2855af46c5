#pragma once

#include <protocols/error.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nftterm::protocols::abi {

/// A Solidity ABI v2 type. Arrays hold their element type as the single
/// component; tuples hold their members.
struct Type {
    enum class Kind { Uint, Int, Address, Bool, FixedBytes, Bytes, String, Array, FixedArray, Tuple };

    Kind kind = Kind::Uint;
    /// Bits for uintN/intN, bytes for bytesN.
    unsigned size = 256;
    /// k for T[k].
    std::size_t length = 0;
    std::vector<Type> components;
    /// Member or parameter name when the signature gave one (not part of the type).
    std::string name;

    /// Canonical form for selectors: "uint256", "(address,bytes)[]".
    std::string canonical() const;
    bool is_dynamic() const;
    /// Bytes the head of this type takes: 32, or more for static tuples and T[k].
    std::size_t head_size() const;

    friend bool operator==(const Type&, const Type&) = default;
};

/// Parses one type: "uint" (= uint256), "int8", "address", "bool", "bytes32",
/// "bytes", "string", "T[]", "T[k]", "(T1,T2)", "tuple(T1,T2)" and named
/// members "(address to, uint256 amount)". Ranges are checked.
Result<Type> parse_type(std::string_view text);

/// Parses a parenthesised list "(uint256,string)" into its member types.
Result<std::vector<Type>> parse_type_list(std::string_view text);

/// A function (or error or event) signature: "transfer(address,uint256)",
/// "function transfer(address to, uint256 amount) returns (bool)".
struct Signature {
    std::string name;
    std::vector<Type> inputs;
    std::vector<Type> outputs;

    /// "transfer(address,uint256)".
    std::string canonical() const;
    /// The first four bytes of keccak256(canonical()).
    std::array<std::uint8_t, 4> selector() const;
};

Result<Signature> parse_signature(std::string_view text);

}  // namespace nftterm::protocols::abi
