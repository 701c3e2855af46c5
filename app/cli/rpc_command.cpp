#include "rpc_command.hpp"

#include "node_options.hpp"

#include <nlohmann/json.hpp>

#include <iostream>

namespace nftterm::cli {
namespace {

const std::string kUsage = std::string(R"(usage: nftterm-cli rpc [node options] METHOD [PARAMS_JSON]

Sends one JSON-RPC request and prints its result as JSON. PARAMS_JSON is a
JSON array (default []), e.g.
  nftterm-cli rpc --rpc-url http://127.0.0.1:8545 eth_getBalance '["0xf39F…","latest"]'

)") + kNodeOptionsUsage;

}  // namespace

int run_rpc_command(int argc, char** argv)
{
    const Arguments args(argc, argv, {"help"});
    if (auto stop = args.stop_for_help_or_error(kUsage.c_str())) return *stop;
    if (auto unknown = args.unknown(kNodeOptions); !unknown.empty()) {
        std::cerr << "nftterm-cli: rpc does not take " << unknown.front() << "\n";
        return 2;
    }
    const auto& words = args.positionals();
    if (words.size() > 3) {
        std::cerr << "nftterm-cli: rpc takes METHOD and one PARAMS_JSON (quote the JSON)\n";
        return 2;
    }
    auto options = node_options(args);
    if (!options) {
        std::cerr << "nftterm-cli: " << options.error().message() << "\n";
        return 2;
    }
    protocols::eth::RpcClient client(std::move(*options));
    auto result = client.call(words[1], words.size() == 3 ? words[2] : "[]");
    if (!result) {
        std::cerr << "nftterm-cli: " << result.error().message() << "\n";
        return 1;
    }
    std::cout << nlohmann::json::parse(*result).dump(2) << "\n";
    return 0;
}

}  // namespace nftterm::cli
