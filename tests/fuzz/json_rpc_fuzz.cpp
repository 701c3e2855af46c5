// libFuzzer target: every byte a node sends. A single answer and a batch
// answer must never crash, overflow the stack (nesting) or read out of
// bounds; a batch accepted has exactly one answer per call.
#include <protocols/eth/rpc/json_rpc.hpp>

#include <cstdlib>
#include <string_view>

using namespace nftterm::protocols;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 1) return 0;
    // The first byte picks how many calls the batch asked (1-8), ids from 7.
    const std::size_t calls = 1 + data[0] % 8;
    const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
    (void)eth::parse_response(body, 7);
    auto batch = eth::parse_batch_response(body, 7, calls);
    if (batch && batch->size() != calls) std::abort();
    (void)eth::nesting_within(body, eth::kMaxAnswerNesting);
    return 0;
}
