#include "abi_commands.hpp"
#include "alerts_command.hpp"
#include "credit_commands.hpp"
#include "p2p_commands.hpp"
#include "devnet_command.hpp"
#include "market_commands.hpp"
#include "position_actions.hpp"
#include "positions_command.hpp"
#include "rpc_command.hpp"
#include "send_command.hpp"
#include "tx_commands.hpp"
#include "wallet_commands.hpp"

#include <curl/curl.h>

#include <iostream>
#include <string_view>

namespace {

constexpr const char* kUsage = R"(usage: nftterm-cli COMMAND …

  wallet   keys, accounts and signatures (nftterm-cli wallet --help)
  abi      encode and decode calldata and return data (nftterm-cli abi --help)
  rpc      one raw JSON-RPC call to a node (nftterm-cli rpc --help)
  send     simulate, sign, send and track a transaction (nftterm-cli send --help)
  devnet   the local devnet with the demo world: up, down (nftterm-cli devnet --help)
  positions  every position of some accounts with its health (nftterm-cli positions --help)
  watch    the same, a line per block
  stress   portfolio totals and the -10/-25/-50 % stress table (nftterm-cli stress --help)
  topup    restore a position to a target health, signed by your key (nftterm-cli topup --help)
  repay    repay a loan in full and get the NFT back (nftterm-cli repay --help)
  close    close a perp position within a slippage limit (nftterm-cli close --help)
  remove-margin  take margin out of a perp down to a margin ratio (nftterm-cli remove-margin --help)
  alerts   watch positions headless and raise alerts (nftterm-cli alerts --help)
  book     the merged depth of a collection's pools (nftterm-cli book --help)
  buy      buy NFTs routed across the pools, cheapest first (nftterm-cli buy --help)
  sell     sell NFTs into the best bids across the pools (nftterm-cli sell --help)
  pool     create a pool of your own, deposit, withdraw, reprice (nftterm-cli pool --help)
  perp     open, increase or reduce a perp position (nftterm-cli perp --help)
  borrow   borrow WETH against an NFT from the lending pool (nftterm-cli borrow --help)
  redeem   redeem a pool loan in auction within its redeem window (nftterm-cli redeem --help)
  lend     deposit WETH into the lending pool or withdraw it (nftterm-cli lend --help)
  long     buy an NFT with a down payment, the rest borrowed against it (nftterm-cli long --help)
  offer    P2P loan offers: list, accept as a borrower, create as a lender (nftterm-cli offer --help)
  foreclose  take the NFT of an overdue P2P loan as its lender (nftterm-cli foreclose --help)
  auction  bid on a pool loan below health 1, or liquidate it after the auction (nftterm-cli auction --help)
  tx       the transaction journal: list, status, speed-up, cancel (nftterm-cli tx --help)
  version  print the version
)";

int dispatch(int argc, char** argv)
{
    const std::string_view command = argc > 1 ? argv[1] : "";
    if (command == "wallet") return nftterm::cli::run_wallet_command(argc, argv);
    if (command == "abi") return nftterm::cli::run_abi_command(argc, argv);
    // libcurl is set up once, before any thread starts (curl_easy_init(3)).
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (command == "rpc") return nftterm::cli::run_rpc_command(argc, argv);
    if (command == "send") return nftterm::cli::run_send_command(argc, argv);
    if (command == "tx") return nftterm::cli::run_tx_command(argc, argv);
    if (command == "devnet") return nftterm::cli::run_devnet_command(argc, argv);
    if (command == "positions") return nftterm::cli::run_positions_command(argc, argv);
    if (command == "watch") return nftterm::cli::run_watch_command(argc, argv);
    if (command == "alerts") return nftterm::cli::run_alerts_command(argc, argv);
    if (command == "book") return nftterm::cli::run_book_command(argc, argv);
    if (command == "buy") return nftterm::cli::run_buy_command(argc, argv);
    if (command == "sell") return nftterm::cli::run_sell_command(argc, argv);
    if (command == "pool") return nftterm::cli::run_pool_command(argc, argv);
    if (command == "perp") return nftterm::cli::run_perp_command(argc, argv);
    if (command == "borrow") return nftterm::cli::run_borrow_command(argc, argv);
    if (command == "lend") return nftterm::cli::run_lend_command(argc, argv);
    if (command == "long") return nftterm::cli::run_long_command(argc, argv);
    if (command == "offer") return nftterm::cli::run_offer_command(argc, argv);
    if (command == "foreclose") return nftterm::cli::run_foreclose_command(argc, argv);
    if (command == "auction") return nftterm::cli::run_auction_command(argc, argv);
    if (command == "redeem") return nftterm::cli::run_redeem_command(argc, argv);
    if (command == "stress") return nftterm::cli::run_stress_command(argc, argv);
    if (command == "topup") return nftterm::cli::run_topup_command(argc, argv);
    if (command == "repay") return nftterm::cli::run_repay_command(argc, argv);
    if (command == "close") return nftterm::cli::run_close_command(argc, argv);
    if (command == "remove-margin") return nftterm::cli::run_remove_margin_command(argc, argv);
    if (command == "version" || command == "--version") {
        std::cout << "nftterm-cli " << NFTTERM_VERSION << "\n";
        return 0;
    }
    if (command == "--help" || command == "help") {
        std::cout << kUsage;
        return 0;
    }
    std::cerr << (command.empty() ? std::string("nftterm-cli: no command") : "nftterm-cli: unknown command '" + std::string(command) + "'")
              << "\n" << kUsage;
    return 2;
}

}  // namespace

int main(int argc, char** argv)
{
    // A bug (a checked overflow, a JSON type error) ends the command with words and a code, not an abort;
    // anything already signed is in the journal, as after a crash.
    try {
        return dispatch(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "nftterm-cli: internal error: " << e.what() << " (please report it)\n";
    } catch (...) {
        std::cerr << "nftterm-cli: internal error (please report it)\n";
    }
    return 70;  // EX_SOFTWARE
}
