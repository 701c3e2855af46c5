#include "credit_commands.hpp"

#include "arguments.hpp"
#include "node_options.hpp"
#include "plan_runner.hpp"
#include "position_setup.hpp"
#include "signer_options.hpp"
#include "trade_support.hpp"

#include <protocols/actions/borrow.hpp>
#include <protocols/actions/down_payment.hpp>
#include <protocols/actions/p2p_offer.hpp>
#include <wallet/accounts/atomic_file.hpp>

#include <chrono>
#include <protocols/actions/pool_credit.hpp>
#include <protocols/actions/plan_reads.hpp>
#include <protocols/eth/rpc/eth_api.hpp>
#include <protocols/positions/fixed_point.hpp>
#include <protocols/positions/read_helpers.hpp>

#include <nlohmann/json.hpp>

#include <iostream>

namespace nftterm::cli {

namespace {

using nlohmann::json;
using namespace nftterm::protocols;

constexpr const char* kBorrowUsage = R"(usage: nftterm-cli borrow --collection SYMBOL|ADDRESS --token-id ID (--amount V | --target-health H)
                      KEY [--yes] [--journal F]

Borrows WETH from the BendDAO-style LendPool against one NFT: a new loan (the
NFT is approved to the pool and goes into it) or more on the NFT's active
loan. --amount V borrows V; --target-health H borrows as much as brings the
loan's health factor to H (the debt a little after now, interest included).
Before signing: the NFT's value at the oracle, the collection's LTV and
liquidation threshold, the debt before and after, the LTV used, the health
factor and the liquidation price after, the borrow APR and the cost per day,
what the NFT can still borrow and what the pool holds to lend. Refused
before signing: an NFT not held, a loan not yours or not active, a stale
oracle price, more than the LTV allows or the pool holds. Prints JSON
{action, collection, tokenId, amount, newLoan, ltvBps, liquidationThresholdBps,
collateral, maxBorrow, availableLiquidity, borrowRate, predicted: {debt,
healthFactor, liquidationPrice, costPerDay}, transactions, after: {loanId,
debt, healthFactor, predictedHealthFactor}} (wei as decimal strings; the
predicted health at the landing block's time beside the pool's own).
KEY is --keystore FILE --password-file P, --private-key-file F, or --ledger.
)";

std::string short_wad(const wallet::U256& value, std::size_t places = 4)
{
    std::string text = value.format_units(18);
    if (const auto dot = text.find('.'); dot != std::string::npos && text.size() > dot + places + 1) text.resize(dot + places + 1);
    return text;
}

}  // namespace

int run_borrow_command(int argc, char** argv)
{
    const Arguments args(argc, argv, {"help", "yes", "no-cache", "ledger"});
    if (args.has("help")) {
        std::cout << kBorrowUsage << "\n" << kNodeOptionsUsage << kSigningOptionsUsage << kLedgerOptionsUsage;
        return 0;
    }
    std::vector<std::string> options{"collection", "token-id", "amount", "target-health", "journal", "registry"};
    options.insert(options.end(), kSignerOptions.begin(), kSignerOptions.end());
    options.insert(options.end(), kSigningOptions.begin(), kSigningOptions.end());
    auto parsed = position_setup(args, "borrow", options, false);
    if (auto* code = std::get_if<int>(&parsed)) return *code;
    auto& setup = std::get<PositionSetup>(parsed);
    const auto usage = [](const std::string& why) {
        std::cerr << "nftterm-cli: borrow: " << why << "\n";
        return 2;
    };
    const auto report = [](const std::string& why) {
        std::cerr << "nftterm-cli: borrow: " << why << "\n";
        return 1;
    };
    const auto named = args.value("collection");
    const auto collection = named ? collection_of(setup.registry, *named) : std::nullopt;
    if (!collection) return usage("needs --collection SYMBOL or ADDRESS");
    const auto token_text = args.value("token-id");
    std::optional<wallet::U256> token_id;
    if (token_text)
        if (auto parsed_id = wallet::U256::from_dec(*token_text)) token_id = *parsed_id;
    if (!token_id) return usage("needs --token-id ID (a whole number)");
    std::optional<wallet::U256> amount, target;
    if (const auto text = args.value("amount")) {
        amount = eth_amount(*text);
        if (!amount) return usage("--amount: '" + *text + "' is not an amount of WETH (such as 2.5)");
    }
    if (const auto text = args.value("target-health")) {
        auto parsed_target = wallet::U256::parse_units(*text, 18);
        if (!parsed_target) return usage("--target-health: '" + *text + "' is not a number (such as 1.5)");
        target = *parsed_target;
    }
    if (amount.has_value() == target.has_value()) return usage("give --amount V or --target-health H (one of them)");
    if (!has_signer(args)) return usage(std::string("signs: ") + kNoSigner);
    auto signer = signer_from_options(args);
    if (!signer) return report(signer.error().message());
    eth::RpcClient client(setup.node);
    auto head = eth::block_number(client);
    if (!head) return report(head.error().message());
    auto plan = actions::plan_borrow(client, setup.registry, (*signer)->address(), *collection, *token_id, amount, target, *head);
    if (!plan) return report(plan.error().message() + " — nothing is signed");

    const auto percent = [](std::uint64_t bps) { return std::to_string(bps / 100) + "." + (bps % 100 < 10 ? "0" : "") + std::to_string(bps % 100) + " %"; };
    const wallet::U256 ltv_used_bps = plan->collateral.is_zero() ? wallet::U256(0) : plan->debt_after * wallet::U256(10000) / plan->collateral;
    const wallet::U256 apr_bps = plan->borrow_rate / (positions::fixed::ray() / wallet::U256(10000));
    std::cerr << "Borrow on LendPool " << plan->pool.to_hex() << ", signed by " << (*signer)->description() << " on chain " << setup.registry.chain_id << ":\n";
    for (std::size_t i = 0; i < plan->plan.calls.size(); ++i) std::cerr << "  " << i + 1 << ". " << plan->plan.calls[i].description << "\n";
    std::cerr << "  NFT #" << token_id->to_dec() << " valued " << short_wad(plan->collateral) << " " << plan->plan.token_symbol << " at the oracle; LTV "
              << percent(plan->ltv_bps) << ", liquidation threshold " << percent(plan->threshold_bps) << "\n"
              << "  debt " << short_wad(plan->debt_before) << " → " << short_wad(plan->debt_after) << " (LTV used " << percent(ltv_used_bps.to_u64().value_or(0))
              << "); health factor after " << short_wad(plan->health_after) << "; liquidated if the floor falls to "
              << (plan->liquidation_price ? short_wad(*plan->liquidation_price) : std::string("—")) << " ETH\n"
              << "  borrow APR " << percent(apr_bps.to_u64().value_or(0)) << ", about " << short_wad(plan->cost_per_day, 6) << " " << plan->plan.token_symbol
              << " a day; this NFT can borrow " << short_wad(plan->max_borrow) << " more, the pool holds " << short_wad(plan->available_liquidity) << "\n";
    if (!confirmed(args, "borrow")) return 1;

    json out{{"action", "borrow"},
             {"collection", collection->to_hex()},
             {"tokenId", token_id->to_dec()},
             {"account", (*signer)->address().to_hex()},
             {"amount", plan->plan.amount.to_dec()},
             {"newLoan", plan->new_loan},
             {"ltvBps", std::uint64_t(plan->ltv_bps)},
             {"liquidationThresholdBps", std::uint64_t(plan->threshold_bps)},
             {"collateral", plan->collateral.to_dec()},
             {"maxBorrow", plan->max_borrow.to_dec()},
             {"availableLiquidity", plan->available_liquidity.to_dec()},
             {"borrowRate", plan->borrow_rate.to_dec()},
             {"planBlock", *head},
             {"predicted",
              {{"debt", plan->debt_after.to_dec()},
               {"healthFactor", plan->health_after.to_dec()},
               {"liquidationPrice", plan->liquidation_price ? json(plan->liquidation_price->to_dec()) : json(nullptr)},
               {"costPerDay", plan->cost_per_day.to_dec()}}}};
    std::string failure;
    std::vector<eth::Receipt> receipts;
    const bool landed = send_trade(client, **signer, args, setup.registry.chain_id, plan->plan.calls, out, failure, &receipts);
    if (landed && !receipts.empty()) {
        // The pool's own figures at the block the borrow landed in, beside the prediction redone for that block's time.
        const std::uint64_t block = receipts.back().block_number;
        auto debt = actions::detail::view_at(client, plan->pool, "getNftDebtData(address,uint256)",
                                             {positions::detail::value(*collection), positions::detail::value(*token_id)},
                                             "(uint256,address,uint256,uint256,uint256,uint256)", block);
        auto header = eth::get_block(client, eth::BlockTag::number(block));
        if (debt && header)
            out["after"] = json{{"block", block},
                            {"loanId", positions::detail::u256((*debt)[0]).to_dec()},
                            {"debt", positions::detail::u256((*debt)[3]).to_dec()},
                            {"healthFactor", positions::detail::u256((*debt)[5]).to_dec()},
                            {"predictedHealthFactor", actions::borrow_health_at(*plan, header->timestamp).to_dec()}};
    }
    std::cout << out.dump(2) << "\n";
    return landed ? 0 : report(failure);
}

