#pragma once

namespace nftterm::cli {

/// `nftterm-cli send`: simulate, estimate, sign, send and (--wait) wait.
int run_send_command(int argc, char** argv);

}  // namespace nftterm::cli
