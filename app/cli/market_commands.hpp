#pragma once

namespace nftterm::cli {

/// nftterm-cli book: the merged depth of every pool of a collection.
int run_book_command(int argc, char** argv);
/// nftterm-cli buy: a routed market buy across the collection's pools.
int run_buy_command(int argc, char** argv);
/// nftterm-cli sell: NFTs sold into the best bids across the pools.
int run_sell_command(int argc, char** argv);
/// nftterm-cli pool create|deposit|withdraw|reprice: liquidity in a pool of your own.
int run_pool_command(int argc, char** argv);
/// nftterm-cli perp open: open, increase or reduce a perp position.
int run_perp_command(int argc, char** argv);

}  // namespace nftterm::cli
