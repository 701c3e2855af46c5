#pragma once

#include <wallet/error.hpp>
#include <wallet/primitives/bytes.hpp>

#include <string>
#include <string_view>

namespace nftterm::wallet {

/// The hashes of an EIP-712 message, from its eth_signTypedData_v4 JSON.
struct TypedDataHash {
    Hash32 domain_separator;
    /// hashStruct(primaryType, message); zero when primaryType is EIP712Domain.
    Hash32 message_hash;
    /// keccak256(0x19 0x01 || domainSeparator || messageHash): what is signed.
    Hash32 digest;
    std::string primary_type;
};

/// Parses and hashes typed data strictly: unknown or missing types, fields
/// missing from or extra to the message, values out of range for their
/// type, and arrays of the wrong fixed length are errors.
Result<TypedDataHash> hash_typed_data(std::string_view json_text);

/// encodeType(primaryType) as EIP-712 defines it: the primary type, then the
/// types it references, sorted by name. Exposed for tests and display.
Result<std::string> encode_type(std::string_view json_text, std::string_view type_name);

}  // namespace nftterm::wallet
