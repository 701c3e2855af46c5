// Planning a routed buy: 20 NFTs across 50 pools of the three curves, the
// work `nftterm-cli buy` does between reading the pools and showing the plan
// (no node: the pools are made up, with sudoswap's own parameter ranges).
#include <protocols/actions/amm_trade.hpp>

#include <benchmark/benchmark.h>

#include <random>

using namespace nftterm::protocols;
using nftterm::wallet::Address;
using nftterm::wallet::U256;

namespace {

pricing::CollectionPools made_up_pools(std::size_t count)
{
    std::mt19937_64 random(42);
    pricing::CollectionPools pools;
    pools.protocol_fee_multiplier = U256(5'000'000'000'000'000ULL);  // 0.5 %
    for (std::size_t i = 0; i < count; ++i) {
        pricing::PoolState pool;
        pool.pair.bytes[19] = static_cast<std::uint8_t>(i + 1);
        pool.type = pricing::PoolType::Trade;
        const auto curve = i % 3;
        pool.curve = curve == 0 ? positions::Curve::Linear : curve == 1 ? positions::Curve::Exponential : positions::Curve::Xyk;
        pool.spot_price = U256(25'000 + random() % 5'000) * U256(1'000'000'000'000'000ULL);  // 25 to 30 ETH
        pool.delta = curve == 0   ? U256(100'000'000'000'000'000ULL + random() % 500'000'000'000'000'000ULL)
                     : curve == 1 ? U256(1'010'000'000'000'000'000ULL + random() % 40'000'000'000'000'000ULL)
                                  : U256(20 + random() % 10);
        pool.fee = U256(10'000'000'000'000'000ULL);  // 1 %
        pool.nft_count = 1 + random() % 8;
        pool.eth_balance = U256(500) * U256(1'000'000'000'000'000'000ULL);
        pools.pools.push_back(pool);
    }
    return pools;
}

void plan_a_routed_buy(benchmark::State& state)
{
    const auto pools = made_up_pools(static_cast<std::size_t>(state.range(1)));
    Address buyer;
    buyer.bytes[0] = 0xb0;
    for (auto _ : state) {
        auto plan = actions::plan_buy(pools, static_cast<std::uint64_t>(state.range(0)), std::nullopt, buyer);
        benchmark::DoNotOptimize(plan);
        if (!plan) state.SkipWithError(plan.error().message().c_str());
    }
}
BENCHMARK(plan_a_routed_buy)->Args({20, 50})->Args({100, 200})->Unit(benchmark::kMicrosecond);

void build_the_book(benchmark::State& state)
{
    const auto pools = made_up_pools(50);
    for (auto _ : state) benchmark::DoNotOptimize(pricing::build_book(pools, 20));
}
BENCHMARK(build_the_book)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