namespace {

constexpr const char* kLendUsage = R"(usage: nftterm-cli lend deposit --amount V KEY [--yes] [--journal F]
       nftterm-cli lend withdraw [--amount V] KEY [--yes] [--journal F]

Supplies WETH to the lending pool (LendPool.deposit, approved first when
short) or takes it back (LendPool.withdraw; without --amount, the whole
deposit with the interest earned until it lands). Before signing: the
deposit now, the supply APR, what the pool holds unlent (a withdrawal past it
is refused). Prints JSON {action, amount, depositBefore, supplyRate,
availableLiquidity, transactions, after: {deposit}} (wei as decimal strings).
KEY is --keystore FILE --password-file P, --private-key-file F, or --ledger.
)";

constexpr const char* kAuctionUsage = R"(usage: nftterm-cli auction bid (--position ID | --collection C --token-id ID) --amount V KEY [--yes]
       nftterm-cli auction liquidate (--position ID | --collection C --token-id ID) KEY [--yes]

A bidder's side of a pool loan (BendDAO-style): `bid` bids V WETH on a loan
whose health factor is below 1, or over the last bid while its auction runs
(LendPool.auction: at least the liquidation price, and 1 % of the debt over
the last bid; the bid is held by the pool, returned when outbid or when the
borrower redeems, who then pays the first bidder a fine). `liquidate`, after
the auction ends, hands the NFT to the winning bidder (LendPool.liquidate;
any debt the bid leaves is the caller's to pay). ID is a position id as
`positions --json` gives it (benddao:POOL:COLLECTION:TOKEN). Prints JSON.
KEY is --keystore FILE --password-file P, --private-key-file F, or --ledger.
)";

/// The NFT a loan command names: --position benddao:POOL:COLLECTION:TOKEN, or --collection and --token-id.
std::optional<std::pair<wallet::Address, wallet::U256>> loan_nft(const Arguments& args, const positions::Registry& registry)
{
    if (const auto id = args.value("position")) {
        const auto first = id->find(':'), second = id->find(':', first + 1), third = id->find(':', second + 1);
        if (id->rfind("benddao:", 0) != 0 || third == std::string::npos) return std::nullopt;
        auto collection = wallet::Address::from_hex(id->substr(second + 1, third - second - 1));
        auto token = wallet::U256::from_dec(id->substr(third + 1));
        if (!collection || !token) return std::nullopt;
        return std::pair{*collection, *token};
    }
    const auto named = args.value("collection");
    const auto collection = named ? collection_of(registry, *named) : std::nullopt;
    const auto token_text = args.value("token-id");
    if (!collection || !token_text) return std::nullopt;
    auto token = wallet::U256::from_dec(*token_text);
    if (!token) return std::nullopt;
    return std::pair{*collection, *token};
}

}  // namespace

