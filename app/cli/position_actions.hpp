#pragma once

namespace nftterm::cli {

/// `nftterm-cli topup`: plan, show, sign, send and verify a top-up.
int run_topup_command(int argc, char** argv);
/// `nftterm-cli repay`: the same for repaying a loan in full.
int run_repay_command(int argc, char** argv);
/// `nftterm-cli close`: the same for closing a perp position.
int run_close_command(int argc, char** argv);
/// `nftterm-cli remove-margin`: the same for taking margin out of a perp.
int run_remove_margin_command(int argc, char** argv);
/// `nftterm-cli redeem`: the same for redeeming a pool loan in auction.
int run_redeem_command(int argc, char** argv);

}  // namespace nftterm::cli
