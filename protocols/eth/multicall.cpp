#include "multicall.hpp"

#include <protocols/eth/abi/abi_value.hpp>

#include <nlohmann/json.hpp>

namespace nftterm::protocols::eth {
namespace {

using abi::Type;
using abi::Value;

const std::vector<Type>& aggregate3_inputs()
{
    static const auto types = *abi::parse_type_list("((address,bool,bytes)[])");
    return types;
}

const std::vector<Type>& aggregate3_outputs()
{
    static const auto types = *abi::parse_type_list("((bool,bytes)[])");
    return types;
}

/// aggregate3((address,bool,bytes)[]) — selector 0x82ad56cb.
constexpr std::uint8_t kAggregate3[4] = {0x82, 0xad, 0x56, 0xcb};

std::size_t encoded_size(const ReadCall& call)
{
    // offset + address + bool + bytes offset + length, then the padded bytes.
    return 5 * 32 + (call.call_data.size() + 31) / 32 * 32;
}

struct Chunk {
    std::size_t first = 0;
    std::size_t count = 0;
};

Result<wallet::Bytes> encode_chunk(const std::vector<ReadCall>& calls, Chunk chunk)
{
    Value::List list;
    list.reserve(chunk.count);
    for (std::size_t i = chunk.first; i < chunk.first + chunk.count; ++i) {
        const auto& call = calls[i];
        list.push_back(Value{Value::List{Value{call.target}, Value{call.allow_failure}, Value{call.call_data}}});
    }
    auto body = abi::encode(aggregate3_inputs(), {Value{std::move(list)}});
    if (!body) return body;
    wallet::Bytes data(kAggregate3, kAggregate3 + 4);
    data.insert(data.end(), body->begin(), body->end());
    return data;
}

bool out_of_gas(const Error& error)
{
    const std::string text = error.rpc ? error.rpc->message : error.context;
    return text.find("out of gas") != std::string::npos || text.find("OutOfGas") != std::string::npos
           || text.find("gas required exceeds") != std::string::npos || text.find("intrinsic gas too high") != std::string::npos;
}

Result<std::vector<ReadResult>> decode_chunk(const std::string& answer, std::size_t expected)
{
    wallet::Bytes data;
    try {
        // A quoted hex string (the usual answer) is read in place; anything else goes through the JSON parser.
        const bool plain = answer.size() >= 2 && answer.front() == '"' && answer.back() == '"' && answer.find('\\') == std::string::npos;
        auto bytes = plain ? wallet::bytes_from_hex(std::string_view(answer).substr(1, answer.size() - 2))
                           : wallet::bytes_from_hex(nlohmann::json::parse(answer).get<std::string>());
        if (!bytes) return fail(Errc::Decode, "aggregate3 returned data that is not hex");
        data = std::move(*bytes);
    } catch (const std::exception&) {
        return fail(Errc::Decode, "aggregate3 returned something other than hex data");
    }
    auto values = abi::decode(aggregate3_outputs(), data);
    if (!values) return fail(Errc::Decode, "aggregate3 result: " + values.error().context);
    auto& list = std::get<Value::List>(values->front().data);
    if (list.size() != expected)
        return fail(Errc::Decode, "aggregate3 returned " + std::to_string(list.size()) + " results for " + std::to_string(expected) + " calls");
    std::vector<ReadResult> results;
    results.reserve(list.size());
    for (auto& item : list) {
        auto& pair = std::get<Value::List>(item.data);
        results.push_back({std::get<bool>(pair[0].data), std::move(std::get<wallet::Bytes>(pair[1].data))});
    }
    return results;
}

}  // namespace

wallet::Address multicall3_address()
{
    return *wallet::Address::parse("0xcA11bde05977b3631167028862bE2a173976CA11");
}

Result<std::vector<ReadResult>> multicall(RpcClient& client, const std::vector<ReadCall>& calls, const BlockTag& block,
                                          const MulticallOptions& options, MulticallStats* stats)
{
    MulticallStats local;
    MulticallStats& count = stats ? *stats : local;
    std::vector<ReadResult> results(calls.size());
    // Cut by call count and calldata size.
    std::vector<Chunk> pending;
    for (std::size_t i = 0; i < calls.size();) {
        Chunk chunk{i, 0};
        std::size_t bytes = 0;
        while (i < calls.size() && chunk.count < std::max<std::size_t>(1, options.max_calls_per_chunk)
               && (chunk.count == 0 || bytes + encoded_size(calls[i]) <= options.max_calldata_bytes)) {
            bytes += encoded_size(calls[i]);
            ++chunk.count;
            ++i;
        }
        pending.push_back(chunk);
    }
    const wallet::Address target = options.multicall.value_or(multicall3_address());
    while (!pending.empty()) {
        std::vector<RpcCall> batch;
        for (const auto& chunk : pending) {
            auto data = encode_chunk(calls, chunk);
            if (!data) return std::unexpected(data.error());
            CallRequest request;
            request.to = target;
            request.data = std::move(*data);
            request.gas = options.gas_per_chunk;
            batch.push_back({"eth_call", "[" + call_request_json(request) + "," + block.json() + "]"});
        }
        count.chunks += batch.size();
        ++count.http_requests;
        auto answers = batch.size() == 1 ? [&]() -> Result<std::vector<Result<std::string>>> {
            std::vector<Result<std::string>> one;
            one.push_back(client.call("eth_call", batch.front().params_json));
            return one;
        }()
                                         : client.batch(batch);
        if (!answers) return std::unexpected(answers.error());
        std::vector<Chunk> again;
        for (std::size_t c = 0; c < pending.size(); ++c) {
            auto& answer = (*answers)[c];
            const Chunk chunk = pending[c];
            if (!answer) {
                if (out_of_gas(answer.error()) && chunk.count > 1) {
                    again.push_back({chunk.first, chunk.count / 2});
                    again.push_back({chunk.first + chunk.count / 2, chunk.count - chunk.count / 2});
                    continue;
                }
                Error error = as_revert(answer.error());
                error.context = "multicall of " + std::to_string(calls.size()) + " reads: " + error.context;
                return std::unexpected(error);
            }
            auto decoded = decode_chunk(*answer, chunk.count);
            if (!decoded) return std::unexpected(decoded.error());
            std::move(decoded->begin(), decoded->end(), results.begin() + static_cast<std::ptrdiff_t>(chunk.first));
        }
        pending = std::move(again);
    }
    return results;
}

Result<PinnedReads> read_at_head(RpcClient& client, const std::vector<ReadCall>& calls, const MulticallOptions& options,
                                 MulticallStats* stats)
{
    auto head = get_block(client, BlockTag::latest());
    if (!head) return std::unexpected(head.error());
    auto results = multicall(client, calls, BlockTag::hash(head->hash), options, stats);
    if (!results) return std::unexpected(results.error());
    return PinnedReads{*head, std::move(*results)};
}

}  // namespace nftterm::protocols::eth