int run_lend_command(int argc, char** argv)
{
    const Arguments args(argc, argv, {"help", "yes", "no-cache", "ledger"});
    const auto& words = args.positionals();
    const std::string sub = words.size() > 1 ? words[1] : "";
    if (args.has("help") || (sub != "deposit" && sub != "withdraw")) {
        std::cout << kLendUsage << "\n" << kNodeOptionsUsage << kSigningOptionsUsage << kLedgerOptionsUsage;
        return args.has("help") ? 0 : 2;
    }
    std::vector<std::string> options{"amount", "journal", "registry"};
    options.insert(options.end(), kSignerOptions.begin(), kSignerOptions.end());
    options.insert(options.end(), kSigningOptions.begin(), kSigningOptions.end());
    auto parsed = position_setup(args, "lend", options, false);
    if (auto* code = std::get_if<int>(&parsed)) return *code;
    auto& setup = std::get<PositionSetup>(parsed);
    const auto fail_with = [](int code, const std::string& why) {
        std::cerr << "nftterm-cli: lend: " << why << "\n";
        return code;
    };
    std::optional<wallet::U256> amount;
    if (const auto text = args.value("amount")) {
        amount = eth_amount(*text);
        if (!amount) return fail_with(2, "--amount: '" + *text + "' is not an amount of WETH (such as 25)");
    }
    if (sub == "deposit" && !amount) return fail_with(2, "deposit needs --amount V");
    if (!has_signer(args)) return fail_with(2, std::string("signs: ") + kNoSigner);
    auto signer = signer_from_options(args);
    if (!signer) return fail_with(1, signer.error().message());
    eth::RpcClient client(setup.node);
    auto head = eth::block_number(client);
    if (!head) return fail_with(1, head.error().message());
    const wallet::Address account = (*signer)->address();
    auto plan = sub == "deposit" ? actions::plan_lend_deposit(client, setup.registry, account, *amount, *head)
                                 : actions::plan_lend_withdraw(client, setup.registry, account, amount, *head);
    if (!plan) return fail_with(1, plan.error().message() + " — nothing is signed");
    const wallet::U256 apr_bps = plan->supply_rate / (positions::fixed::ray() / wallet::U256(10000));
    std::cerr << "Lend " << sub << ", signed by " << (*signer)->description() << " on chain " << setup.registry.chain_id << ":\n";
    for (std::size_t i = 0; i < plan->plan.calls.size(); ++i) std::cerr << "  " << i + 1 << ". " << plan->plan.calls[i].description << "\n";
    std::cerr << "  deposit now " << short_wad(plan->deposit_before) << " " << plan->plan.token_symbol << "; supply APR "
              << apr_bps.to_u64().value_or(0) / 100 << "." << (apr_bps.to_u64().value_or(0) % 100 < 10 ? "0" : "") << apr_bps.to_u64().value_or(0) % 100
              << " %; the pool holds " << short_wad(plan->available_liquidity) << " unlent\n";
    if (!confirmed(args, "lend")) return 1;
    json out{{"action", plan->plan.action},
             {"account", account.to_hex()},
             {"amount", plan->plan.amount.to_dec()},
             {"depositBefore", plan->deposit_before.to_dec()},
             {"supplyRate", plan->supply_rate.to_dec()},
             {"availableLiquidity", plan->available_liquidity.to_dec()},
             {"planBlock", *head}};
    std::string failure;
    std::vector<eth::Receipt> receipts;
    const bool landed = send_trade(client, **signer, args, setup.registry.chain_id, plan->plan.calls, out, failure, &receipts);
    if (landed && !receipts.empty()) {
        const auto pool = setup.registry.contract("BendLendPool");
        const auto weth = setup.registry.contract("WETH9");
        auto deposit = actions::detail::view_at(client, *pool, "getDepositBalance(address,address)",
                                                {positions::detail::value(*weth), positions::detail::value(account)}, "(uint256)", receipts.back().block_number);
        if (deposit) out["after"] = json{{"block", receipts.back().block_number}, {"deposit", positions::detail::u256((*deposit)[0]).to_dec()}};
    }
    std::cout << out.dump(2) << "\n";
    return landed ? 0 : fail_with(1, failure);
}

int run_auction_command(int argc, char** argv)
{
    const Arguments args(argc, argv, {"help", "yes", "no-cache", "ledger"});
    const auto& words = args.positionals();
    const std::string sub = words.size() > 1 ? words[1] : "";
    if (args.has("help") || (sub != "bid" && sub != "liquidate")) {
        std::cout << kAuctionUsage << "\n" << kNodeOptionsUsage << kSigningOptionsUsage << kLedgerOptionsUsage;
        return args.has("help") ? 0 : 2;
    }
    std::vector<std::string> options{"position", "collection", "token-id", "amount", "journal", "registry"};
    options.insert(options.end(), kSignerOptions.begin(), kSignerOptions.end());
    options.insert(options.end(), kSigningOptions.begin(), kSigningOptions.end());
    auto parsed = position_setup(args, "auction", options, false);
    if (auto* code = std::get_if<int>(&parsed)) return *code;
    auto& setup = std::get<PositionSetup>(parsed);
    const auto fail_with = [](int code, const std::string& why) {
        std::cerr << "nftterm-cli: auction: " << why << "\n";
        return code;
    };
    const auto nft = loan_nft(args, setup.registry);
    if (!nft) return fail_with(2, "needs --position benddao:POOL:COLLECTION:TOKEN, or --collection C --token-id ID");
    std::optional<wallet::U256> bid;
    if (sub == "bid") {
        const auto text = args.value("amount");
        if (text) bid = eth_amount(*text);
        if (!bid) return fail_with(2, "bid needs --amount V (WETH, such as 20)");
    }
    if (!has_signer(args)) return fail_with(2, std::string("signs: ") + kNoSigner);
    auto signer = signer_from_options(args);
    if (!signer) return fail_with(1, signer.error().message());
    eth::RpcClient client(setup.node);
    auto head = eth::block_number(client);
    if (!head) return fail_with(1, head.error().message());
    const wallet::Address account = (*signer)->address();
    auto plan = sub == "bid" ? actions::plan_auction_bid(client, setup.registry, account, nft->first, nft->second, *bid, *head)
                             : actions::plan_auction_liquidate(client, setup.registry, account, nft->first, nft->second, *head);
    if (!plan) return fail_with(1, plan.error().message() + " — nothing is signed");
    std::cerr << "Auction " << sub << " on loan #" << plan->loan_id.to_dec() << ", signed by " << (*signer)->description() << " on chain "
              << setup.registry.chain_id << ":\n";
    for (std::size_t i = 0; i < plan->plan.calls.size(); ++i) std::cerr << "  " << i + 1 << ". " << plan->plan.calls[i].description << "\n";
    std::cerr << "  debt " << short_wad(plan->debt) << ", liquidation price " << short_wad(plan->liquidate_price) << ", last bid " << short_wad(plan->last_bid)
              << (plan->bid_end ? "; auction ends at unix time " + std::to_string(plan->bid_end) + ", redeem window until " + std::to_string(plan->redeem_end)
                                : std::string())
              << "\n";
    if (!confirmed(args, "auction")) return 1;
    json out{{"action", plan->plan.action},
             {"collection", nft->first.to_hex()},
             {"tokenId", nft->second.to_dec()},
             {"loanId", plan->loan_id.to_dec()},
             {"amount", plan->plan.amount.to_dec()},
             {"debt", plan->debt.to_dec()},
             {"liquidatePrice", plan->liquidate_price.to_dec()},
             {"lastBid", plan->last_bid.to_dec()},
             {"planBlock", *head}};
    std::string failure;
    const bool landed = send_trade(client, **signer, args, setup.registry.chain_id, plan->plan.calls, out, failure);
    std::cout << out.dump(2) << "\n";
    return landed ? 0 : fail_with(1, failure);
}

