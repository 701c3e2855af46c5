#pragma once

namespace nftterm::cli {

/// nftterm-cli book: the merged depth of every pool of a collection.
int run_book_command(int argc, char** argv);

}  // namespace nftterm::cli
