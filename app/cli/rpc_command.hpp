#pragma once

namespace nftterm::cli {

/// `nftterm-cli rpc METHOD [PARAMS_JSON]`: one raw JSON-RPC call, result on stdout.
int run_rpc_command(int argc, char** argv);

}  // namespace nftterm::cli