namespace {

constexpr const char* kLongUsage = R"(usage: nftterm-cli long --collection SYMBOL|ADDRESS [--token-id ID] --down-payment-pct P [--max-price V] KEY [--yes]

A down-payment long ("buy now, pay later", BendDAO-style): buys one NFT (ID,
or any NFT of the cheapest pool) paying P % of its price with your ETH; the
rest is flash-borrowed and repaid, in the same transaction, by a pool loan
against that NFT in your name (you delegate that much credit to the
DownPayment contract first, once). Before signing: the price, your funds,
the flash loan and its premium, the debt, the entry health factor, the
liquidation price, the cost per day, and the least down payment (the largest
leverage) the collection's LTV allows; a smaller down payment is refused.
Prints JSON {action, collection, tokenId, pair, price, ownFunds, flashLoan,
premium, debt, minOwnFunds, maxLeverage, predicted: {healthFactor,
liquidationPrice, costPerDay}, transactions, after: {nftOwner, loanId,
borrower, debt, healthFactor, predictedHealthFactor}} (wei as decimal strings).
KEY is --keystore FILE --password-file P, --private-key-file F, or --ledger.
)";

}  // namespace

int run_long_command(int argc, char** argv)
{
    const Arguments args(argc, argv, {"help", "yes", "no-cache", "ledger"});
    if (args.has("help")) {
        std::cout << kLongUsage << "\n" << kNodeOptionsUsage << kSigningOptionsUsage << kLedgerOptionsUsage;
        return 0;
    }
    std::vector<std::string> options{"collection", "token-id", "down-payment-pct", "max-price", "journal", "registry"};
    options.insert(options.end(), kSignerOptions.begin(), kSignerOptions.end());
    options.insert(options.end(), kSigningOptions.begin(), kSigningOptions.end());
    auto parsed = position_setup(args, "long", options, false);
    if (auto* code = std::get_if<int>(&parsed)) return *code;
    auto& setup = std::get<PositionSetup>(parsed);
    const auto fail_with = [](int code, const std::string& why) {
        std::cerr << "nftterm-cli: long: " << why << "\n";
        return code;
    };
    const auto named = args.value("collection");
    const auto collection = named ? collection_of(setup.registry, *named) : std::nullopt;
    if (!collection) return fail_with(2, "needs --collection SYMBOL or ADDRESS");
    std::optional<wallet::U256> token_id;
    if (const auto text = args.value("token-id")) {
        auto parsed_id = wallet::U256::from_dec(*text);
        if (!parsed_id) return fail_with(2, "--token-id: '" + *text + "' is not a whole number");
        token_id = *parsed_id;
    }
    const auto pct_text = args.value("down-payment-pct");
    const auto pct = pct_text ? wallet::U256::parse_units(*pct_text, 2) : wallet::Result<wallet::U256>(wallet::U256(0));
    if (!pct_text || !pct || pct->is_zero() || *pct >= wallet::U256(10000)) return fail_with(2, "needs --down-payment-pct P (a percentage above 0 and under 100, such as 40)");
    std::optional<wallet::U256> max_price;
    if (const auto text = args.value("max-price")) {
        max_price = eth_amount(*text);
        if (!max_price) return fail_with(2, "--max-price: '" + *text + "' is not an amount of ETH");
    }
    if (!has_signer(args)) return fail_with(2, std::string("signs: ") + kNoSigner);
    auto signer = signer_from_options(args);
    if (!signer) return fail_with(1, signer.error().message());
    eth::RpcClient client(setup.node);
    auto head = eth::block_number(client);
    if (!head) return fail_with(1, head.error().message());
    const wallet::Address account = (*signer)->address();
    auto plan = actions::plan_down_payment(client, setup.registry, account, *collection, token_id, pct->to_u64().value_or(0), max_price, *head);
    if (!plan) return fail_with(1, plan.error().message() + " — nothing is signed");
    std::cerr << "Down-payment long on " << plan->down_payment.to_hex() << ", signed by " << (*signer)->description() << " on chain " << setup.registry.chain_id << ":\n";
    for (std::size_t i = 0; i < plan->plan.calls.size(); ++i) std::cerr << "  " << i + 1 << ". " << plan->plan.calls[i].description << "\n";
    std::cerr << "  price " << short_wad(plan->price) << " ETH: yours " << short_wad(plan->own_funds) << ", flash loan " << short_wad(plan->flash_loan) << " + premium "
              << short_wad(plan->premium, 6) << " = debt " << short_wad(plan->debt) << "\n"
              << "  entry health factor " << short_wad(plan->health_after) << "; liquidated if the floor falls to "
              << (plan->liquidation_price ? short_wad(*plan->liquidation_price) : std::string("—")) << " ETH; about " << short_wad(plan->cost_per_day, 6)
              << " ETH a day in interest\n"
              << "  the least down payment the LTV allows: " << short_wad(plan->min_own_funds) << " ETH (leverage " << short_wad(plan->max_leverage, 2) << "×)\n";
    if (!confirmed(args, "long")) return 1;
    json out{{"action", "long"},
             {"collection", collection->to_hex()},
             {"tokenId", plan->token_id.to_dec()},
             {"pair", plan->pair.to_hex()},
             {"account", account.to_hex()},
             {"price", plan->price.to_dec()},
             {"ownFunds", plan->own_funds.to_dec()},
             {"flashLoan", plan->flash_loan.to_dec()},
             {"premium", plan->premium.to_dec()},
             {"debt", plan->debt.to_dec()},
             {"ltvBps", std::uint64_t(plan->ltv_bps)},
             {"minOwnFunds", plan->min_own_funds.to_dec()},
             {"maxLeverage", plan->max_leverage.to_dec()},
             {"planBlock", *head},
             {"predicted",
              {{"healthFactor", plan->health_after.to_dec()},
               {"liquidationPrice", plan->liquidation_price ? json(plan->liquidation_price->to_dec()) : json(nullptr)},
               {"costPerDay", plan->cost_per_day.to_dec()}}}};
    std::string failure;
    std::vector<eth::Receipt> receipts;
    const bool landed = send_trade(client, **signer, args, setup.registry.chain_id, plan->plan.calls, out, failure, &receipts);
    if (landed && !receipts.empty()) {
        const std::uint64_t block = receipts.back().block_number;
        const auto pool = setup.registry.contract("BendLendPool");
        auto owner = actions::detail::view_at(client, *collection, "ownerOf(uint256)", {positions::detail::value(plan->token_id)}, "(address)", block);
        auto debt = actions::detail::view_at(client, *pool, "getNftDebtData(address,uint256)",
                                             {positions::detail::value(*collection), positions::detail::value(plan->token_id)},
                                             "(uint256,address,uint256,uint256,uint256,uint256)", block);
        auto header = eth::get_block(client, eth::BlockTag::number(block));
        if (owner && debt && header) {
            const wallet::U256 loan_id = positions::detail::u256((*debt)[0]);
            auto borrower = actions::detail::view_at(client, *pool, "borrowerOf(uint256)", {positions::detail::value(loan_id)}, "(address)", block);
            out["after"] = json{{"block", block},
                                {"nftOwner", positions::detail::address((*owner)[0]).to_hex()},
                                {"loanId", loan_id.to_dec()},
                                {"borrower", borrower ? json(positions::detail::address((*borrower)[0]).to_hex()) : json(nullptr)},
                                {"debt", positions::detail::u256((*debt)[3]).to_dec()},
                                {"healthFactor", positions::detail::u256((*debt)[5]).to_dec()},
                                {"predictedHealthFactor", actions::down_payment_health_at(*plan, header->timestamp).to_dec()}};
        }
    }
    std::cout << out.dump(2) << "\n";
    return landed ? 0 : fail_with(1, failure);
}

