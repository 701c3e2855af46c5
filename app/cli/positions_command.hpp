#pragma once

namespace nftterm::cli {

/// `nftterm-cli positions` and `nftterm-cli watch`: the accounts' positions
/// with their health figures, once or once per block.
int run_positions_command(int argc, char** argv);
int run_watch_command(int argc, char** argv);
int run_stress_command(int argc, char** argv);

}  // namespace nftterm::cli
