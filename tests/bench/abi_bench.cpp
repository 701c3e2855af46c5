// ABI codec throughput. Run: build/tests/bench/abi_bench
#include <protocols/eth/abi/abi_value.hpp>

#include <benchmark/benchmark.h>

using namespace nftterm::protocols::abi;
using nftterm::wallet::Bytes;
using nftterm::wallet::U256;

namespace {

/// What Multicall3.aggregate3 returns for `n` reads of one uint256 each:
/// (bool success, bytes returnData)[].
std::pair<std::vector<Type>, Bytes> aggregate3_result(std::size_t n)
{
    auto types = *parse_type_list("((bool,bytes)[])");
    Value::List results;
    for (std::size_t i = 0; i < n; ++i) {
        const auto word = U256(i * 1000003).to_be();
        results.push_back(Value{Value::List{Value{true}, Value{Bytes(word.begin(), word.end())}}});
    }
    auto encoded = encode(types, {Value{std::move(results)}});
    return {types, *encoded};
}

void DecodeAggregate3(benchmark::State& state)
{
    const auto [types, data] = aggregate3_result(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) benchmark::DoNotOptimize(decode(types, data));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * data.size()));
}
BENCHMARK(DecodeAggregate3)->Arg(1000);

void EncodeAggregate3(benchmark::State& state)
{
    const auto [types, data] = aggregate3_result(static_cast<std::size_t>(state.range(0)));
    const auto values = *decode(types, data);
    for (auto _ : state) benchmark::DoNotOptimize(encode(types, values));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * data.size()));
}
BENCHMARK(EncodeAggregate3)->Arg(1000);

}  // namespace

BENCHMARK_MAIN();
