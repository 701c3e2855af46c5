#pragma once

namespace nftterm::cli {

/// `nftterm-cli alerts`: the headless watcher (runs until SIGINT/SIGTERM).
int run_alerts_command(int argc, char** argv);

}  // namespace nftterm::cli
