#include "json_rpc.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <array>

namespace nftterm::protocols::eth {
namespace {

using nlohmann::json;

std::string excerpt(std::string_view body)
{
    constexpr std::size_t kMax = 120;
    std::string text(body.substr(0, kMax));
    if (body.size() > kMax) text += "…";
    return text;
}

/// Whether `call` can be sent: params a JSON array or object.
Result<void> check_params(const RpcCall& call)
{
    const auto first = call.params_json.find_first_not_of(" \t\r\n");
    const bool container = first != std::string::npos && (call.params_json[first] == '[' || call.params_json[first] == '{');
    if (!container) return fail(Errc::Json, call.method + ": params must be a JSON array or object");
    if (!call.params_checked && !json::accept(call.params_json))
        return fail(Errc::Json, call.method + ": params are not valid JSON: " + excerpt(call.params_json));
    return {};
}

/// Appends the request object, with the caller's params copied as they are
/// (checked, not re-serialized: a multicall's params are megabytes).
void append_request(std::string& out, std::uint64_t id, const RpcCall& call)
{
    out += R"({"jsonrpc":"2.0","id":)";
    out += std::to_string(id);
    out += R"(,"method":)";
    out += json(call.method).dump();
    out += R"(,"params":)";
    out += call.params_json;
    out += '}';
}

/// One response object → its result, or the error it carries.
Result<std::string> answer_of(const json& response)
{
    if (const auto error = response.find("error"); error != response.end() && !error->is_null()) {
        RpcErrorDetail detail;
        if (error->is_object()) {
            if (const auto code = error->find("code"); code != error->end() && code->is_number_integer())
                detail.code = code->get<long long>();
            if (const auto message = error->find("message"); message != error->end() && message->is_string())
                detail.message = message->get<std::string>();
            if (const auto data = error->find("data"); data != error->end() && !data->is_null())
                detail.data_json = data->dump();
        } else {
            detail.message = error->dump();
        }
        std::string text = "code " + std::to_string(detail.code) + ": " + detail.message;
        if (!detail.data_json.empty()) text += " (data " + excerpt(detail.data_json) + ")";
        Error failure{Errc::Rpc, std::move(text), std::nullopt, std::move(detail)};
        return std::unexpected(std::move(failure));
    }
    const auto result = response.find("result");
    if (result == response.end()) return fail(Errc::Json, "a response with neither result nor error");
    // Hex strings (eth_call data, often hundreds of kilobytes) need no escaping: quote them directly.
    if (result->is_string()) {
        const auto& text = result->get_ref<const std::string&>();
        if (text.find_first_not_of("0123456789abcdefABCDEFx") == std::string::npos) return "\"" + text + "\"";
    }
    return result->dump();
}

std::optional<std::uint64_t> id_of(const json& response)
{
    const auto id = response.find("id");
    if (id == response.end() || !id->is_number_unsigned()) return std::nullopt;
    return id->get<std::uint64_t>();
}

Result<json> parse_body(std::string_view body)
{
    // Serialising a value nested a million deep (dump() is recursive) would overflow the stack.
    if (!nesting_within(body, kMaxAnswerNesting))
        return fail(Errc::Json, "the answer nests deeper than " + std::to_string(kMaxAnswerNesting) + " levels: refused");
    try {
        return json::parse(body);
    } catch (const json::exception&) {
        return fail(Errc::Json, "the answer is not JSON: " + (body.empty() ? std::string("(empty)") : excerpt(body)));
    }
}

/// One element of a batch answer as HexAnswerReader found it: the common
/// hex shape read in place, or any other object's text, for the JSON parser.
struct BatchElement {
    std::uint64_t id = 0;
    std::string_view hex_result;
    std::string_view other;
};

/// Reads answers of the common shape without a JSON DOM: exactly
/// {"jsonrpc":"2.0","id":N,"result":"0x…"} (hex results are hundreds of
/// kilobytes in a Multicall3 refresh), alone or as a batch array. Anything
/// else alone (an error member, other members, whitespace inside) returns
/// nullopt and goes through the full parser; in a batch, such an element (a
/// block header beside the reads) is cut out whole and only it is parsed.
class HexAnswerReader {
public:
    explicit HexAnswerReader(std::string_view body) : m_body(body)
    {
        while (!m_body.empty() && std::isspace(static_cast<unsigned char>(m_body.back()))) m_body.remove_suffix(1);
    }

