#pragma once

namespace nftterm::cli {

/// nftterm-cli borrow: a pool loan (BendDAO) against an NFT, or more on its loan.
int run_borrow_command(int argc, char** argv);

}  // namespace nftterm::cli
