#pragma once

namespace nftterm::cli {

/// nftterm-cli offer list|accept|create|extend|renegotiate: NFTfi-style P2P offers, as borrower or lender.
int run_offer_command(int argc, char** argv);
/// nftterm-cli foreclose: a lender takes the NFT of an overdue P2P loan.
int run_foreclose_command(int argc, char** argv);

}  // namespace nftterm::cli
