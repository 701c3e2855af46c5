#pragma once
// Private to protocols/eth: reads JSON-RPC fields strictly. Included only by
// .cpp files (nlohmann::json stays out of public headers).

#include <protocols/error.hpp>
#include <wallet/primitives/address.hpp>
#include <wallet/primitives/bytes.hpp>
#include <wallet/primitives/u256.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace nftterm::protocols::eth::json_read {

using nlohmann::json;

Result<json> parse(const std::string& text);
/// A required field; Errc::Decode names it when missing.
Result<const json*> field(const json& object, const char* name);
Result<std::uint64_t> quantity(const json& value, const char* what);
Result<wallet::U256> big_quantity(const json& value, const char* what);
Result<wallet::Bytes> data(const json& value, const char* what);
Result<wallet::Hash32> hash(const json& value, const char* what);
Result<wallet::Address> address(const json& value, const char* what);

std::string quantity_hex(std::uint64_t value);
std::string quantity_hex(const wallet::U256& value);

}  // namespace nftterm::protocols::eth::json_read