namespace {

constexpr const char* kOfferUsage = R"(usage: nftterm-cli offer list [--offers FILE] [--account A]
       nftterm-cli offer accept --offer N|FILE [--offers FILE] KEY [--yes]
       nftterm-cli offer create --collection C --token-id ID --principal V --repayment V --duration-days D
                                [--expiry-hours H] [--nonce N] --out FILE KEY [--yes]
       nftterm-cli offer extend --position nftfi:LOANS:ID --duration-days D --repayment V [--fee V]
                                [--expiry-hours H] [--nonce N] --out FILE KEY
       nftterm-cli offer renegotiate --terms FILE KEY [--yes]

NFTfi-style P2P offers. `list`: the offers (from --offers FILE, default the
devnet manifest's) on the NFTs the account holds (default: every offer),
each with its principal, repayment, APR, duration and whether it can be
accepted now (the checks `accept` makes). `accept`: the Nth offer of the
list's file, or the first of FILE: the lender's signature is recovered and
its nonce, expiry and admin fee, the duration, the currency, your NFT and
the lender's funds are checked before signing; then acceptOffer (with the
NFT's approval first). `create`: as a lender, signs an offer in NFTfi's
format (personal_sign of the packed terms, the nonce, the expiry, the loan
contract and the chain) and writes it to FILE in the same shape; when your
allowance to the loan contract is short of the principal, an approval is
sent first. `extend`: as the lender of an open loan, signs new terms (the
duration counted from the loan's start, the repayment, a fee the borrower
pays) in NFTfi's renegotiation format and writes them to FILE.
`renegotiate`: as the borrower, checks the terms as the contract will (the
lender's signature, nonce, expiry, the new due date not past) and extends the
loan (renegotiateLoan, the fee approved first). Prints JSON.
KEY is --keystore FILE --password-file P, --private-key-file F, or --ledger.
)";

constexpr const char* kForecloseUsage = R"(usage: nftterm-cli foreclose (--position nftfi:LOANS:ID | --loan-id N) KEY [--yes]

As the lender of an NFTfi-style loan past its maturity and not repaid:
liquidateOverdueLoan, and the NFT comes to you. Refused before signing for a
loan that is not yours, not yet due, or already closed. Prints JSON.
KEY is --keystore FILE --password-file P, --private-key-file F, or --ledger.
)";

struct OfferSource {
    std::vector<nftfi::SignedOffer> offers;
    std::string name;
};

/// The offers of --offers FILE, else of the registry file (the devnet manifest lists its open offers).
std::variant<OfferSource, std::string> offers_of(const Arguments& args, const PositionSetup& setup, const std::optional<std::string>& file = std::nullopt)
{
    const std::string path = file ? *file : args.value("offers").value_or(setup.registry_file.string());
    auto text = wallet::read_small_file(path, 16 << 20);
    if (!text) return "cannot read " + path + ": " + text.error().message();
    auto offers = nftfi::offers_from_json(*text);
    if (!offers) return path + ": " + offers.error().message();
    return OfferSource{std::move(*offers), path};
}

json offer_json(const nftfi::SignedOffer& o, std::size_t index)
{
    return {{"index", index},
            {"lender", o.lender.to_hex()},
            {"collection", o.offer.nft_contract.to_hex()},
            {"tokenId", o.offer.nft_id.to_dec()},
            {"principal", o.offer.principal.to_dec()},
            {"maximumRepayment", o.offer.maximum_repayment.to_dec()},
            {"durationSeconds", o.offer.duration_seconds},
            {"adminFeeBps", o.offer.admin_fee_bps},
            {"currency", o.offer.currency.to_hex()},
            {"nonce", o.nonce.to_dec()},
            {"expiry", o.expiry.to_dec()}};
}

std::string apr_text(std::uint64_t bps)
{
    return std::to_string(bps / 100) + "." + (bps % 100 < 10 ? "0" : "") + std::to_string(bps % 100) + " %";
}

}  // namespace

