#include "eth_api.hpp"

#include "log_refusal.hpp"

#include "json_read.hpp"

#include <protocols/eth/abi/revert_reason.hpp>

namespace nftterm::protocols::eth {
namespace {

using json_read::json;
using json_read::quantity_hex;

/// Calls `method` and parses its result as JSON.
Result<json> ask(RpcClient& client, std::string_view method, const json& params)
{
    auto answer = client.call(method, params.dump());
    if (!answer) return std::unexpected(answer.error());
    return json_read::parse(*answer);
}

/// Prefixes a decode error with the method that produced it.
template <typename T>
Result<T> in(std::string_view method, Result<T> result)
{
    if (!result) result.error().context = std::string(method) + ": " + result.error().context;
    return result;
}

Result<Log> read_log(const json& item)
{
    Log log;
    auto address = json_read::field(item, "address");
    if (!address) return std::unexpected(address.error());
    auto parsed_address = json_read::address(**address, "log address");
    if (!parsed_address) return std::unexpected(parsed_address.error());
    log.address = *parsed_address;
    auto topics = json_read::field(item, "topics");
    if (!topics) return std::unexpected(topics.error());
    if (!(*topics)->is_array()) return fail(Errc::Decode, "log topics are not an array");
    for (const auto& topic : **topics) {
        auto parsed = json_read::hash(topic, "log topic");
        if (!parsed) return std::unexpected(parsed.error());
        log.topics.push_back(*parsed);
    }
    auto data = json_read::field(item, "data");
    if (!data) return std::unexpected(data.error());
    auto bytes = json_read::data(**data, "log data");
    if (!bytes) return std::unexpected(bytes.error());
    log.data = std::move(*bytes);
    // Pending logs have no block yet: those fields stay zero.
    if (auto number = item.find("blockNumber"); number != item.end() && !number->is_null())
        if (auto n = json_read::quantity(*number, "blockNumber")) log.block_number = *n;
    if (auto hash = item.find("blockHash"); hash != item.end() && !hash->is_null())
        if (auto h = json_read::hash(*hash, "blockHash")) log.block_hash = wallet::BlockHash(*h);
    if (auto hash = item.find("transactionHash"); hash != item.end() && !hash->is_null())
        if (auto h = json_read::hash(*hash, "transactionHash")) log.transaction_hash = wallet::TxHash(*h);
    if (auto index = item.find("logIndex"); index != item.end() && !index->is_null())
        if (auto n = json_read::quantity(*index, "logIndex")) log.log_index = *n;
    log.removed = item.value("removed", false);
    return log;
}

Result<BlockHeader> header_from(const json& object)
{
    const json* answer = &object;
    BlockHeader header;
    auto read = [&]() -> Result<void> {
        auto number = json_read::field(*answer, "number");
        if (!number) return std::unexpected(number.error());
        auto n = json_read::quantity(**number, "number");
        if (!n) return std::unexpected(n.error());
        header.number = *n;
        for (auto [name, target] : {std::pair{"hash", &header.hash}, std::pair{"parentHash", &header.parent_hash}}) {
            auto value = json_read::field(*answer, name);
            if (!value) return std::unexpected(value.error());
            auto h = json_read::hash(**value, name);
            if (!h) return std::unexpected(h.error());
            *target = wallet::BlockHash(*h);
        }
        for (auto [name, target] : {std::pair{"timestamp", &header.timestamp}, std::pair{"gasLimit", &header.gas_limit},
                                    std::pair{"gasUsed", &header.gas_used}}) {
            auto value = json_read::field(*answer, name);
            if (!value) return std::unexpected(value.error());
            auto q = json_read::quantity(**value, name);
            if (!q) return std::unexpected(q.error());
            *target = *q;
        }
        if (auto fee = answer->find("baseFeePerGas"); fee != answer->end() && !fee->is_null()) {
            auto parsed = json_read::big_quantity(*fee, "baseFeePerGas");
            if (!parsed) return std::unexpected(parsed.error());
            header.base_fee = *parsed;
        }
        return {};
    }();
    if (!read) return std::unexpected(read.error());
    return header;
}

}  // namespace

BlockTag BlockTag::number(std::uint64_t n)
{
    return BlockTag("\"" + quantity_hex(n) + "\"");
}

BlockTag BlockTag::hash(const wallet::BlockHash& h)
{
    return BlockTag(R"({"blockHash":")" + h.to_hex() + R"(","requireCanonical":true})");
}

Result<BlockHeader> block_header_from_json(const std::string& json_text)
{
    auto parsed = json_read::parse(json_text);
    if (!parsed) return std::unexpected(parsed.error());
    return header_from(*parsed);
}

std::string call_request_json(const CallRequest& request)
{
    // Every member is a hex string (nothing to escape), and "input" can be
    // hundreds of kilobytes: written directly instead of through a DOM.
    std::string out = "{";
    auto member = [&](const char* name, const std::string& value) {
        if (out.size() > 1) out += ',';
        out += '"';
        out += name;
        out += "\":\"";
        out += value;
        out += '"';
    };
    if (request.from) member("from", request.from->to_hex());
    if (request.to) member("to", request.to->to_hex());
    if (!request.value.is_zero()) member("value", request.value.to_hex());
    if (request.gas) member("gas", quantity_hex(*request.gas));
    if (request.max_fee_per_gas) member("maxFeePerGas", request.max_fee_per_gas->to_hex());
    if (request.max_priority_fee_per_gas) member("maxPriorityFeePerGas", request.max_priority_fee_per_gas->to_hex());
    if (request.gas_price) member("gasPrice", request.gas_price->to_hex());
    if (request.nonce) member("nonce", quantity_hex(*request.nonce));
    out.reserve(out.size() + request.data.size() * 2 + 16);
    if (out.size() > 1) out += ',';
    out += "\"input\":\"";
    out += wallet::to_hex(request.data);
    out += "\"}";
    return out;
}

Error as_revert(Error error, const std::vector<abi::Signature>& custom_errors)
{
    if (error.code != Errc::Rpc || !error.rpc) return error;
    const auto& detail = *error.rpc;
    const bool says_revert = detail.code == 3 || detail.message.find("revert") != std::string::npos;
    if (!says_revert) return error;
    wallet::Bytes revert_data;
    if (!detail.data_json.empty()) {
        if (auto data = json_read::parse(detail.data_json); data && data->is_string())
            if (auto bytes = wallet::bytes_from_hex(data->get<std::string>())) revert_data = std::move(*bytes);
    }
    std::string reason = abi::describe_revert(revert_data, custom_errors);
    // Nodes that strip the data still put the reason in the message.
    if (revert_data.empty() && detail.message.starts_with("execution reverted: ")) reason = detail.message.substr(20);
    const auto method_end = error.context.find(": code ");
    const std::string where = method_end == std::string::npos ? std::string() : error.context.substr(0, method_end) + ": ";
    error.code = Errc::Revert;
    error.context = where + reason;
    return error;
}

Result<std::uint64_t> block_number(RpcClient& client)
{
    auto answer = ask(client, "eth_blockNumber", json::array());
    if (!answer) return std::unexpected(answer.error());
    return in("eth_blockNumber", json_read::quantity(*answer, "block number"));
}

Result<BlockHeader> get_block(RpcClient& client, const BlockTag& block)
{
    const bool by_hash = block.json().starts_with("{");
    json params = json::array();
    std::string method = "eth_getBlockByNumber";
    if (by_hash) {
        method = "eth_getBlockByHash";
        params.push_back(json::parse(block.json())["blockHash"]);
    } else {
        params.push_back(json::parse(block.json()));
    }
    params.push_back(false);
    auto answer = ask(client, method, params);
    if (!answer) return std::unexpected(answer.error());
    if (answer->is_null()) return fail(Errc::Decode, method + ": the node has no block " + block.json());
    auto header = header_from(*answer);
    if (!header) return std::unexpected(in<BlockHeader>(method, std::unexpected(header.error())).error());
    return header;
}

Result<wallet::U256> get_balance(RpcClient& client, const wallet::Address& account, const BlockTag& block)
{
    auto answer = ask(client, "eth_getBalance", json::array({account.to_hex(), json::parse(block.json())}));
    if (!answer) return std::unexpected(answer.error());
    return in("eth_getBalance", json_read::big_quantity(*answer, "balance"));
}

Result<std::uint64_t> get_transaction_count(RpcClient& client, const wallet::Address& account, const BlockTag& block)
{
    auto answer = ask(client, "eth_getTransactionCount", json::array({account.to_hex(), json::parse(block.json())}));
    if (!answer) return std::unexpected(answer.error());
    return in("eth_getTransactionCount", json_read::quantity(*answer, "nonce"));
}

Result<wallet::Bytes> get_code(RpcClient& client, const wallet::Address& account, const BlockTag& block)
{
    auto answer = ask(client, "eth_getCode", json::array({account.to_hex(), json::parse(block.json())}));
    if (!answer) return std::unexpected(answer.error());
    return in("eth_getCode", json_read::data(*answer, "code"));
}

Result<wallet::Bytes> call(RpcClient& client, const CallRequest& request, const BlockTag& block,
                           const std::vector<abi::Signature>& custom_errors)
{
    auto answer = ask(client, "eth_call", json::array({json::parse(call_request_json(request)), json::parse(block.json())}));
    if (!answer) return std::unexpected(as_revert(answer.error(), custom_errors));
    return in("eth_call", json_read::data(*answer, "return data"));
}

Result<std::uint64_t> estimate_gas(RpcClient& client, const CallRequest& request, const std::vector<abi::Signature>& custom_errors)
{
    auto answer = ask(client, "eth_estimateGas", json::array({json::parse(call_request_json(request))}));
    if (!answer) return std::unexpected(as_revert(answer.error(), custom_errors));
    return in("eth_estimateGas", json_read::quantity(*answer, "gas"));
}

Result<wallet::TxHash> send_raw_transaction(RpcClient& client, wallet::ByteView raw)
{
    auto answer = ask(client, "eth_sendRawTransaction", json::array({wallet::to_hex(raw)}));
    if (!answer) return std::unexpected(answer.error());
    auto hash = in("eth_sendRawTransaction", json_read::hash(*answer, "transaction hash"));
    if (!hash) return std::unexpected(hash.error());
    return wallet::TxHash(*hash);
}

Result<std::optional<Receipt>> get_receipt(RpcClient& client, const wallet::TxHash& hash)
{
    auto answer = ask(client, "eth_getTransactionReceipt", json::array({hash.to_hex()}));
    if (!answer) return std::unexpected(answer.error());
    if (answer->is_null()) return std::optional<Receipt>();
    Receipt receipt;
    receipt.transaction_hash = hash;
    auto read = [&]() -> Result<void> {
        auto status = json_read::field(*answer, "status");
        if (!status) return std::unexpected(status.error());
        auto s = json_read::quantity(**status, "status");
        if (!s) return std::unexpected(s.error());
        receipt.success = *s == 1;
        auto number = json_read::field(*answer, "blockNumber");
        if (!number) return std::unexpected(number.error());
        auto n = json_read::quantity(**number, "blockNumber");
        if (!n) return std::unexpected(n.error());
        receipt.block_number = *n;
        auto block = json_read::field(*answer, "blockHash");
        if (!block) return std::unexpected(block.error());
        auto h = json_read::hash(**block, "blockHash");
        if (!h) return std::unexpected(h.error());
        receipt.block_hash = wallet::BlockHash(*h);
        auto used = json_read::field(*answer, "gasUsed");
        if (!used) return std::unexpected(used.error());
        auto g = json_read::quantity(**used, "gasUsed");
        if (!g) return std::unexpected(g.error());
        receipt.gas_used = *g;
        if (auto price = answer->find("effectiveGasPrice"); price != answer->end() && !price->is_null())
            if (auto p = json_read::big_quantity(*price, "effectiveGasPrice")) receipt.effective_gas_price = *p;
        if (auto created = answer->find("contractAddress"); created != answer->end() && !created->is_null())
            if (auto a = json_read::address(*created, "contractAddress")) receipt.contract_address = *a;
        if (auto logs = answer->find("logs"); logs != answer->end() && logs->is_array())
            for (const auto& item : *logs) {
                auto log = read_log(item);
                if (!log) return std::unexpected(log.error());
                receipt.logs.push_back(std::move(*log));
            }
        return {};
    }();
    if (!read) return fail(Errc::Decode, "eth_getTransactionReceipt: " + read.error().context);
    return std::optional<Receipt>(std::move(receipt));
}

Result<std::optional<TransactionInfo>> get_transaction(RpcClient& client, const wallet::TxHash& hash)
{
    auto answer = ask(client, "eth_getTransactionByHash", json::array({hash.to_hex()}));
    if (!answer) return std::unexpected(answer.error());
    if (answer->is_null()) return std::optional<TransactionInfo>();
    TransactionInfo info;
    info.hash = hash;
    auto from = json_read::field(*answer, "from");
    auto nonce = json_read::field(*answer, "nonce");
    if (!from || !nonce) return fail(Errc::Decode, "eth_getTransactionByHash: the answer lacks from or nonce");
    auto a = json_read::address(**from, "from");
    auto n = json_read::quantity(**nonce, "nonce");
    if (!a || !n) return fail(Errc::Decode, "eth_getTransactionByHash: " + (a ? n.error().context : a.error().context));
    info.from = *a;
    info.nonce = *n;
    if (auto block = answer->find("blockNumber"); block != answer->end() && !block->is_null())
        if (auto b = json_read::quantity(*block, "blockNumber")) info.block_number = *b;
    return std::optional<TransactionInfo>(info);
}

Result<FeeHistory> fee_history(RpcClient& client, std::uint64_t blocks, const std::vector<double>& percentiles)
{
    auto answer = ask(client, "eth_feeHistory", json::array({quantity_hex(blocks), "latest", percentiles}));
    if (!answer) return std::unexpected(answer.error());
    FeeHistory history;
    auto read = [&]() -> Result<void> {
        auto oldest = json_read::field(*answer, "oldestBlock");
        if (!oldest) return std::unexpected(oldest.error());
        auto o = json_read::quantity(**oldest, "oldestBlock");
        if (!o) return std::unexpected(o.error());
        history.oldest_block = *o;
        auto base = json_read::field(*answer, "baseFeePerGas");
        if (!base) return std::unexpected(base.error());
        if (!(*base)->is_array()) return fail(Errc::Decode, "baseFeePerGas is not an array");
        for (const auto& fee : **base) {
            auto f = json_read::big_quantity(fee, "baseFeePerGas");
            if (!f) return std::unexpected(f.error());
            history.base_fees.push_back(*f);
        }
        if (auto ratios = answer->find("gasUsedRatio"); ratios != answer->end() && ratios->is_array())
            for (const auto& ratio : *ratios) history.gas_used_ratio.push_back(ratio.is_number() ? ratio.get<double>() : 0.0);
        if (auto rewards = answer->find("reward"); rewards != answer->end() && rewards->is_array())
            for (const auto& block_rewards : *rewards) {
                std::vector<wallet::U256> row;
                if (!block_rewards.is_array()) return fail(Errc::Decode, "a reward row is not an array");
                for (const auto& reward : block_rewards) {
                    auto r = json_read::big_quantity(reward, "reward");
                    if (!r) return std::unexpected(r.error());
                    row.push_back(*r);
                }
                history.rewards.push_back(std::move(row));
            }
        return {};
    }();
    if (!read) return fail(Errc::Decode, "eth_feeHistory: " + read.error().context);
    return history;
}

Result<wallet::U256> gas_price(RpcClient& client)
{
    auto answer = ask(client, "eth_gasPrice", json::array());
    if (!answer) return std::unexpected(answer.error());
    return in("eth_gasPrice", json_read::big_quantity(*answer, "gas price"));
}

Result<wallet::U256> max_priority_fee_per_gas(RpcClient& client)
{
    auto answer = ask(client, "eth_maxPriorityFeePerGas", json::array());
    if (!answer) return std::unexpected(answer.error());
    return in("eth_maxPriorityFeePerGas", json_read::big_quantity(*answer, "priority fee"));
}

namespace {

/// One eth_getLogs request for blocks [from, to] (to unset: "latest").
Result<std::vector<Log>> get_logs_once(RpcClient& client, const LogFilter& filter, std::uint64_t from, std::optional<std::uint64_t> to)
{
    json object = json::object();
    json addresses = json::array();
    for (const auto& address : filter.addresses) addresses.push_back(address.to_hex());
    if (!addresses.empty()) object["address"] = addresses;
    json topics = json::array();
    for (const auto& position : filter.topics) {
        if (position.empty()) {
            topics.push_back(nullptr);
            continue;
        }
        json any = json::array();
        for (const auto& topic : position) any.push_back(topic.to_hex());
        topics.push_back(any);
    }
    if (!topics.empty()) object["topics"] = topics;
    object["fromBlock"] = quantity_hex(from);
    object["toBlock"] = to ? quantity_hex(*to) : std::string("latest");
    auto answer = ask(client, "eth_getLogs", json::array({object}));
    if (!answer) return std::unexpected(answer.error());
    if (!answer->is_array()) return fail(Errc::Decode, "eth_getLogs: the answer is not an array");
    std::vector<Log> logs;
    for (const auto& item : *answer) {
        auto log = read_log(item);
        if (!log) return fail(Errc::Decode, "eth_getLogs: " + log.error().context);
        logs.push_back(std::move(*log));
    }
    return logs;
}

}  // namespace

Result<std::vector<Log>> get_logs(RpcClient& client, const LogFilter& filter)
{
    std::vector<Log> logs;
    std::optional<std::uint64_t> to = filter.to_block;
    std::uint64_t from = filter.from_block;
    // The span asked for: the provider's stated limit, else where the last refused scan settled, else the
    // whole range; halved when refused, doubled back (up to the stated limit) after each answer.
    const std::uint64_t stated = client.log_span_limit(), hint = client.log_span_hint();
    std::uint64_t span = stated && hint ? std::min(stated, hint) : stated ? stated : hint;
    bool bisected = false;
    std::uint64_t refused_span = UINT64_MAX;  // the narrowest span refused in this scan: never asked again
    while (!to || from <= *to) {
        const std::uint64_t end = to && span ? std::min(*to, from + span - 1) : to.value_or(0);
        auto part = get_logs_once(client, filter, from, to ? std::optional(end) : std::nullopt);
        const auto refusal = part ? std::nullopt : get_logs_refusal(part.error());
        client.count_log_request(refusal.has_value());
        if (part) {
            logs.insert(logs.end(), std::make_move_iterator(part->begin()), std::make_move_iterator(part->end()));
            if (!to) break;
            if (bisected && span) client.hint_log_span(span);
            bisected = false;
            from = end + 1;
            const std::uint64_t limit = client.log_span_limit();
            if (span) span = std::min({limit ? limit : UINT64_MAX, span * 2, refused_span - 1});
            continue;
        }
        if (!refusal) return std::unexpected(part.error());
        std::uint64_t asked_to = end;
        if (!to) {
            // "latest" refused as too wide: pin the head and split.
            auto head = block_number(client);
            if (!head) return std::unexpected(head.error());
            to = *head;
            if (from > *to) break;
            asked_to = *to;
        }
        const std::uint64_t asked = asked_to - from + 1;
        refused_span = std::min(refused_span, asked);
        if (asked <= 1) {
            part.error().context = "eth_getLogs refuses even block " + std::to_string(from) + " alone: " + part.error().context;
            return std::unexpected(part.error());
        }
        if (refusal->max_blocks && *refusal->max_blocks < asked) {
            client.limit_log_span(*refusal->max_blocks);
            span = *refusal->max_blocks;
        } else {
            span = asked / 2;  // too many results, or a limit that did not fit: bisect
            bisected = true;
        }
    }
    return logs;
}

}  // namespace nftterm::protocols::eth
