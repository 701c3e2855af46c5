#pragma once

#include <protocols/eth/rpc/eth_api.hpp>

#include <cstddef>
#include <optional>
#include <vector>

namespace nftterm::protocols::eth {

/// Multicall3 is at this address on mainnet and 250+ other chains (and on the devnet).
wallet::Address multicall3_address();

/// One read: calldata for `target`. With `allow_failure` a failing call
/// comes back as success = false; without it the whole batch fails.
struct ReadCall {
    wallet::Address target;
    wallet::Bytes call_data;
    bool allow_failure = true;
};

struct ReadResult {
    bool success = false;
    wallet::Bytes return_data;
};

struct MulticallOptions {
    std::optional<wallet::Address> multicall;
    /// A chunk (one aggregate3 eth_call) holds at most this many calls …
    std::size_t max_calls_per_chunk = 2000;
    /// … and at most this many bytes of calldata.
    std::size_t max_calldata_bytes = 512 * 1024;
    /// One HTTP request carries chunks up to this many bytes of JSON; more
    /// go out as further requests, all at once (anvil refuses bodies over
    /// 2 MiB; geth's limit is 5 MiB).
    std::size_t max_request_bytes = 1900 * 1000;
    /// Gas for each chunk's eth_call (unset: the node's cap). A chunk that
    /// runs out is halved and asked again.
    std::optional<std::uint64_t> gas_per_chunk;
    /// Each chunk also reads Multicall3's block number, timestamp and parent
    /// hash, so that PreparedReads::run_at_head can send the head request and
    /// the reads together (at "latest") and still know they saw one block.
    bool block_identity = false;
};

/// What a read cost, for benchmarks and logs.
struct MulticallStats {
    std::size_t chunks = 0;
    std::size_t http_requests = 0;
    /// Chunks that ran out of the node's call gas and were asked again in halves.
    std::size_t out_of_gas_chunks = 0;
    /// After such a split: the most calls a chunk held that came back whole
    /// within the gas (0: nothing was split). A caller that prepares the same
    /// reads again can use it as max_calls_per_chunk and save the round trip.
    std::size_t calls_per_chunk_that_fit = 0;
    /// Reads sent with the head that saw another block (one landed between):
    /// they went again, pinned to the newest head.
    std::size_t head_moved = 0;
};

/// Every read of one refresh, seen at one block.
struct PinnedReads {
    BlockHeader block;
    std::vector<ReadResult> results;
};

/// A read plan encoded once and run at many blocks: the calls cut into
/// aggregate3 chunks, each chunk's eth_call parameters written out, so a
/// refresh only adds the block and sends. Immutable; run() is thread-safe.
class PreparedReads {
public:
    PreparedReads() = default;
    explicit PreparedReads(std::vector<ReadCall> calls, MulticallOptions options = {});

    const std::vector<ReadCall>& calls() const { return m_calls; }
    const MulticallOptions& options() const { return m_options; }
    std::size_t size() const { return m_calls.size(); }
    /// Each chunk's eth_call params at `block`, exactly as run() sends them
    /// (for benchmarks that send the same payload raw).
    std::vector<std::string> chunk_params(const BlockTag& block) const;
    /// Every call at `block`; results in the order of calls().
    Result<std::vector<ReadResult>> run(RpcClient& client, const BlockTag& block, MulticallStats* stats = nullptr) const;
    /// Every call at the head block, and that block. With block_identity one
    /// round trip: the head request goes with the reads, which run at
    /// "latest" and say which block they saw; if a block landed between, all
    /// go again pinned to the newest head's hash. Without it two: the head,
    /// then the reads pinned to its hash (EIP-1898).
    Result<PinnedReads> run_at_head(RpcClient& client, MulticallStats* stats = nullptr) const;

private:
    /// run(); with `head`, the head request leads the first batch and is read
    /// into it, and `moved` says whether a chunk saw another block.
    Result<std::vector<ReadResult>> execute(RpcClient& client, const BlockTag& block, MulticallStats& count, BlockHeader* head,
                                            bool* moved = nullptr) const;

    struct Chunk {
        std::size_t first = 0;
        std::size_t count = 0;
        /// "[{…eth_call object…}," — the block tag and "]" follow.
        std::string params_head;
    };
    std::vector<ReadCall> m_calls;
    MulticallOptions m_options;
    std::vector<Chunk> m_chunks;
};

/// Runs every call through Multicall3 aggregate3 at `block`. All chunks go
/// out as one JSON-RPC batch, so a refresh is one HTTP request however many
/// positions it reads. Results come back in the order of `calls`.
Result<std::vector<ReadResult>> multicall(RpcClient& client, const std::vector<ReadCall>& calls, const BlockTag& block,
                                          const MulticallOptions& options = {}, MulticallStats* stats = nullptr);

/// Takes the head, then reads at exactly that block (by hash, EIP-1898): a
/// reorg between the two cannot mix states; it fails instead, and the next
/// refresh reads the new head.
Result<PinnedReads> read_at_head(RpcClient& client, const std::vector<ReadCall>& calls, const MulticallOptions& options = {},
                                 MulticallStats* stats = nullptr);
Result<PinnedReads> read_at_head(RpcClient& client, const PreparedReads& reads, MulticallStats* stats = nullptr);

/// aggregate3's answer, ((bool,bytes)[]), read straight into results:
/// offsets and lengths are checked against the data; `expected` results.
Result<std::vector<ReadResult>> decode_aggregate3_results(wallet::ByteView data, std::size_t expected);

}  // namespace nftterm::protocols::eth
