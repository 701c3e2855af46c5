// Wall time of one refresh: a Multicall3 batch of 1,000 reads against a real
// anvil started here (one HTTP request, pinned to the head block).
#include "../support/anvil_node.hpp"
#include "../support/devnet_contracts.hpp"

#include <protocols/eth/multicall.hpp>

#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>

using namespace nftterm;
using namespace nftterm::protocols;

namespace {

struct Devnet {
    std::unique_ptr<tests::AnvilNode> node;
    std::unique_ptr<eth::RpcClient> client;
    std::vector<eth::ReadCall> calls;
};

Devnet& devnet()
{
    static Devnet world = [] {
        Devnet d;
        d.node = std::make_unique<tests::AnvilNode>();
        if (!d.node->running()) {
            std::fprintf(stderr, "anvil: %s\n", d.node->error().c_str());
            std::exit(1);
        }
        eth::RpcClientOptions options;
        options.urls = {d.node->url()};
        d.client = std::make_unique<eth::RpcClient>(options);
        auto probe = tests::load_contract("test_contracts.json", "Probe.sol", "Probe");
        auto address = probe ? tests::deploy(*d.client, tests::dev_key(tests::kDevKey0), probe->bytecode)
                             : Result<wallet::Address>(std::unexpected(probe.error()));
        if (!address || !tests::install_multicall3(*d.client)) {
            std::fprintf(stderr, "cannot set up the devnet: %s\n", address ? "multicall3" : address.error().message().c_str());
            std::exit(1);
        }
        for (int i = 0; i < 1000; ++i)
            d.calls.push_back({*address, tests::calldata("valueTimesTwo(uint256)", "[" + std::to_string(i) + "]"), true});
        return d;
    }();
    return world;
}

void MulticallOf1000ReadsAtHead(benchmark::State& state)
{
    auto& d = devnet();
    for (auto _ : state) {
        auto reads = eth::read_at_head(*d.client, d.calls);
        if (!reads) state.SkipWithError(reads.error().message().c_str());
        benchmark::DoNotOptimize(reads);
    }
    state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(MulticallOf1000ReadsAtHead)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
