#pragma once

namespace nftterm::cli {

/// `nftterm-cli abi encode|decode|decode-calldata`.
int run_abi_command(int argc, char** argv);

}  // namespace nftterm::cli