    std::optional<std::pair<std::uint64_t, std::string_view>> single()
    {
        auto answer = object();
        if (!answer || m_at != m_body.size()) return std::nullopt;
        return answer;
    }

    std::optional<std::vector<BatchElement>> batch()
    {
        std::vector<BatchElement> out;
        if (!take("[")) return std::nullopt;
        do {
            const std::size_t start = m_at;
            if (auto answer = object()) {
                out.push_back({answer->first, answer->second, {}});
                continue;
            }
            m_at = start;
            auto other = balanced_object();
            if (!other) return std::nullopt;
            out.push_back({0, {}, *other});
        } while (take(","));
        if (!take("]") || m_at != m_body.size()) return std::nullopt;
        return out;
    }

private:
    bool take(std::string_view literal)
    {
        if (m_body.substr(m_at, literal.size()) != literal) return false;
        m_at += literal.size();
        return true;
    }

    /// One answer: its id and its result as JSON text (the quoted hex).
    std::optional<std::pair<std::uint64_t, std::string_view>> object()
    {
        if (!take(R"({"jsonrpc":"2.0","id":)")) return std::nullopt;
        const std::size_t digits = m_at;
        std::uint64_t id = 0;
        while (m_at < m_body.size() && m_at - digits < 19 && m_body[m_at] >= '0' && m_body[m_at] <= '9')
            id = id * 10 + static_cast<std::uint64_t>(m_body[m_at++] - '0');
        if (m_at == digits || !take(R"(,"result":"0x)")) return std::nullopt;
        const std::size_t hex = m_at;
        // A table, not isxdigit(): this loop runs over megabytes of hex.
        static constexpr auto kHexDigit = [] {
            std::array<bool, 256> table{};
            for (char c : std::string_view("0123456789abcdefABCDEF")) table[static_cast<unsigned char>(c)] = true;
            return table;
        }();
        const auto* data = reinterpret_cast<const unsigned char*>(m_body.data());
        while (m_at < m_body.size() && kHexDigit[data[m_at]]) ++m_at;
        if (!take("\"}")) return std::nullopt;
        // From the opening quote before "0x" to the closing quote.
        return std::pair{id, m_body.substr(hex - 3, m_at - 1 - (hex - 3))};
    }

    /// The text of one JSON object from m_at, its strings skipped whole: braces
    /// and brackets balanced, nothing else checked (the JSON parser does that).
    std::optional<std::string_view> balanced_object()
    {
        if (m_at >= m_body.size() || m_body[m_at] != '{') return std::nullopt;
        const std::size_t start = m_at;
        int depth = 0;
        while (m_at < m_body.size()) {
            const char c = m_body[m_at++];
            if (c == '"') {
                while (m_at < m_body.size() && m_body[m_at] != '"') m_at += m_body[m_at] == '\\' ? 2 : 1;
                if (m_at++ >= m_body.size()) return std::nullopt;
            } else if (c == '{' || c == '[') {
                ++depth;
            } else if ((c == '}' || c == ']') && --depth == 0) {
                return m_body.substr(start, m_at - start);
            }
        }
        return std::nullopt;
    }

    std::string_view m_body;
    std::size_t m_at = 0;
};

}  // namespace

Result<std::string> make_request(std::uint64_t id, const RpcCall& call)
{
    if (auto checked = check_params(call); !checked) return std::unexpected(checked.error());
    std::string out;
    out.reserve(call.params_json.size() + 96);
    append_request(out, id, call);
    return out;
}

Result<std::string> make_batch_request(std::uint64_t first_id, const std::vector<RpcCall>& calls)
{
    std::size_t size = 2;
    for (const auto& call : calls) {
        if (auto checked = check_params(call); !checked) return std::unexpected(checked.error());
        size += call.params_json.size() + call.method.size() + 96;
    }
    std::string batch;
    batch.reserve(size);
    batch += '[';
    for (std::size_t i = 0; i < calls.size(); ++i) {
        if (i) batch += ',';
        append_request(batch, first_id + i, calls[i]);
    }
    batch += ']';
    return batch;
}

bool nesting_within(std::string_view text, std::size_t limit) noexcept
{
    std::size_t depth = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\') ++i;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > limit) return false;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return true;
}

Result<std::string> parse_response(std::string_view body, std::uint64_t id)
{
    if (auto fast = HexAnswerReader(body).single(); fast && fast->first == id) return std::string(fast->second);
    auto response = parse_body(body);
    if (!response) return std::unexpected(response.error());
    if (!response->is_object()) return fail(Errc::Json, "the answer is not a JSON-RPC response: " + excerpt(body));
    const auto answered = id_of(*response);
    // A node that cannot parse the request answers with id null and an error: report the error.
    if (!answered && response->contains("error")) return answer_of(*response);
    if (answered != id)
        return fail(Errc::Json, "the answer is for id " + (answered ? std::to_string(*answered) : std::string("(none)"))
                                    + ", not the id " + std::to_string(id) + " asked (mismatched response)");
    return answer_of(*response);
}

namespace {

using IdAnswer = std::pair<std::uint64_t, Result<std::string>>;

/// A batch element that is not the plain hex shape: its id and its answer.
Result<IdAnswer> answer_of_item(const json& item)
{
    if (!item.is_object()) return fail(Errc::Json, "a batch answer is not an object");
    const auto id = id_of(item);
    if (!id) return fail(Errc::Json, "a batch answer for an id that was not asked: " + excerpt(item.dump()));
    return IdAnswer{*id, answer_of(item)};
}

/// The answers in the order of the calls: each id asked once, answered once.
Result<std::vector<Result<std::string>>> in_call_order(std::vector<IdAnswer> answered, std::uint64_t first_id, std::size_t count)
{
    std::vector<std::optional<Result<std::string>>> slots(count);
    for (auto& [id, answer] : answered) {
        if (id < first_id || id - first_id >= count)
            return fail(Errc::Json, "a batch answer for an id that was not asked: " + std::to_string(id));
        auto& slot = slots[id - first_id];
        if (slot) return fail(Errc::Json, "the batch answered id " + std::to_string(id) + " twice");
        slot = std::move(answer);
    }
    std::vector<Result<std::string>> results;
    results.reserve(count);
    for (auto& slot : slots) {
        if (!slot)
            return fail(Errc::Json, "a short batch: " + std::to_string(answered.size()) + " answers to " + std::to_string(count) + " calls");
        results.push_back(std::move(*slot));
    }
    return results;
}

}  // namespace

Result<std::vector<Result<std::string>>> parse_batch_response(std::string_view body, std::uint64_t first_id,
                                                              std::size_t count)
{
    std::vector<IdAnswer> answered;
    if (auto fast = HexAnswerReader(body).batch()) {
        for (const auto& element : *fast) {
            if (element.other.empty()) {
                answered.emplace_back(element.id, std::string(element.hex_result));
                continue;
            }
            auto item = parse_body(element.other);
            if (!item) return std::unexpected(item.error());
            auto answer = answer_of_item(*item);
            if (!answer) return std::unexpected(answer.error());
            answered.push_back(std::move(*answer));
        }
        return in_call_order(std::move(answered), first_id, count);
    }
    auto response = parse_body(body);
    if (!response) return std::unexpected(response.error());
    // A node without batch support answers a batch with one error object.
    if (response->is_object() && response->contains("error")) {
        auto single = answer_of(*response);
        return std::unexpected(single.error());
    }
    if (!response->is_array()) return fail(Errc::Json, "a batch was answered with something other than an array: " + excerpt(body));
    for (const auto& item : *response) {
        auto answer = answer_of_item(item);
        if (!answer) return std::unexpected(answer.error());
        answered.push_back(std::move(*answer));
    }
    return in_call_order(std::move(answered), first_id, count);
}

bool is_read_method(std::string_view method) noexcept
{
    static constexpr std::array<std::string_view, 27> kReads = {
        "eth_chainId",          "eth_blockNumber",       "eth_call",
        "eth_estimateGas",      "eth_feeHistory",        "eth_gasPrice",
        "eth_maxPriorityFeePerGas", "eth_getBalance",    "eth_getCode",
        "eth_getStorageAt",     "eth_getTransactionCount", "eth_getBlockByNumber",
        "eth_getBlockByHash",   "eth_getTransactionByHash", "eth_getTransactionReceipt",
        "eth_getLogs",          "eth_syncing",           "net_version",
        "web3_clientVersion",   "eth_getProof",          "eth_getBlockTransactionCountByNumber",
        "eth_getBlockReceipts", "eth_getUncleCountByBlockNumber", "eth_accounts",
        "net_listening",        "eth_createAccessList",  "txpool_content",
    };
    return std::find(kReads.begin(), kReads.end(), method) != kReads.end();
}

}  // namespace nftterm::protocols::eth
