#include "devnet_simulate.hpp"

#include <protocols/devnet/market_simulator.hpp>
#include <wallet/accounts/atomic_file.hpp>

#include <atomic>
#include <charconv>
#include <chrono>
#include <csignal>
#include <iostream>
#include <thread>

namespace nftterm::cli {
namespace {

using namespace nftterm::protocols;

std::atomic<bool> g_stop{false};

void request_stop(int)
{
    g_stop = true;
}

std::optional<std::uint64_t> whole_number(const std::optional<std::string>& text, std::uint64_t fallback)
{
    if (!text) return fallback;
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (error != std::errc() || end != text->data() + text->size()) return std::nullopt;
    return value;
}

/// A node that fails this many steps in a row is gone: stop instead of spinning.
constexpr int kFailedStepsToGiveUp = 5;

}  // namespace

int run_devnet_simulate(const Arguments& args, const std::filesystem::path& state_dir)
{
    // --seconds 0 (the default) runs until interrupted; --steps N runs N steps back to back.
    const auto seconds = whole_number(args.value("seconds"), 0);
    const auto seed = whole_number(args.value("seed"), 1);
    const auto steps = whole_number(args.value("steps"), 0);
    const auto interval_ms = whole_number(args.value("interval-ms"), 1000);
    const auto step_seconds = whole_number(args.value("step-seconds"), 0);
    if (!seconds || !seed || !steps || !interval_ms || !step_seconds) {
        std::cerr << "nftterm-cli: devnet simulate: --seconds, --seed, --steps, --interval-ms and --step-seconds take whole numbers\n";
        return 2;
    }
    if (*interval_ms == 0 && *step_seconds == 0) {
        std::cerr << "nftterm-cli: devnet simulate: a step must last some time: give --interval-ms or --step-seconds over 0\n";
        return 2;
    }
    const auto manifest_path = state_dir / "manifest.json";
    auto text = wallet::read_small_file(manifest_path);
    if (!text) {
        std::cerr << "nftterm-cli: devnet simulate: no devnet manifest at " << manifest_path.string() << " (run: nftterm-cli devnet up)\n";
        return 1;
    }
    auto manifest = devnet::manifest_from_json(*text);
    if (!manifest) {
        std::cerr << "nftterm-cli: devnet simulate: " << manifest.error().message() << "\n";
        return 1;
    }
    eth::RpcClientOptions options;
    options.urls = {args.value("rpc-url").value_or(manifest->rpc_url)};
    options.chain_id = manifest->chain_id;
    eth::RpcClient client(options);
    devnet::SimulatorOptions market;
    market.seed = *seed;
    // Live, a step lasts the interval on the node's clock; with --step-seconds the chain's clock is moved.
    market.step_seconds = *step_seconds > 0 ? static_cast<double>(*step_seconds) : static_cast<double>(*interval_ms) / 1000.0;
    market.warp_clock = *step_seconds > 0;
    market.traders = !args.has("no-traders");
    auto simulator = devnet::MarketSimulator::create(client, std::move(*manifest), market, state_dir / "simulator-transactions.jsonl");
    if (!simulator) {
        std::cerr << "nftterm-cli: devnet simulate: " << simulator.error().message() << "\n";
        return 1;
    }

    std::signal(SIGINT, request_stop);
    std::signal(SIGTERM, request_stop);
    const auto started = std::chrono::steady_clock::now();
    const auto deadline = started + std::chrono::seconds(*seconds);
    auto next_tick = started;
    int failed_in_a_row = 0;
    for (std::uint64_t done = 0; !g_stop; ++done) {
        if (*steps > 0 && done >= *steps) break;
        if (*steps == 0 && *seconds > 0 && std::chrono::steady_clock::now() >= deadline) break;
        auto report = (*simulator)->step();
        if (!report) {
            std::cerr << "nftterm-cli: devnet simulate: " << report.error().message() << "\n";
            if (++failed_in_a_row >= kFailedStepsToGiveUp) return 1;
        } else {
            failed_in_a_row = 0;
            std::cout << devnet::step_report_to_json(*report) << std::endl;
        }
        if (*steps > 0) continue;
        next_tick += std::chrono::milliseconds(*interval_ms);
        while (!g_stop && std::chrono::steady_clock::now() < next_tick) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return 0;
}

}  // namespace nftterm::cli
