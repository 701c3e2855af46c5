#include "multicall.hpp"

#include <protocols/eth/abi/abi_value.hpp>
#include <wallet/crypto/hashes.hpp>

#include <future>

#include <nlohmann/json.hpp>

namespace nftterm::protocols::eth {
namespace {

/// aggregate3((address,bool,bytes)[]) — selector 0x82ad56cb.
constexpr std::uint8_t kAggregate3[4] = {0x82, 0xad, 0x56, 0xcb};

std::size_t padded(std::size_t size)
{
    return (size + 31) / 32 * 32;
}

std::size_t encoded_size(const ReadCall& call)
{
    // offset + address + bool + bytes offset + length, then the padded bytes.
    return 5 * 32 + padded(call.call_data.size());
}

void put_word(std::uint8_t* at, std::uint64_t value)
{
    for (int i = 0; i < 8; ++i) at[31 - i] = static_cast<std::uint8_t>(value >> (8 * i));
}

/// aggregate3 calldata for calls[first, first + count) and then `extra`, written straight into one buffer.
wallet::Bytes encode_chunk(const std::vector<ReadCall>& calls, std::size_t first, std::size_t own, const std::vector<ReadCall>& extra)
{
    const std::size_t count = own + extra.size();
    const auto call_at = [&](std::size_t i) -> const ReadCall& { return i < own ? calls[first + i] : extra[i - own]; };
    std::size_t size = 4 + 32 + 32 + 32 * count;
    for (std::size_t i = 0; i < count; ++i) size += 4 * 32 + padded(call_at(i).call_data.size());
    wallet::Bytes data(size, 0);
    std::uint8_t* out = data.data();
    std::copy(kAggregate3, kAggregate3 + 4, out);
    put_word(out + 4, 32);     // where the array starts
    put_word(out + 36, count);  // its length
    std::uint8_t* offsets = out + 68;
    std::size_t tail = 32 * count;  // tuples follow the offsets; offsets count from the first of them
    for (std::size_t i = 0; i < count; ++i) {
        const auto& call = call_at(i);
        put_word(offsets + 32 * i, tail);
        std::uint8_t* tuple = offsets + tail;
        std::copy(call.target.data(), call.target.data() + 20, tuple + 12);
        tuple[63] = call.allow_failure ? 1 : 0;
        put_word(tuple + 64, 3 * 32);
        put_word(tuple + 96, call.call_data.size());
        std::copy(call.call_data.begin(), call.call_data.end(), tuple + 128);
        tail += 4 * 32 + padded(call.call_data.size());
    }
    return data;
}

/// Multicall3's own views, read at the end of each chunk when the reads go out
/// at "latest": which block the chunk ran on.
std::vector<ReadCall> block_identity_calls(const wallet::Address& multicall)
{
    std::vector<ReadCall> calls;
    for (std::string_view signature : {"getBlockNumber()", "getCurrentBlockTimestamp()", "getLastBlockHash()"}) {
        const auto hash = wallet::keccak256(wallet::ByteView(reinterpret_cast<const std::uint8_t*>(signature.data()), signature.size()));
        calls.push_back({multicall, wallet::Bytes(hash.data(), hash.data() + 4), false});
    }
    return calls;
}
constexpr std::size_t kIdentityCalls = 3;

/// Whether a chunk's identity reads (number, timestamp, parent hash) name `head`.
bool ran_on(std::span<const ReadResult> identity, const BlockHeader& head)
{
    const auto word = [&](std::size_t i) -> std::optional<wallet::U256> {
        if (!identity[i].success || identity[i].return_data.size() != 32) return std::nullopt;
        auto value = wallet::U256::from_be(identity[i].return_data);
        return value ? std::optional<wallet::U256>(*value) : std::nullopt;
    };
    const auto number = word(0), timestamp = word(1);
    return number && timestamp && *number == wallet::U256(head.number) && *timestamp == wallet::U256(head.timestamp)
           && identity[2].return_data.size() == 32
           && std::equal(identity[2].return_data.begin(), identity[2].return_data.end(), head.parent_hash.data());
}

bool out_of_gas(const Error& error)
{
    const std::string text = error.rpc ? error.rpc->message : error.context;
    // revm names its out-of-gas halts OutOfGas, MemoryOOG, PrecompileOOG, InvalidOperandOOG.
    return text.find("out of gas") != std::string::npos || text.find("OutOfGas") != std::string::npos || text.find("OOG") != std::string::npos
           || text.find("gas required exceeds") != std::string::npos || text.find("intrinsic gas too high") != std::string::npos;
}

/// Hex digits by value, -1 for anything else.
struct HexTable {
    std::int8_t value[256];
    constexpr HexTable() : value()
    {
        for (int i = 0; i < 256; ++i) value[i] = -1;
        for (int i = 0; i < 10; ++i) value['0' + i] = static_cast<std::int8_t>(i);
        for (int i = 0; i < 6; ++i) value['a' + i] = value['A' + i] = static_cast<std::int8_t>(10 + i);
    }
};
constexpr HexTable kHex;

std::optional<wallet::Bytes> unhex(std::string_view hex)
{
    if (hex.starts_with("0x")) hex.remove_prefix(2);
    if (hex.size() % 2 != 0) return std::nullopt;
    wallet::Bytes out(hex.size() / 2);
    const auto* in = reinterpret_cast<const unsigned char*>(hex.data());
    for (std::size_t i = 0; i < out.size(); ++i) {
        const int hi = kHex.value[in[2 * i]], lo = kHex.value[in[2 * i + 1]];
        if ((hi | lo) < 0) return std::nullopt;
        out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
    }
    return out;
}

Result<std::vector<ReadResult>> decode_chunk(const std::string& answer, std::size_t expected)
{
    std::optional<wallet::Bytes> data;
    try {
        // A quoted hex string (the usual answer) is read in place; anything else goes through the JSON parser.
        const bool plain = answer.size() >= 2 && answer.front() == '"' && answer.back() == '"' && answer.find('\\') == std::string::npos;
        data = plain ? unhex(std::string_view(answer).substr(1, answer.size() - 2)) : unhex(nlohmann::json::parse(answer).get<std::string>());
    } catch (const std::exception&) {
        return fail(Errc::Decode, "aggregate3 returned something other than hex data");
    }
    if (!data) return fail(Errc::Decode, "aggregate3 returned data that is not hex");
    return decode_aggregate3_results(*data, expected);
}

/// One eth_call of a chunk: the prepared parameters plus the block.
std::string params_of(const std::string& head, const BlockTag& block)
{
    std::string params;
    params.reserve(head.size() + block.json().size() + 1);
    params += head;
    params += block.json();
    params += ']';
    return params;
}

}  // namespace

wallet::Address multicall3_address()
{
    return *wallet::Address::parse("0xcA11bde05977b3631167028862bE2a173976CA11");
}

Result<std::vector<ReadResult>> decode_aggregate3_results(wallet::ByteView data, std::size_t expected)
{
    const std::size_t size = data.size();
    // A word that must fit in 64 bits and point inside the data.
    const auto word = [&](std::size_t at) -> std::optional<std::size_t> {
        if (at > size || size - at < 32) return std::nullopt;
        for (std::size_t i = 0; i < 24; ++i)
            if (data[at + i] != 0) return std::nullopt;
        std::uint64_t value = 0;
        for (std::size_t i = 24; i < 32; ++i) value = value << 8 | data[at + i];
        return value > size ? std::nullopt : std::optional<std::size_t>(value);
    };
    const auto bad = [](const std::string& what) { return fail(Errc::Decode, "aggregate3 result: " + what); };
    const auto array = word(0);
    if (!array) return bad("no array offset");
    const auto count = word(*array);
    if (!count) return bad("no array length");
    if (*count != expected)
        return fail(Errc::Decode, "aggregate3 returned " + std::to_string(*count) + " results for " + std::to_string(expected) + " calls");
    const std::size_t base = *array + 32;
    std::vector<ReadResult> results(*count);
    for (std::size_t i = 0; i < *count; ++i) {
        const auto tuple = word(base + 32 * i);
        if (!tuple) return bad("result " + std::to_string(i) + " has no offset");
        const std::size_t at = base + *tuple;
        const auto success = word(at);
        const auto bytes_offset = word(at + 32);
        if (!success || *success > 1 || !bytes_offset) return bad("result " + std::to_string(i) + " is not (bool,bytes)");
        const auto length = word(at + *bytes_offset);
        const std::size_t start = at + *bytes_offset + 32;
        if (!length || start > size || size - start < *length) return bad("result " + std::to_string(i) + " runs past the data");
        results[i].success = *success == 1;
        results[i].return_data.assign(data.begin() + static_cast<std::ptrdiff_t>(start), data.begin() + static_cast<std::ptrdiff_t>(start + *length));
    }
    return results;
}

PreparedReads::PreparedReads(std::vector<ReadCall> calls, MulticallOptions options) : m_calls(std::move(calls)), m_options(options)
{
    const wallet::Address target = m_options.multicall.value_or(multicall3_address());
    const std::vector<ReadCall> identity = m_options.block_identity ? block_identity_calls(target) : std::vector<ReadCall>{};
    // Cut by call count and calldata size.
    for (std::size_t i = 0; i < m_calls.size();) {
        Chunk chunk{i, 0, {}};
        std::size_t bytes = 0;
        while (i < m_calls.size() && chunk.count < std::max<std::size_t>(1, m_options.max_calls_per_chunk)
               && (chunk.count == 0 || bytes + encoded_size(m_calls[i]) <= m_options.max_calldata_bytes)) {
            bytes += encoded_size(m_calls[i]);
            ++chunk.count;
            ++i;
        }
        CallRequest request;
        request.to = target;
        request.data = encode_chunk(m_calls, chunk.first, chunk.count, identity);
        request.gas = m_options.gas_per_chunk;
        chunk.params_head = "[" + call_request_json(request) + ",";
        m_chunks.push_back(std::move(chunk));
    }
}

Result<std::vector<ReadResult>> PreparedReads::run(RpcClient& client, const BlockTag& block, MulticallStats* stats) const
{
    MulticallStats local;
    return execute(client, block, stats ? *stats : local, nullptr);
}

Result<PinnedReads> PreparedReads::run_at_head(RpcClient& client, MulticallStats* stats) const
{
    MulticallStats local;
    MulticallStats& count = stats ? *stats : local;
    // The head, then every chunk pinned to its hash (EIP-1898): two round trips.
    const auto pinned = [&]() -> Result<PinnedReads> {
        auto head = get_block(client, BlockTag::latest());
        if (!head) return std::unexpected(head.error());
        ++count.http_requests;
        auto results = execute(client, BlockTag::hash(head->hash), count, nullptr);
        if (!results) return std::unexpected(results.error());
        return PinnedReads{*head, std::move(*results)};
    };
    if (!m_options.block_identity) return pinned();
    BlockHeader head;
    bool moved = false;
    auto results = execute(client, BlockTag::latest(), count, &head, &moved);
    if (!results) return std::unexpected(results.error());
    if (!moved) return PinnedReads{head, std::move(*results)};
    // A block landed while the chunks ran: all of them again, pinned to the newest head.
    ++count.head_moved;
    return pinned();
}

Result<std::vector<ReadResult>> PreparedReads::execute(RpcClient& client, const BlockTag& block, MulticallStats& count, BlockHeader* head,
                                                       bool* moved) const
{
    std::vector<ReadResult> results(m_calls.size());
    if (m_chunks.empty() && !head) return results;
    const std::size_t extra = m_options.block_identity ? kIdentityCalls : 0;

    // Chunks in requests of at most max_request_bytes; the requests go out together. The head,
    // when asked for, leads the first.
    std::vector<std::vector<RpcCall>> requests(1);
    if (head) requests.front().push_back({"eth_getBlockByNumber", R"(["latest",false])", true});
    std::size_t bytes = 0;
    for (const auto& chunk : m_chunks) {
        auto params = params_of(chunk.params_head, block);
        if (!requests.back().empty() && bytes + params.size() > m_options.max_request_bytes) {
            requests.emplace_back();
            bytes = 0;
        }
        bytes += params.size() + 64;
        requests.back().push_back({"eth_call", std::move(params), true});
    }
    const auto send = [&client](const std::vector<RpcCall>& batch) { return client.batch(batch); };
    std::vector<std::future<Result<std::vector<Result<std::string>>>>> others;
    for (std::size_t r = 1; r < requests.size(); ++r) others.push_back(std::async(std::launch::async, send, std::cref(requests[r])));
    std::vector<Result<std::vector<Result<std::string>>>> answers;
    answers.push_back(send(requests.front()));
    for (auto& other : others) answers.push_back(other.get());
    count.chunks += m_chunks.size();
    count.http_requests += requests.size();

    if (head) {
        if (!answers.front()) return std::unexpected(answers.front().error());
        auto& first = *answers.front();
        if (first.empty() || !first.front()) return std::unexpected(first.empty() ? fail(Errc::Rpc, "no answer for the head block").error() : first.front().error());
        auto header = block_header_from_json(*first.front());
        if (!header) return std::unexpected(header.error());
        *head = *header;
        first.erase(first.begin());
    }

    std::size_t c = 0;
    for (auto& request_answers : answers) {
        if (!request_answers) return std::unexpected(request_answers.error());
        for (auto& answer : *request_answers) {
            const Chunk& chunk = m_chunks[c++];
            if (!answer) {
                if (out_of_gas(answer.error()) && chunk.count > 1) {
                    // Too much for one call's gas: the chunk's calls again in halves (at the head
                    // already read, when the reads went out at "latest").
                    ++count.out_of_gas_chunks;
                    MulticallOptions halves = m_options;
                    halves.max_calls_per_chunk = std::max<std::size_t>(1, chunk.count / 2);
                    const std::vector<ReadCall> part(m_calls.begin() + static_cast<std::ptrdiff_t>(chunk.first),
                                                     m_calls.begin() + static_cast<std::ptrdiff_t>(chunk.first + chunk.count));
                    MulticallStats inner;
                    auto again = PreparedReads(part, halves).execute(client, head ? BlockTag::hash(head->hash) : block, inner, nullptr);
                    if (!again) return std::unexpected(again.error());
                    count.chunks += inner.chunks;
                    count.http_requests += inner.http_requests;
                    count.out_of_gas_chunks += inner.out_of_gas_chunks;
                    // The halves fit unless they were split again; then what fit deeper down.
                    const std::size_t fit = inner.out_of_gas_chunks ? inner.calls_per_chunk_that_fit : halves.max_calls_per_chunk;
                    count.calls_per_chunk_that_fit = count.calls_per_chunk_that_fit ? std::min(count.calls_per_chunk_that_fit, fit) : fit;
                    std::move(again->begin(), again->end(), results.begin() + static_cast<std::ptrdiff_t>(chunk.first));
                    continue;
                }
                Error error = as_revert(answer.error());
                error.context = "multicall of " + std::to_string(m_calls.size()) + " reads: " + error.context;
                return std::unexpected(error);
            }
            auto decoded = decode_chunk(*answer, chunk.count + extra);
            if (!decoded) return std::unexpected(decoded.error());
            if (extra && head && moved && !ran_on(std::span<const ReadResult>(decoded->data() + chunk.count, extra), *head)) *moved = true;
            std::move(decoded->begin(), decoded->begin() + static_cast<std::ptrdiff_t>(chunk.count),
                      results.begin() + static_cast<std::ptrdiff_t>(chunk.first));
        }
    }
    return results;
}

std::vector<std::string> PreparedReads::chunk_params(const BlockTag& block) const
{
    std::vector<std::string> params;
    params.reserve(m_chunks.size());
    for (const auto& chunk : m_chunks) params.push_back(params_of(chunk.params_head, block));
    return params;
}

Result<std::vector<ReadResult>> multicall(RpcClient& client, const std::vector<ReadCall>& calls, const BlockTag& block,
                                          const MulticallOptions& options, MulticallStats* stats)
{
    return PreparedReads(calls, options).run(client, block, stats);
}

Result<PinnedReads> read_at_head(RpcClient& client, const PreparedReads& reads, MulticallStats* stats)
{
    return reads.run_at_head(client, stats);
}

Result<PinnedReads> read_at_head(RpcClient& client, const std::vector<ReadCall>& calls, const MulticallOptions& options,
                                 MulticallStats* stats)
{
    return read_at_head(client, PreparedReads(calls, options), stats);
}

}  // namespace nftterm::protocols::eth
