#pragma once

#include <wallet/error.hpp>
#include <wallet/primitives/bytes.hpp>
#include <wallet/primitives/u256.hpp>

#include <initializer_list>
#include <vector>

namespace nftterm::wallet::rlp {

/// Encodes a byte string (the RLP "string" item).
Bytes encode_bytes(ByteView bytes);
/// Encodes an integer as its minimal big-endian bytes (zero is the empty string).
Bytes encode_uint(const U256& value);
/// Wraps already-encoded items into a list.
Bytes encode_list(const std::vector<Bytes>& encoded_items);

/// A decoded item: views into the input, which must outlive it.
struct Item {
    bool is_list = false;
    ByteView payload;
    std::vector<Item> items;

    /// A string item read as a canonical unsigned integer (no leading zeros,
    /// at most 32 bytes).
    Result<U256> as_uint(std::string_view what) const;
    /// The payload of a string item (an error for a list).
    Result<ByteView> as_bytes(std::string_view what) const;
};

/// Strict decode of exactly one item filling `input`: non-canonical
/// lengths, single bytes wrapped needlessly, truncation, trailing bytes and
/// nesting deeper than 32 are errors.
Result<Item> decode(ByteView input);

}  // namespace nftterm::wallet::rlp
