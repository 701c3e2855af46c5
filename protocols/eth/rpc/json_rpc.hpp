#pragma once

#include <protocols/error.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nftterm::protocols::eth {

/// One JSON-RPC call: a method and its params as JSON text ("[]" for none).
struct RpcCall {
    std::string method;
    std::string params_json = "[]";
    /// Set by code that wrote the params itself (a prepared multicall,
    /// megabytes of hex): skips the check that they are valid JSON.
    bool params_checked = false;
};

/// The request object for one call with id `id`. `params_json` must be a
/// JSON array or object (checked: Errc::Json names the method).
Result<std::string> make_request(std::uint64_t id, const RpcCall& call);
/// A batch: one request per call, ids `first_id`, `first_id + 1`, ….
Result<std::string> make_batch_request(std::uint64_t first_id, const std::vector<RpcCall>& calls);

/// The `result` of a response to request `id`, as JSON text. A JSON-RPC
/// error object is Errc::Rpc with the node's code, message and data kept in
/// Error::rpc; a body that is not JSON, not a response, or answers another
/// id is Errc::Json.
Result<std::string> parse_response(std::string_view body, std::uint64_t id);

/// How deep an answer may nest: Ethereum answers nest a few levels; a
/// hostile node's [[[[… would overflow the stack when re-serialised.
inline constexpr std::size_t kMaxAnswerNesting = 128;
/// Whether no array or object in `text` nests deeper than `limit` (a scan, no parse).
bool nesting_within(std::string_view text, std::size_t limit) noexcept;

/// The answers to a batch sent with ids `first_id`…, in the order of the
/// calls, whatever order the node used. Each answer is its own result (one
/// call may fail alone); a body that is not an array, misses an answer,
/// repeats one or answers an id not asked is Errc::Json for the whole batch.
Result<std::vector<Result<std::string>>> parse_batch_response(std::string_view body, std::uint64_t first_id,
                                                              std::size_t count);

/// True for methods that only read chain state, which may be retried and
/// sent to another endpoint. Anything else is sent once.
bool is_read_method(std::string_view method) noexcept;

}  // namespace nftterm::protocols::eth