int run_offer_command(int argc, char** argv)
{
    const Arguments args(argc, argv, {"help", "yes", "no-cache", "ledger", "json"});
    const auto& words = args.positionals();
    const std::string sub = words.size() > 1 ? words[1] : "";
    if (args.has("help") || (sub != "list" && sub != "accept" && sub != "create" && sub != "extend" && sub != "renegotiate")) {
        std::cout << kOfferUsage << "\n" << kNodeOptionsUsage << kSigningOptionsUsage << kLedgerOptionsUsage;
        return args.has("help") ? 0 : 2;
    }
    std::vector<std::string> options{"offers", "offer", "account", "collection", "token-id", "principal", "repayment", "duration-days", "expiry-hours",
                                     "nonce", "out", "journal", "registry", "json", "position", "fee", "terms"};
    options.insert(options.end(), kSignerOptions.begin(), kSignerOptions.end());
    options.insert(options.end(), kSigningOptions.begin(), kSigningOptions.end());
    auto parsed = position_setup(args, "offer", options, false);
    if (auto* code = std::get_if<int>(&parsed)) return *code;
    auto& setup = std::get<PositionSetup>(parsed);
    const auto fail_with = [](int code, const std::string& why) {
        std::cerr << "nftterm-cli: offer: " << why << "\n";
        return code;
    };
    eth::RpcClient client(setup.node);
    auto head = eth::block_number(client);
    if (!head) return fail_with(1, head.error().message());

    if (sub == "list") {
        auto source = offers_of(args, setup);
        if (auto* why = std::get_if<std::string>(&source)) return fail_with(1, *why);
        const auto& offers = std::get<OfferSource>(source).offers;
        std::optional<wallet::Address> account;
        if (const auto text = args.value("account")) {
            account = wallet::Address::from_hex(*text);
            if (!account) return fail_with(2, "--account: '" + *text + "' is not an address");
        }
        json out = json::array();
        for (std::size_t i = 0; i < offers.size(); ++i) {
            const auto& o = offers[i];
            auto owner = actions::detail::view_at(client, o.offer.nft_contract, "ownerOf(uint256)", {positions::detail::value(o.offer.nft_id)}, "(address)", *head);
            const wallet::Address holder = owner ? positions::detail::address((*owner)[0]) : wallet::Address();
            if (account && holder != *account) continue;
            json entry = offer_json(o, i);
            entry["holder"] = holder.to_hex();
            // The checks accept makes, as the NFT's holder would meet them now.
            auto check = actions::plan_accept_offer(client, setup.registry, holder, o, *head);
            entry["acceptable"] = check.has_value();
            entry["why"] = check ? json(nullptr) : json(check.error().message());
            if (check) entry["aprBps"] = check->apr_bps;
            out.push_back(entry);
            if (!args.has("json"))
                std::cout << "#" << i << "  " << o.offer.nft_contract.to_hex().substr(0, 10) << "… #" << o.offer.nft_id.to_dec() << "  borrow "
                          << short_wad(o.offer.principal) << ", repay " << short_wad(o.offer.maximum_repayment) << " in " << o.offer.duration_seconds / 86400
                          << " d" << (check ? " (APR " + apr_text(check->apr_bps) + ")" : std::string()) << "  from " << o.lender.to_hex().substr(0, 10) << "…  "
                          << (check ? std::string("acceptable") : "not acceptable: " + check.error().message()) << "\n";
        }
        if (args.has("json")) std::cout << out.dump(2) << "\n";
        return 0;
    }

    if (!has_signer(args)) return fail_with(2, std::string("signs: ") + kNoSigner);
    auto signer = signer_from_options(args);
    if (!signer) return fail_with(1, signer.error().message());
    const wallet::Address account = (*signer)->address();

    if (sub == "accept") {
        const auto which = args.value("offer");
        if (!which) return fail_with(2, "accept needs --offer N (an index of the offers file) or --offer FILE");
        nftfi::SignedOffer offer;
        const bool is_index = !which->empty() && which->find_first_not_of("0123456789") == std::string::npos;
        auto source = is_index ? offers_of(args, setup) : offers_of(args, setup, *which);
        if (auto* why = std::get_if<std::string>(&source)) return fail_with(1, *why);
        const auto& offers = std::get<OfferSource>(source).offers;
        const std::size_t index = is_index ? std::stoul(*which) : 0;
        if (index >= offers.size()) return fail_with(2, "--offer " + *which + ": the file lists " + std::to_string(offers.size()) + " offer(s)");
        offer = offers[index];
        auto plan = actions::plan_accept_offer(client, setup.registry, account, offer, *head);
        if (!plan) return fail_with(1, plan.error().message() + " — nothing is signed");
        std::cerr << "Accept an NFTfi offer on " << plan->loans.to_hex() << ", signed by " << (*signer)->description() << " on chain " << setup.registry.chain_id << ":\n";
        for (std::size_t i = 0; i < plan->plan.calls.size(); ++i) std::cerr << "  " << i + 1 << ". " << plan->plan.calls[i].description << "\n";
        std::cerr << "  interest " << short_wad(plan->interest) << " (APR " << apr_text(plan->apr_bps) << "), due at unix time " << plan->due << " if it lands now; admin fee "
                  << offer.offer.admin_fee_bps << " bps of the interest, paid by the lender; the lender's signature, nonce and expiry check out\n";
        if (!confirmed(args, "offer accept")) return 1;
        json out = offer_json(offer, index);
        out["action"] = "acceptOffer";
        out["aprBps"] = plan->apr_bps;
        std::string failure;
        std::vector<eth::Receipt> receipts;
        const bool landed = send_trade(client, **signer, args, setup.registry.chain_id, plan->plan.calls, out, failure, &receipts);
        if (landed && !receipts.empty()) {
            // LoanStarted(uint32 indexed loanId, …): the loan the contract opened.
            for (const auto& log : receipts.back().logs)
                if (log.address == plan->loans && log.topics.size() >= 2)
                    if (auto id = wallet::U256::from_be(log.topics[1].view())) out["loanId"] = id->to_dec();
        }
        std::cout << out.dump(2) << "\n";
        return landed ? 0 : fail_with(1, failure);
    }

    if (sub == "renegotiate") {
        const auto file = args.value("terms");
        if (!file) return fail_with(2, "renegotiate needs --terms FILE (the lender's signed terms)");
        auto text = wallet::read_small_file(*file);
        if (!text) return fail_with(1, "cannot read " + *file + ": " + text.error().message());
        auto terms = nftfi::renegotiation_from_json(*text);
        if (!terms) return fail_with(1, *file + ": " + terms.error().message());
        auto plan = actions::plan_renegotiate(client, setup.registry, account, *terms, *head);
        if (!plan) return fail_with(1, plan.error().message() + " — nothing is signed");
        std::cerr << "Extend loan #" << terms->loan_id << " on " << plan->loans.to_hex() << ", signed by " << (*signer)->description() << " on chain "
                  << setup.registry.chain_id << ":\n";
        for (std::size_t i = 0; i < plan->plan.calls.size(); ++i) std::cerr << "  " << i + 1 << ". " << plan->plan.calls[i].description << "\n";
        if (!confirmed(args, "offer renegotiate")) return 1;
        json out{{"action", "renegotiate"},
                 {"loanId", terms->loan_id},
                 {"durationSeconds", terms->duration_seconds},
                 {"maximumRepayment", terms->maximum_repayment.to_dec()},
                 {"fee", terms->fee.to_dec()},
                 {"repaymentBefore", plan->repayment_before.to_dec()},
                 {"dueBefore", plan->due_before},
                 {"dueAfter", plan->due_after}};
        std::string failure;
        const bool landed = send_trade(client, **signer, args, setup.registry.chain_id, plan->plan.calls, out, failure);
        std::cout << out.dump(2) << "\n";
        return landed ? 0 : fail_with(1, failure);
    }

    if (sub == "extend") {
        const auto position = args.value("position");
        const auto days = args.value("duration-days") ? wallet::U256::from_dec(*args.value("duration-days")) : wallet::Result<wallet::U256>(std::unexpected(wallet::Error{}));
        const auto repayment = args.value("repayment") ? eth_amount(*args.value("repayment")) : std::nullopt;
        const auto fee = args.value("fee") ? eth_amount(*args.value("fee")) : std::optional<wallet::U256>(wallet::U256(0));
        const auto out_file = args.value("out");
        if (!position || position->rfind("nftfi:", 0) != 0 || !days || days->is_zero() || !repayment || !fee || !out_file)
            return fail_with(2, "extend needs --position nftfi:LOANS:ID, --duration-days D, --repayment V, --out FILE (and --fee V)");
        const auto loan_id = wallet::U256::from_dec(position->substr(position->rfind(':') + 1));
        if (!loan_id || !loan_id->to_u64() || *loan_id->to_u64() > 0xFFFFFFFFULL) return fail_with(2, "--position: an NFTfi position id (nftfi:LOANS:ID)");
        const auto loans = setup.registry.contract("NFTfiDirectLoanFixedOffer");
        if (!loans) return fail_with(1, "the registry names no NFTfi DirectLoanFixedOffer contract");
        auto lender = actions::detail::view_at(client, *loans, "loanIdToLender(uint32)", {positions::detail::value(*loan_id->to_u64())}, "(address)", *head);
        if (!lender || positions::detail::address((*lender)[0]) != account) return fail_with(1, "loan #" + loan_id->to_dec() + " is not lent by the signing account");
        auto block = eth::get_block(client, eth::BlockTag::number(*head));
        if (!block) return fail_with(1, block.error().message());
        nftfi::SignedRenegotiation terms;
        terms.loan_id = static_cast<std::uint32_t>(*loan_id->to_u64());
        terms.duration_seconds = static_cast<std::uint32_t>(days->to_u64().value_or(0) * 86400);
        terms.maximum_repayment = *repayment;
        terms.fee = *fee;
        terms.lender = account;
        const std::uint64_t hours = args.value("expiry-hours") ? std::strtoull(args.value("expiry-hours")->c_str(), nullptr, 10) : 24;
        terms.expiry = wallet::U256(block->timestamp + hours * 3600);
        terms.nonce = args.value("nonce") ? wallet::U256::from_dec(*args.value("nonce")).value_or(wallet::U256(0))
                                          : wallet::U256(static_cast<std::uint64_t>(std::chrono::system_clock::now().time_since_epoch().count()));
        std::cerr << "Sign new terms for loan #" << terms.loan_id << ": " << days->to_dec() << " days from its start, repay " << short_wad(terms.maximum_repayment)
                  << ", fee " << short_wad(terms.fee) << "; valid until unix time " << terms.expiry.to_dec() << " (personal_sign, loan contract " << loans->to_hex()
                  << ", chain " << setup.registry.chain_id << ")\n";
        if (!confirmed(args, "offer extend")) return 1;
        const auto message = nftfi::renegotiation_message(terms.loan_id, terms.duration_seconds, terms.maximum_repayment, terms.fee, account, terms.nonce, terms.expiry,
                                                          *loans, setup.registry.chain_id);
        auto signature = (*signer)->sign_personal_message(wallet::Bytes(message.bytes.begin(), message.bytes.end()), {});
        if (!signature) return fail_with(1, signature.error().message());
        terms.signature = wallet::to_hex(signature->to_rsv().view());
        if (auto written = wallet::write_file_atomically(*out_file, nftfi::renegotiation_to_json(terms), 0644); !written) return fail_with(1, written.error().message());
        std::cout << json{{"action", "extendOffer"}, {"loanId", terms.loan_id}, {"file", *out_file}}.dump(2) << "\n";
        return 0;
    }

    // create: the lender signs an offer and writes it.
    const auto named = args.value("collection");
    const auto collection = named ? collection_of(setup.registry, *named) : std::nullopt;
    const auto token_text = args.value("token-id");
    const auto token = token_text ? wallet::U256::from_dec(*token_text) : wallet::Result<wallet::U256>(std::unexpected(wallet::Error{}));
    const auto principal = args.value("principal") ? eth_amount(*args.value("principal")) : std::nullopt;
    const auto repayment = args.value("repayment") ? eth_amount(*args.value("repayment")) : std::nullopt;
    const auto days = args.value("duration-days") ? wallet::U256::from_dec(*args.value("duration-days")) : wallet::Result<wallet::U256>(std::unexpected(wallet::Error{}));
    const auto out_file = args.value("out");
    if (!collection || !token || !principal || !repayment || !days || days->is_zero() || !out_file)
        return fail_with(2, "create needs --collection, --token-id, --principal V, --repayment V, --duration-days D and --out FILE");
    const auto weth = setup.registry.contract("WETH9");
    if (!weth) return fail_with(1, "the registry names no WETH9");
    auto block = eth::get_block(client, eth::BlockTag::number(*head));
    if (!block) return fail_with(1, block.error().message());
    const std::uint64_t hours = args.value("expiry-hours") ? std::strtoull(args.value("expiry-hours")->c_str(), nullptr, 10) : 24;
    nftfi::SignedOffer offer;
    offer.lender = account;
    offer.offer.nft_contract = *collection;
    offer.offer.nft_id = *token;
    offer.offer.principal = *principal;
    offer.offer.maximum_repayment = *repayment;
    offer.offer.duration_seconds = static_cast<std::uint32_t>(days->to_u64().value_or(0) * 86400);
    offer.offer.currency = *weth;
    offer.expiry = wallet::U256(block->timestamp + hours * 3600);
    if (const auto text = args.value("nonce")) {
        auto nonce = wallet::U256::from_dec(*text);
        if (!nonce) return fail_with(2, "--nonce: '" + *text + "' is not a whole number");
        offer.nonce = *nonce;
    } else {
        // A fresh nonce: the time in nanoseconds is not one the lender has used.
        offer.nonce = wallet::U256(static_cast<std::uint64_t>(std::chrono::system_clock::now().time_since_epoch().count()));
    }
    auto terms = actions::offer_terms(client, setup.registry, account, *weth, *principal, *head);
    if (!terms) return fail_with(1, terms.error().message());
    offer.offer.admin_fee_bps = terms->admin_fee_bps;
    if (offer.offer.maximum_repayment < offer.offer.principal) return fail_with(2, "the repayment must be at least the principal (the contract refuses less)");
    std::cerr << "Create an NFTfi offer on NFT #" << token->to_dec() << " of " << collection->to_hex() << ", signed by " << (*signer)->description() << ":\n"
              << "  lend " << short_wad(*principal) << " WETH, repaid " << short_wad(*repayment) << " within " << days->to_dec() << " days; valid until unix time "
              << offer.expiry.to_dec() << "; nonce " << offer.nonce.to_dec() << "; admin fee " << terms->admin_fee_bps << " bps (the contract's)\n";
    for (std::size_t i = 0; i < terms->approval.size(); ++i) std::cerr << "  first: " << terms->approval[i].description << "\n";
    std::cerr << "  then sign the offer (personal_sign) for loan contract " << terms->loans.to_hex() << " on chain " << setup.registry.chain_id << "\n";
    if (!confirmed(args, "offer create")) return 1;
    json out = {{"action", "createOffer"}};
    std::string failure;
    if (!terms->approval.empty() && !send_trade(client, **signer, args, setup.registry.chain_id, terms->approval, out, failure)) return fail_with(1, failure);
    const auto message = nftfi::offer_message(offer.offer, account, offer.nonce, offer.expiry, terms->loans, setup.registry.chain_id);
    auto signature = (*signer)->sign_personal_message(wallet::Bytes(message.bytes.begin(), message.bytes.end()), {});
    if (!signature) return fail_with(1, signature.error().message());
    offer.signature = wallet::to_hex(signature->to_rsv().view());
    if (auto written = wallet::write_file_atomically(*out_file, nftfi::offers_to_json({offer}), 0644); !written) return fail_with(1, written.error().message());
    out["offer"] = offer_json(offer, 0);
    out["file"] = *out_file;
    std::cout << out.dump(2) << "\n";
    return 0;
}

