#pragma once

namespace nftterm::cli {

/// `nftterm-cli wallet …`: prints JSON on stdout, one line of error on
/// stderr, and returns the process exit code.
int run_wallet_command(int argc, char** argv);

}  // namespace nftterm::cli
