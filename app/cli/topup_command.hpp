#pragma once

namespace nftterm::cli {

/// `nftterm-cli topup`: plan, show, sign, send and verify a top-up.
int run_topup_command(int argc, char** argv);

}  // namespace nftterm::cli
