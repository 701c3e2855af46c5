// Signing, hashing and keystore figures. Run: build/tests/bench/wallet_bench
#include <wallet/crypto/hashes.hpp>
#include <wallet/keys/keystore.hpp>
#include <wallet/signer/signer.hpp>
#include <wallet/tx/transaction.hpp>

#include <benchmark/benchmark.h>

using namespace nftterm::wallet;

namespace {

PrivateKey dev_key()
{
    return std::move(*PrivateKey::from_bytes(*bytes_from_hex("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80")));
}

Transaction sample_tx()
{
    Transaction tx;
    tx.chain_id = ChainId{1};
    tx.nonce = 42;
    tx.gas_limit = 120000;
    tx.max_fee_per_gas = U256(30000000000ULL);
    tx.max_priority_fee_per_gas = U256(1000000000);
    tx.to = *Address::parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    tx.data = Bytes(68, 0xab);
    return tx;
}

void SignTransaction(benchmark::State& state)
{
    auto signer = make_software_signer(dev_key());
    const Transaction tx = sample_tx();
    for (auto _ : state) benchmark::DoNotOptimize(signer->sign_transaction(tx, {}));
    state.counters["signatures/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(SignTransaction);

void DecodeAndRecover(benchmark::State& state)
{
    const auto signed_tx = sign_transaction(sample_tx(), dev_key());
    for (auto _ : state) benchmark::DoNotOptimize(decode_signed_transaction(signed_tx->raw));
}
BENCHMARK(DecodeAndRecover);

void Keccak(benchmark::State& state)
{
    const Bytes data(static_cast<std::size_t>(state.range(0)), 0x5a);
    for (auto _ : state) benchmark::DoNotOptimize(keccak256(data));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(Keccak)->Arg(64)->Arg(1 << 20);

void KeystoreDecrypt(benchmark::State& state)
{
    const auto params = state.range(0) ? keystore::ScryptParams::standard() : keystore::ScryptParams::light();
    const auto text = keystore::encrypt(dev_key(), as_view("password"), params);
    for (auto _ : state) benchmark::DoNotOptimize(keystore::decrypt(*text, as_view("password")));
}
BENCHMARK(KeystoreDecrypt)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
