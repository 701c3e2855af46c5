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

}  // namespace

int run_borrow_command(int argc, char** argv)
{
    const Arguments args(argc, argv, {"help", "yes", "no-cache", "ledger"});
    if (args.has("help")) {
        std::cout << kBorrowUsage << "\n" << kNodeOptionsUsage << kSigningOptionsUsage << kLedgerOptionsUsage;
        return 0;
    }
    auto opened = signing_session(args, "borrow", {"collection", "token-id", "amount", "target-health", "journal", "registry"});
    if (auto* code = std::get_if<int>(&opened)) return *code;
    auto& session = std::get<SigningSession>(opened);
    auto& setup = session.setup;
    auto& client = *session.client;
    std::unique_ptr<wallet::Signer>* signer = &session.signer;
    const std::optional<std::uint64_t> head = session.head;
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
    auto opened = signing_session(args, "lend", {"amount", "journal", "registry"});
    if (auto* code = std::get_if<int>(&opened)) return *code;
    auto& session = std::get<SigningSession>(opened);
    auto& setup = session.setup;
    auto& client = *session.client;
    std::unique_ptr<wallet::Signer>* signer = &session.signer;
    const std::optional<std::uint64_t> head = session.head;
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
    auto opened = signing_session(args, "auction", {"position", "collection", "token-id", "amount", "journal", "registry"});
    if (auto* code = std::get_if<int>(&opened)) return *code;
    auto& session = std::get<SigningSession>(opened);
    auto& setup = session.setup;
    auto& client = *session.client;
    std::unique_ptr<wallet::Signer>* signer = &session.signer;
    const std::optional<std::uint64_t> head = session.head;
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
    auto opened = signing_session(args, "long", {"collection", "token-id", "down-payment-pct", "max-price", "journal", "registry"});
    if (auto* code = std::get_if<int>(&opened)) return *code;
    auto& session = std::get<SigningSession>(opened);
    auto& setup = session.setup;
    auto& client = *session.client;
    std::unique_ptr<wallet::Signer>* signer = &session.signer;
    const std::optional<std::uint64_t> head = session.head;
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

}  // namespace nftterm::cli
