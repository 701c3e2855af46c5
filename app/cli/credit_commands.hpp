#pragma once

namespace nftterm::cli {

/// nftterm-cli borrow: a pool loan (BendDAO) against an NFT, or more on its loan.
int run_borrow_command(int argc, char** argv);
/// nftterm-cli lend deposit|withdraw: WETH supplied to the lending pool.
int run_lend_command(int argc, char** argv);
/// nftterm-cli auction bid|liquidate: a bidder's side of a pool loan below health 1.
int run_auction_command(int argc, char** argv);
/// nftterm-cli long: a down-payment long (buy now, pay later) in one transaction.
int run_long_command(int argc, char** argv);

}  // namespace nftterm::cli
