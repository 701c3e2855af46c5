#pragma once

namespace nftterm::cli {

/// `nftterm-cli tx list|status|speed-up|cancel`: the transaction journal.
int run_tx_command(int argc, char** argv);

}  // namespace nftterm::cli
