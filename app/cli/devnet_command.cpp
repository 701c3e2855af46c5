#include "devnet_command.hpp"

#include "arguments.hpp"
#include "devnet_simulate.hpp"

#include <protocols/devnet/anvil_process.hpp>
#include <protocols/devnet/demo_world.hpp>
#include <protocols/eth/rpc/eth_api.hpp>
#include <wallet/accounts/account_store.hpp>
#include <wallet/accounts/atomic_file.hpp>

#include <charconv>
#include <chrono>
#include <cstdlib>
#include <iostream>

namespace nftterm::cli {
namespace {

using namespace nftterm::protocols;

constexpr const char* kUsage = R"(usage: nftterm-cli devnet COMMAND [options]

  up     [--port P] [--state-dir D] [--seed S]
         start anvil on 127.0.0.1:P (default 8545) or reuse the devnet already
         there, deploy the project's contracts, seed the demo world, write
         D/manifest.json and print it
  simulate [--seconds N] [--seed S] [--state-dir D] [--steps N] [--interval-ms M]
           [--step-seconds T] [--no-traders]
         a live market on the devnet: every step (1 s) moves each collection's
         floor (a seeded walk around its seeded floor, with jumps) and pushes
         it to the oracle, arbitrages the AMM pools around it, trades the
         perps' mark to the index, settles funding, lets the keeper liquidate,
         and lets the demo traders open, top up and repay positions so that
         every family keeps safe, warning and critical rows (--no-traders: the
         market and the keeper only); prints a JSON line per step with the
         traders' book by risk band. Runs N seconds (0, the default: until
         interrupted) or exactly --steps steps back to back; --step-seconds T
         makes each step T simulated seconds and moves the chain's clock with
         it (a day at T = 60 is --steps 1440)
  down   [--state-dir D]   stop the anvil that `up` started

D defaults to DATA_DIR/devnet. The anvil binary and the compiled contracts
come from NFTTERM_ANVIL and NFTTERM_CONTRACTS if set, else the build tree
(for the build tree's own nftterm-cli), else PREFIX/share/nftterm next to
an installed nftterm-cli, else PATH.
)";

/// The first of: the environment override, the build tree's copy (only for
/// the binary the build tree holds: an installed one never reads it), the
/// installed copy next to the binary (PREFIX/bin → PREFIX/share/nftterm), or
/// a bare name for PATH.
std::string locate(const char* variable, const char* build_tree, const std::filesystem::path& installed)
{
    if (const char* value = std::getenv(variable); value && *value) return value;
    std::error_code ignored;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ignored);
    const std::string self_text = self.string();
    const std::string_view build_dir = NFTTERM_BUILD_DIR;
    const bool in_build_tree = self_text.size() > build_dir.size() && std::string_view(self_text).substr(0, build_dir.size()) == build_dir &&
                               self_text[build_dir.size()] == '/';
    if (in_build_tree && std::filesystem::exists(build_tree, ignored)) return build_tree;
    if (!self.empty()) {
        const auto candidate = self.parent_path().parent_path() / installed;
        if (std::filesystem::exists(candidate, ignored)) return candidate.string();
    }
    return installed.filename().string();
}

int report(const std::string& message)
{
    std::cerr << "nftterm-cli: devnet: " << message << "\n";
    return 1;
}

std::optional<std::uint64_t> number(const std::string& text)
{
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

int up(const Arguments& args, const std::filesystem::path& state_dir)
{
    const auto port = number(args.value("port").value_or("8545"));
    const auto seed = number(args.value("seed").value_or("1"));
    if (!port || *port == 0 || *port > 65535 || !seed) {
        std::cerr << "nftterm-cli: devnet up: --port is 1-65535 and --seed a whole number\n";
        return 2;
    }
    const auto started_at = std::chrono::steady_clock::now();
    auto anvil = devnet::start_anvil(locate("NFTTERM_ANVIL", NFTTERM_DEFAULT_ANVIL, "share/nftterm/anvil"), static_cast<int>(*port), state_dir);
    if (!anvil) return report(anvil.error().message());
    eth::RpcClientOptions options;
    options.urls = {anvil->url};
    eth::RpcClient client(options);

    const auto manifest_path = state_dir / "manifest.json";
    if (!anvil->started) {
        // Idempotent: a running devnet whose contracts are still there is reused as it is.
        if (auto text = wallet::read_small_file(manifest_path)) {
            auto manifest = devnet::manifest_from_json(*text);
            if (!manifest) std::cerr << "nftterm-cli: redeploying: " << manifest.error().message() << "\n";
            if (manifest && manifest->contracts.contains("NFTfiDirectLoanFixedOffer")) {
                auto code = eth::get_code(client, manifest->contracts.at("NFTfiDirectLoanFixedOffer"), eth::BlockTag::latest());
                if (code && !code->empty()) {
                    std::cout << *text;
                    return 0;
                }
            }
        }
    }
    auto contracts = wallet::read_small_file(locate("NFTTERM_CONTRACTS", NFTTERM_DEFAULT_CONTRACTS, "share/nftterm/nftterm_contracts.json"), 64 << 20);
    if (!contracts) return report("cannot read the compiled contracts: " + contracts.error().message());
    auto manifest = devnet::deploy_demo_world(client, *contracts, *seed, state_dir / "devnet-transactions.jsonl");
    if (!manifest) return report(manifest.error().message());
    manifest->rpc_url = anvil->url;
    const std::string text = devnet::manifest_to_json(*manifest);
    if (auto written = wallet::write_file_atomically(manifest_path, text + "\n", 0644); !written) return report(written.error().message());
    std::cout << text << "\n";
    const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_at).count();
    std::cerr << "nftterm-cli: devnet up in " << seconds << " s at " << anvil->url << " (manifest: " << manifest_path.string() << ")\n";
    return 0;
}

}  // namespace

int run_devnet_command(int argc, char** argv)
{
    const Arguments args(argc, argv, {"help", "no-traders"});
    if (auto stop = args.stop_for_help_or_error(kUsage)) return *stop;
    if (auto unknown = args.unknown({"port", "state-dir", "seed", "seconds", "steps", "interval-ms", "rpc-url", "step-seconds", "no-traders"}); !unknown.empty()) {
        std::cerr << "nftterm-cli: devnet does not take " << unknown.front() << "\n";
        return 2;
    }
    const std::filesystem::path state_dir = args.value("state-dir").value_or((wallet::AccountStore::default_folder() / "devnet").string());
    const std::string& command = args.positionals()[1];
    if (command == "up") return up(args, state_dir);
    if (command == "simulate") return run_devnet_simulate(args, state_dir);
    if (command == "down") {
        auto stopped = devnet::stop_anvil(state_dir);
        if (!stopped) return report(stopped.error().message());
        std::cout << (*stopped ? "{\"stopped\": " + std::to_string(**stopped) + "}" : std::string("{\"stopped\": null}")) << "\n";
        return 0;
    }
    std::cerr << "nftterm-cli: unknown devnet command '" << command << "' (see: nftterm-cli devnet --help)\n";
    return 2;
}

}  // namespace nftterm::cli