int run_foreclose_command(int argc, char** argv)
{
    const Arguments args(argc, argv, {"help", "yes", "no-cache", "ledger"});
    if (args.has("help")) {
        std::cout << kForecloseUsage << "\n" << kNodeOptionsUsage << kSigningOptionsUsage << kLedgerOptionsUsage;
        return 0;
    }
    std::vector<std::string> options{"position", "loan-id", "journal", "registry"};
    options.insert(options.end(), kSignerOptions.begin(), kSignerOptions.end());
    options.insert(options.end(), kSigningOptions.begin(), kSigningOptions.end());
    auto parsed = position_setup(args, "foreclose", options, false);
    if (auto* code = std::get_if<int>(&parsed)) return *code;
    auto& setup = std::get<PositionSetup>(parsed);
    const auto fail_with = [](int code, const std::string& why) {
        std::cerr << "nftterm-cli: foreclose: " << why << "\n";
        return code;
    };
    std::string id_text = args.value("loan-id").value_or("");
    if (const auto position = args.value("position")) {
        if (position->rfind("nftfi:", 0) != 0 || position->rfind(':') == std::string::npos) return fail_with(2, "--position: an NFTfi position id (nftfi:LOANS:ID)");
        id_text = position->substr(position->rfind(':') + 1);
    }
    const auto loan_id = wallet::U256::from_dec(id_text);
    if (id_text.empty() || !loan_id || !loan_id->to_u64() || *loan_id->to_u64() > 0xFFFFFFFFULL) return fail_with(2, "needs --position nftfi:LOANS:ID or --loan-id N");
    if (!has_signer(args)) return fail_with(2, std::string("signs: ") + kNoSigner);
    auto signer = signer_from_options(args);
    if (!signer) return fail_with(1, signer.error().message());
    eth::RpcClient client(setup.node);
    auto head = eth::block_number(client);
    if (!head) return fail_with(1, head.error().message());
    auto plan = actions::plan_foreclose(client, setup.registry, (*signer)->address(), static_cast<std::uint32_t>(*loan_id->to_u64()), *head);
    if (!plan) return fail_with(1, plan.error().message() + " — nothing is signed");
    std::cerr << "Foreclose on " << plan->loans.to_hex() << ", signed by " << (*signer)->description() << " on chain " << setup.registry.chain_id << ":\n";
    for (std::size_t i = 0; i < plan->plan.calls.size(); ++i) std::cerr << "  " << i + 1 << ". " << plan->plan.calls[i].description << "\n";
    if (!confirmed(args, "foreclose")) return 1;
    json out{{"action", "foreclose"}, {"loanId", plan->loan_id}, {"collection", plan->collection.to_hex()}, {"tokenId", plan->token_id.to_dec()},
             {"borrower", plan->borrower.to_hex()}, {"maturity", plan->maturity}};
    std::string failure;
    const bool landed = send_trade(client, **signer, args, setup.registry.chain_id, plan->plan.calls, out, failure);
    std::cout << out.dump(2) << "\n";
    return landed ? 0 : fail_with(1, failure);
}

}  // namespace nftterm::cli
