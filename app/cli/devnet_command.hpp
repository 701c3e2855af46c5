#pragma once

namespace nftterm::cli {

/// `nftterm-cli devnet up|down`: the local devnet with the demo world.
int run_devnet_command(int argc, char** argv);

}  // namespace nftterm::cli
