#include "market_commands.hpp"

#include "arguments.hpp"
#include "node_options.hpp"
#include "plan_runner.hpp"
#include "position_setup.hpp"
#include "signer_options.hpp"
#include "trade_support.hpp"

#include <protocols/actions/amm_pool.hpp>
#include <protocols/actions/amm_trade.hpp>
#include <protocols/actions/perp.hpp>
#include <protocols/actions/plan_reads.hpp>
#include <protocols/positions/read_helpers.hpp>
#include <protocols/eth/rpc/eth_api.hpp>
#include <protocols/eth/tx/receipt_tracker.hpp>
#include <protocols/eth/tx/sender.hpp>
#include <protocols/pricing/order_book.hpp>
#include <wallet/accounts/account_store.hpp>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <functional>
#include <variant>
#include <iostream>

namespace nftterm::cli {
namespace {

using nlohmann::json;
using namespace nftterm::protocols;

constexpr const char* kBookUsage = R"(usage: nftterm-cli book --collection SYMBOL|ADDRESS [--depth N] [--json] [--registry FILE] [node options]

The depth of every pool of a collection at the head: the asks (the next
prices at which the pools sell, fees in, only NFTs they hold) and the bids
(the next prices they pay, only while their ETH can pay), merged into one
book, one NFT a level, each pool's curve moved by the levels above it.
--depth N levels a side (default 10). With --json:
{collection, block, asks: [{price, pair, cumulativeCount, cumulativeCost}],
bids: [...], bestAsk, bestBid, spread} (wei as decimal strings).
)";

std::string eth_text(const wallet::U256& wei)
{
    return wei.format_units(18);
}

json levels_json(const std::vector<pricing::BookLevel>& levels)
{
    json out = json::array();
    for (const auto& level : levels)
        out.push_back({{"price", level.price.to_dec()},
                       {"pair", level.pair.to_hex()},
                       {"cumulativeCount", level.cumulative_count},
                       {"cumulativeCost", level.cumulative_cost.to_dec()}});
    return out;
}


constexpr const char* kBuyUsage = R"(usage: nftterm-cli buy --collection SYMBOL|ADDRESS --count N [--max-total V] KEY [--yes] [--journal F]
       nftterm-cli buy --collection SYMBOL|ADDRESS --token-id ID [--token-id ID…] [--max-total V] KEY …

Buys N NFTs (any ids) across the collection's pools: each next NFT from the
pool cheapest after the fills before it, one swap per pool, each bounded by
the pair's own quote (maxExpectedTokenInput), so a market that moved makes
the swap revert with the pair's reason instead of overpaying. The plan shows
each swap in words, the total, the average price, the price impact against
the best price and the protocol fees; --max-total V (ETH) refuses a route
that costs more. Prints {action, collection, account, count, total,
averagePrice, bestPrice, priceImpactBps, protocolFees, swaps, transactions,
predicted, after} as JSON (wei as decimal strings).
KEY is --keystore FILE --password-file P, --private-key-file F, or --ledger.
)";



}  // namespace

namespace {

constexpr const char* kSellUsage = R"(usage: nftterm-cli sell --collection SYMBOL|ADDRESS --token-id ID [--token-id ID…] [--min-total V] KEY [--yes] [--journal F]

Sells your NFTs into the collection's best bids: each next NFT into the pool
paying most after the sales before it, one swap per pool, each bounded by the
pair's own quote (minExpectedTokenOutput), so a bid that fell makes the swap
revert instead of underpaying; a pool not yet allowed to take your NFTs gets
a setApprovalForAll first. --min-total V (ETH) refuses a route that pays less.
Prints the same JSON as buy ("total" is what you receive).
KEY is --keystore FILE --password-file P, --private-key-file F, or --ledger.
)";

/// What a trade command plans, once the pools and the signer are known; on bad input it says why.
using TradePlanner = std::function<Result<actions::TradePlan>(eth::RpcClient&, const pricing::CollectionPools&, const wallet::Address&)>;

struct TradeCommand {
    const char* name;
    const char* usage;
    std::vector<std::string> options;
    /// Reads the command's own options into a planner, or the exit code.
    std::function<std::variant<TradePlanner, int>(const Arguments&)> make_planner;
};

int run_trade_command(int argc, char** argv, const TradeCommand& command)
{
    const std::string name = command.name;
    const Arguments args(argc, argv, {"help", "yes", "no-cache", "ledger"});
    if (args.has("help")) {
        std::cout << command.usage << "\n" << kNodeOptionsUsage << kSigningOptionsUsage << kLedgerOptionsUsage;
        return 0;
    }
    std::vector<std::string> options{"collection", "journal", "registry"};
    options.insert(options.end(), command.options.begin(), command.options.end());
    options.insert(options.end(), kSignerOptions.begin(), kSignerOptions.end());
    options.insert(options.end(), kSigningOptions.begin(), kSigningOptions.end());
    auto parsed = position_setup(args, command.name, options, false);
    if (auto* code = std::get_if<int>(&parsed)) return *code;
    auto& setup = std::get<PositionSetup>(parsed);
    const auto named = args.value("collection");
    const auto collection = named ? collection_of(setup.registry, *named) : std::nullopt;
    if (!collection) {
        std::cerr << "nftterm-cli: " << name << " needs --collection SYMBOL or ADDRESS (" << (named ? "'" + *named + "' is neither" : "none given") << ")\n";
        return 2;
    }
    auto planner = command.make_planner(args);
    if (auto* code = std::get_if<int>(&planner)) return *code;
    if (!has_signer(args)) {
        std::cerr << "nftterm-cli: " << name << " signs: " << kNoSigner << "\n";
        return 2;
    }
    const auto report = [&](const std::string& why) {
        std::cerr << "nftterm-cli: " << name << ": " << why << "\n";
        return 1;
    };
    auto signer = signer_from_options(args);
    if (!signer) return report(signer.error().message());
    eth::RpcClient client(setup.node);
    auto pools = pricing::read_collection_pools(client, setup.registry, *collection);
    if (!pools) return report(pools.error().message());
    auto plan = std::get<TradePlanner>(planner)(client, *pools, (*signer)->address());
    if (!plan) return report(plan.error().message());
    const std::string symbol = setup.registry.symbol_of(*collection).empty() ? collection->to_hex() : setup.registry.symbol_of(*collection);
    std::cerr << (name == "buy" ? "Buy " : "Sell ") << plan->count << " " << symbol << (name == "buy" ? " for " : " for ") << eth_text(plan->total)
              << " ETH " << (name == "buy" ? "from " : "into ") << plan->swaps.size() << " pool(s), signed by " << (*signer)->description() << ":\n";
    for (std::size_t i = 0; i < plan->calls.size(); ++i) std::cerr << "  " << i + 1 << ". " << plan->calls[i].description << "\n";
    std::cerr << "  average " << eth_text(plan->average_price) << " ETH against the best " << eth_text(plan->best_price) << " ETH (impact "
              << plan->impact_bps << " bps); protocol fees " << eth_text(plan->protocol_fees) << " ETH; chain " << setup.registry.chain_id << "\n";
    if (!confirmed(args, command.name)) return 1;

    json swaps = json::array();
    json predicted_spots = json::object();
    for (const auto& swap : plan->swaps) {
        json entry{{"pair", swap.pair.to_hex()}, {"count", swap.count}, {"total", swap.total.to_dec()}, {"protocolFee", swap.protocol_fee.to_dec()},
                   {"newSpotPrice", swap.new_spot_price.to_dec()}};
        if (!swap.token_ids.empty()) {
            entry["tokenIds"] = json::array();
            for (const auto& id : swap.token_ids) entry["tokenIds"].push_back(id.to_dec());
        }
        swaps.push_back(std::move(entry));
        predicted_spots[swap.pair.to_hex()] = swap.new_spot_price.to_dec();
    }
    json out{{"action", plan->action}, {"collection", collection->to_hex()}, {"account", plan->account.to_hex()}, {"count", plan->count},
             {"total", plan->total.to_dec()}, {"averagePrice", plan->average_price.to_dec()}, {"bestPrice", plan->best_price.to_dec()},
             {"priceImpactBps", plan->impact_bps}, {"protocolFees", plan->protocol_fees.to_dec()}, {"planBlock", plan->block}, {"swaps", swaps},
             {"predicted", {{"total", plan->total.to_dec()}, {"spotPrices", predicted_spots}}}};
    std::string failure;
    const bool landed = send_trade(client, **signer, args, setup.registry.chain_id, plan->calls, out, failure);
    // What the pairs say now, beside what the plan said they would.
    json after_spots = json::object();
    const auto head = eth::block_number(client);
    if (head) out["block"] = *head;
    for (const auto& swap : plan->swaps) {
        auto spot = head ? actions::detail::view_at(client, swap.pair, "spotPrice()", {}, "(uint128)", *head) : std::unexpected(head.error());
        after_spots[swap.pair.to_hex()] = spot ? json(positions::detail::u256((*spot)[0]).to_dec()) : json(nullptr);
    }
    out["after"] = {{"spotPrices", after_spots}};
    std::cout << out.dump(2) << "\n";
    return landed ? 0 : report(failure);
}

/// Every --token-id, or the exit code after saying which is not a token id.
std::variant<std::vector<wallet::U256>, int> token_ids_option(const Arguments& args)
{
    std::vector<wallet::U256> ids;
    for (const auto& text : args.values("token-id")) {
        auto id = wallet::U256::from_dec(text);
        if (!id) {
            std::cerr << "nftterm-cli: --token-id: '" << text << "' is not a token id\n";
            return 2;
        }
        ids.push_back(*id);
    }
    return ids;
}

/// --max-total / --min-total: an amount of ETH, or the exit code after saying why.
std::variant<std::optional<wallet::U256>, int> limit_option(const Arguments& args, const char* name)
{
    const auto text = args.value(name);
    if (!text) return std::optional<wallet::U256>();
    auto amount = eth_amount(*text);
    if (!amount) {
        std::cerr << "nftterm-cli: --" << name << ": give an amount of ETH such as 95.5, not '" << *text << "'\n";
        return 2;
    }
    return amount;
}

}  // namespace

int run_buy_command(int argc, char** argv)
{
    return run_trade_command(argc, argv, {"buy", kBuyUsage, {"count", "max-total", "token-id"}, [](const Arguments& args) -> std::variant<TradePlanner, int> {
        auto limit = limit_option(args, "max-total");
        if (auto* code = std::get_if<int>(&limit)) return *code;
        const auto max_total = std::get<0>(limit);
        // Specific NFTs, from the pools that hold them.
        if (args.has("token-id")) {
            if (args.has("count")) {
                std::cerr << "nftterm-cli: buy takes --count N or --token-id ID…, not both\n";
                return 2;
            }
            auto read = token_ids_option(args);
            if (auto* code = std::get_if<int>(&read)) return *code;
            const auto ids = std::get<0>(read);
            return TradePlanner([ids, max_total](eth::RpcClient& client, const pricing::CollectionPools& pools, const wallet::Address& buyer) -> Result<actions::TradePlan> {
                std::vector<std::pair<wallet::U256, wallet::Address>> holders;
                for (const auto& id : ids) {
                    auto owner = actions::detail::view_at(client, pools.collection, "ownerOf(uint256)", {positions::detail::value(id)}, "(address)", pools.block);
                    if (!owner) return fail(Errc::Refused, "NFT #" + id.to_dec() + " has no owner to buy it from: " + owner.error().message());
                    holders.emplace_back(id, positions::detail::address((*owner)[0]));
                }
                return actions::plan_buy_ids(pools, holders, max_total, buyer);
            });
        }
        const auto count_text = args.value("count");
        char* end = nullptr;
        const unsigned long count = count_text ? std::strtoul(count_text->c_str(), &end, 10) : 0;
        if (!count_text || count_text->empty() || *end != '\0' || count == 0 || count > 1000) {
            std::cerr << "nftterm-cli: buy needs --count N (1 to 1000) or --token-id ID…\n";
            return 2;
        }
        return TradePlanner([count, max_total](eth::RpcClient&, const pricing::CollectionPools& pools, const wallet::Address& buyer) {
            return actions::plan_buy(pools, count, max_total, buyer);
        });
    }});
}

int run_sell_command(int argc, char** argv)
{
    return run_trade_command(argc, argv, {"sell", kSellUsage, {"token-id", "min-total"}, [](const Arguments& args) -> std::variant<TradePlanner, int> {
        auto read = token_ids_option(args);
        if (auto* code = std::get_if<int>(&read)) return *code;
        const auto ids = std::get<0>(read);
        if (ids.empty()) {
            std::cerr << "nftterm-cli: sell needs --token-id ID (once per NFT)\n";
            return 2;
        }
        auto limit = limit_option(args, "min-total");
        if (auto* code = std::get_if<int>(&limit)) return *code;
        return TradePlanner([ids, min_total = std::get<0>(limit)](eth::RpcClient& client, const pricing::CollectionPools& pools, const wallet::Address& seller) {
            return actions::plan_sell_owned(client, pools, ids, min_total, seller);
        });
    }});
}

namespace {

constexpr const char* kPoolUsage = R"(usage: nftterm-cli pool create --collection C --type token|nft|trade --curve linear|exponential|xyk --spot V --delta D
                              [--fee F] [--deposit-eth V] [--token-id ID…] KEY [--yes]
       nftterm-cli pool deposit  --collection C --pair ADDRESS [--eth V] [--token-id ID…] KEY [--yes]
       nftterm-cli pool withdraw --collection C --pair ADDRESS [--eth V] [--token-id ID…] KEY [--yes]
       nftterm-cli pool reprice  --collection C --pair ADDRESS [--spot V] [--delta D] [--fee F] KEY [--yes]

Liquidity in a sudoswap-style pool of your own. V are ETH ("25.5"); a linear
curve's --delta is ETH too, an exponential one's a multiplier ("1.05"), an
xyk one's a whole number of virtual NFTs; --fee is a percentage ("1.5") and
only TRADE pools take one. Prints {action, pair, transactions, predicted:
{spotPrice, delta, fee, ethBalance, nftCount}, after: {…}} (wei as decimal
strings): what the pool is after, read back from the chain.
KEY is --keystore FILE --password-file P, --private-key-file F, or --ledger.
)";

json pool_json(const wallet::U256& spot, const wallet::U256& delta, const wallet::U256& fee, const wallet::U256& eth, std::uint64_t nfts)
{
    return {{"spotPrice", spot.to_dec()}, {"delta", delta.to_dec()}, {"fee", fee.to_dec()}, {"ethBalance", eth.to_dec()}, {"nftCount", nfts}};
}

/// A --delta as the curve reads it: ETH for linear, a WAD multiplier for exponential, a plain number for xyk.
std::optional<wallet::U256> delta_of(positions::Curve curve, const std::string& text)
{
    if (curve == positions::Curve::Xyk) {
        auto whole = wallet::U256::from_dec(text);
        return whole ? std::optional(*whole) : std::nullopt;
    }
    auto parsed = wallet::U256::parse_units(text, 18);
    return parsed ? std::optional(*parsed) : std::nullopt;
}

}  // namespace

int run_pool_command(int argc, char** argv)
{
    const Arguments args(argc, argv, {"help", "yes", "no-cache", "ledger"});
    const auto& words = args.positionals();
    const std::string sub = words.size() > 1 ? words[1] : "";
    if (args.has("help") || sub.empty()) {
        std::cout << kPoolUsage << "\n" << kNodeOptionsUsage << kSigningOptionsUsage << kLedgerOptionsUsage;
        return sub.empty() && !args.has("help") ? 2 : 0;
    }
    if (sub != "create" && sub != "deposit" && sub != "withdraw" && sub != "reprice") {
        std::cerr << "nftterm-cli: pool " << sub << ": the pool commands are create, deposit, withdraw and reprice\n";
        return 2;
    }
    std::vector<std::string> options{"collection", "journal", "registry", "type", "curve", "spot", "delta", "fee", "deposit-eth", "token-id", "pair", "eth"};
    options.insert(options.end(), kSignerOptions.begin(), kSignerOptions.end());
    options.insert(options.end(), kSigningOptions.begin(), kSigningOptions.end());
    auto parsed = position_setup(args, "pool", options, false);
    if (auto* code = std::get_if<int>(&parsed)) return *code;
    auto& setup = std::get<PositionSetup>(parsed);
    const std::string name = "pool " + sub;
    const auto usage = [&](const std::string& why) {
        std::cerr << "nftterm-cli: " << name << ": " << why << "\n";
        return 2;
    };
    const auto report = [&](const std::string& why) {
        std::cerr << "nftterm-cli: " << name << ": " << why << "\n";
        return 1;
    };
    const auto named = args.value("collection");
    const auto collection = named ? collection_of(setup.registry, *named) : std::nullopt;
    if (!collection) return usage("needs --collection SYMBOL or ADDRESS");
    auto read_ids = token_ids_option(args);
    if (auto* code = std::get_if<int>(&read_ids)) return *code;
    const auto ids = std::get<0>(read_ids);
    const auto amount = [&](const char* option) -> std::variant<std::optional<wallet::U256>, int> {
        const auto text = args.value(option);
        if (!text) return std::optional<wallet::U256>();
        auto value = eth_amount(*text);
        if (!value) return usage(std::string("--") + option + ": give an amount of ETH such as 25.5, not '" + *text + "'");
        return value;
    };
    const auto percent = [&]() -> std::variant<std::optional<wallet::U256>, int> {
        const auto text = args.value("fee");
        if (!text) return std::optional<wallet::U256>();
        auto value = wallet::U256::parse_units(*text, 16);  // 1 % = 1e16
        if (!value || *value >= *wallet::U256::parse_units("90", 16)) return usage("--fee: a percentage under 90, such as 1.5");
        return std::optional(*value);
    };
    if (!has_signer(args)) return usage(std::string("signs: ") + kNoSigner);
    auto signer = signer_from_options(args);
    if (!signer) return report(signer.error().message());
    const wallet::Address owner = (*signer)->address();
    eth::RpcClient client(setup.node);
    auto pools = pricing::read_collection_pools(client, setup.registry, *collection);
    if (!pools) return report(pools.error().message());
    const auto factory = setup.registry.contract("SudoPairFactory");
    const auto approved = [&](const wallet::Address& spender) {
        auto allowed = actions::detail::view_at(client, *collection, "isApprovedForAll(address,address)",
                                                {positions::detail::value(owner), positions::detail::value(spender)}, "(bool)", pools->block);
        return allowed && positions::detail::boolean((*allowed)[0]);
    };
    const auto find_pool = [&]() -> const pricing::PoolState* {
        const auto pair = args.value("pair") ? wallet::Address::from_hex(*args.value("pair")) : std::nullopt;
        for (const auto& pool : pools->pools)
            if (pair && pool.pair == *pair) return &pool;
        return nullptr;
    };

    Result<actions::PoolPlan> plan = fail(Errc::Refused, "nothing planned");
    if (sub == "create") {
        actions::PoolSpec spec;
        const std::string type = args.value("type").value_or("");
        const std::string curve = args.value("curve").value_or("");
        if (type != "token" && type != "nft" && type != "trade") return usage("--type is token, nft or trade");
        if (curve != "linear" && curve != "exponential" && curve != "xyk") return usage("--curve is linear, exponential or xyk");
        spec.type = type == "token" ? pricing::PoolType::Token : type == "nft" ? pricing::PoolType::Nft : pricing::PoolType::Trade;
        spec.curve = curve == "linear" ? positions::Curve::Linear : curve == "exponential" ? positions::Curve::Exponential : positions::Curve::Xyk;
        auto spot = amount("spot");
        if (auto* code = std::get_if<int>(&spot)) return *code;
        if (!std::get<0>(spot)) return usage("needs --spot V (ETH)");
        spec.spot_price = *std::get<0>(spot);
        const auto delta = args.value("delta") ? delta_of(spec.curve, *args.value("delta")) : std::nullopt;
        if (!delta) return usage("needs --delta D (ETH for linear, a multiplier for exponential, a whole number for xyk)");
        spec.delta = *delta;
        auto fee = percent();
        if (auto* code = std::get_if<int>(&fee)) return *code;
        spec.fee = std::get<0>(fee).value_or(wallet::U256(0));
        auto deposit = amount("deposit-eth");
        if (auto* code = std::get_if<int>(&deposit)) return *code;
        plan = actions::plan_pool_create(setup.registry, *collection, spec, std::get<0>(deposit).value_or(wallet::U256(0)), ids, owner,
                                         factory && approved(*factory));
    } else {
        const auto* pool = find_pool();
        if (!pool) return usage("needs --pair ADDRESS, one of the collection's pools");
        if (sub == "deposit" || sub == "withdraw") {
            auto eth = amount("eth");
            if (auto* code = std::get_if<int>(&eth)) return *code;
            const auto value = std::get<0>(eth).value_or(wallet::U256(0));
            plan = sub == "deposit" ? actions::plan_pool_deposit(setup.registry, *pool, *collection, value, ids, owner, factory && approved(*factory))
                                    : actions::plan_pool_withdraw(*pool, *collection, value, ids, owner);
        } else {
            auto spot = amount("spot");
            if (auto* code = std::get_if<int>(&spot)) return *code;
            auto fee = percent();
            if (auto* code = std::get_if<int>(&fee)) return *code;
            std::optional<wallet::U256> delta;
            if (const auto text = args.value("delta")) {
                delta = delta_of(pool->curve, *text);
                if (!delta) return usage("--delta: '" + *text + "' does not fit the pool's curve");
            }
            plan = actions::plan_pool_reprice(*pool, *collection, std::get<0>(spot), delta, std::get<0>(fee), owner);
        }
    }
    if (!plan) return report(plan.error().message());
    std::cerr << "Pool " << sub << (plan->pair ? " of " + plan->pair->to_hex() : std::string()) << ", signed by " << (*signer)->description() << " on chain "
              << setup.registry.chain_id << ":\n";
    for (std::size_t i = 0; i < plan->calls.size(); ++i) std::cerr << "  " << i + 1 << ". " << plan->calls[i].description << "\n";
    if (!confirmed(args, "pool")) return 1;
    json out{{"action", plan->action}, {"collection", collection->to_hex()}, {"account", owner.to_hex()},
             {"predicted", pool_json(plan->spot_price, plan->delta, plan->fee, plan->eth_balance, plan->nft_count)}};
    std::string failure;
    std::vector<eth::Receipt> receipts;
    const bool landed = send_trade(client, **signer, args, setup.registry.chain_id, plan->calls, out, failure, &receipts);
    std::optional<wallet::Address> pair = plan->pair;
    // A new pair is named by the factory's NewPair event.
    for (const auto& receipt : receipts)
        for (const auto& log : receipt.logs)
            if (!pair && factory && log.address == *factory && log.data.size() == 32)
                pair = wallet::Address::from_hex(wallet::to_hex(wallet::ByteView(log.data).subspan(12)));
    if (pair) {
        out["pair"] = pair->to_hex();
        if (auto after = pricing::read_collection_pools(client, setup.registry, *collection))
            for (const auto& pool : after->pools)
                if (pool.pair == *pair) out["after"] = pool_json(pool.spot_price, pool.delta, pool.fee, pool.eth_balance, pool.nft_count);
    }
    std::cout << out.dump(2) << "\n";
    return landed ? 0 : report(failure);
}

namespace {

constexpr const char* kPerpUsage = R"(usage: nftterm-cli perp open --collection SYMBOL|--amm ADDRESS --side long|short --margin V --leverage L
                            [--max-slippage-bps N] KEY [--yes] [--journal F]

Opens a perp position with ClearingHouse.openPosition, or increases one on
the same side, or from the other side reduces it (for less than its
notional) or reverses it (for more: closed, then the rest opened). V is the
margin in the quote token, L the leverage ("3" or "2.5"). The base limit is
the Amm's exact quote made N basis points worse (default 100), so a market
that moved further makes the trade revert. Before signing: the entry price,
the size, the fee, the initial margin ratio, the margin ratio and the
liquidation price after (by the larger PnL of the spot mark and the
15-minute TWAP, as getMarginRatio), the funding rate now; after: the size,
margin and open notional stored and getMarginRatio. Prints JSON.
KEY is --keystore FILE --password-file P, --private-key-file F, or --ledger.
)";

std::string wad_short(const wallet::U256& value)
{
    std::string text = value.format_units(18);
    if (const auto dot = text.find('.'); dot != std::string::npos && text.size() > dot + 5) text.resize(dot + 5);
    return text;
}

}  // namespace

int run_perp_command(int argc, char** argv)
{
    const Arguments args(argc, argv, {"help", "yes", "no-cache", "ledger"});
    const auto& words = args.positionals();
    const std::string sub = words.size() > 1 ? words[1] : "";
    if (args.has("help") || sub != "open") {
        std::cout << kPerpUsage << "\n" << kNodeOptionsUsage << kSigningOptionsUsage << kLedgerOptionsUsage;
        return args.has("help") ? 0 : 2;
    }
    std::vector<std::string> options{"collection", "amm", "side", "margin", "leverage", "max-slippage-bps", "journal", "registry"};
    options.insert(options.end(), kSignerOptions.begin(), kSignerOptions.end());
    options.insert(options.end(), kSigningOptions.begin(), kSigningOptions.end());
    auto parsed = position_setup(args, "perp", options, false);
    if (auto* code = std::get_if<int>(&parsed)) return *code;
    auto& setup = std::get<PositionSetup>(parsed);
    const auto usage = [](const std::string& why) {
        std::cerr << "nftterm-cli: perp open: " << why << "\n";
        return 2;
    };
    const auto report = [](const std::string& why) {
        std::cerr << "nftterm-cli: perp open: " << why << "\n";
        return 1;
    };
    std::optional<wallet::Address> amm;
    if (const auto text = args.value("amm")) amm = wallet::Address::from_hex(*text);
    else if (const auto symbol = args.value("collection"); symbol && setup.registry.amms.contains(*symbol)) amm = setup.registry.amms.at(*symbol);
    if (!amm) return usage("needs --collection SYMBOL (a collection with a perp Amm) or --amm ADDRESS");
    const auto house = setup.registry.contract("PerpClearingHouse");
    if (!house) return report("the registry names no PerpClearingHouse");
    const std::string side = args.value("side").value_or("");
    if (side != "long" && side != "short") return usage("--side is long or short");
    const auto margin = args.value("margin") ? eth_amount(*args.value("margin")) : std::nullopt;
    if (!margin) return usage("needs --margin V (the quote token, such as 2.5)");
    const auto leverage = args.value("leverage") ? wallet::U256::parse_units(*args.value("leverage"), 18) : wallet::Result<wallet::U256>(wallet::U256(0));
    if (!leverage || leverage->is_zero()) return usage("needs --leverage L (such as 3)");
    std::uint32_t slippage = 100;
    if (const auto text = args.value("max-slippage-bps")) {
        char* end = nullptr;
        const unsigned long value = std::strtoul(text->c_str(), &end, 10);
        if (text->empty() || *end != '\0' || value == 0 || value >= 10000) return usage("--max-slippage-bps is a whole number from 1 to 9999");
        slippage = static_cast<std::uint32_t>(value);
    }
    if (!has_signer(args)) return usage(std::string("signs: ") + kNoSigner);
    auto signer = signer_from_options(args);
    if (!signer) return report(signer.error().message());
    eth::RpcClient client(setup.node);
    auto head = eth::block_number(client);
    if (!head) return report(head.error().message());
    auto trade = actions::plan_perp_trade(client, *house, *amm, (*signer)->address(), side == "long", *margin, *leverage, slippage, *head);
    if (!trade) return report(trade.error().message());
    std::cerr << "Perp " << trade->kind << " on Amm " << amm->to_hex() << ", signed by " << (*signer)->description() << " on chain " << setup.registry.chain_id << ":\n";
    for (std::size_t i = 0; i < trade->plan.calls.size(); ++i) std::cerr << "  " << i + 1 << ". " << trade->plan.calls[i].description << "\n";
    std::cerr << "  size " << (trade->size_before.negative ? "-" : "") << wad_short(trade->size_before.magnitude) << " → " << (trade->size_after.negative ? "-" : "")
              << wad_short(trade->size_after.magnitude) << "; entry price " << wad_short(trade->entry_price)
              << (trade->initial_ratio ? "; margin ratio at entry " + wad_short(*trade->initial_ratio * wallet::U256(100)) + " %" : std::string()) << "\n";
    const auto percent_text = [](const positions::SignedWad& v) { return (v.negative && !v.magnitude.is_zero() ? "-" : "") + wad_short(v.magnitude * wallet::U256(100)) + " %"; };
    if (const auto& after = trade->after)
        std::cerr << "  after: margin " << wad_short(after->margin) << ", margin ratio " << percent_text(after->margin_ratio) << " ("
                  << (after->ratio_by_spot ? "by the spot mark" : "by the 15-minute TWAP, which moves with time") << "; maintenance "
                  << wad_short(trade->maintenance_ratio * wallet::U256(100)) << " %), liquidation price "
                  << (after->liquidation_price ? wad_short(*after->liquidation_price) : std::string("none")) << "\n";
    std::cerr << "  funding rate now " << percent_text(trade->funding_rate) << " per " << actions::period_text(trade->funding_period)
              << " (longs pay shorts when positive)\n";
    if (!confirmed(args, "perp open")) return 1;
    const auto signed_text = [](const positions::SignedWad& v) { return (v.negative && !v.magnitude.is_zero() ? "-" : "") + v.magnitude.to_dec(); };
    json predicted{{"size", signed_text(trade->size_after)}, {"initialMarginRatio", trade->initial_ratio ? json(trade->initial_ratio->to_dec()) : json(nullptr)},
                   {"margin", nullptr}, {"openNotional", nullptr}, {"marginRatio", nullptr}, {"marginRatioBy", nullptr}, {"liquidationPrice", nullptr}};
    if (const auto& after = trade->after) {
        predicted["margin"] = after->margin.to_dec();
        predicted["openNotional"] = after->open_notional.to_dec();
        predicted["marginRatio"] = signed_text(after->margin_ratio);
        predicted["marginRatioBy"] = after->ratio_by_spot ? "spot" : "twap";
        if (after->liquidation_price) predicted["liquidationPrice"] = after->liquidation_price->to_dec();
    }
    json out{{"action", trade->plan.action}, {"kind", trade->kind}, {"amm", amm->to_hex()}, {"side", side}, {"margin", trade->margin.to_dec()},
             {"leverage", leverage->to_dec()}, {"openNotional", trade->open_notional.to_dec()}, {"entryPrice", trade->entry_price.to_dec()},
             {"fee", trade->fee.to_dec()}, {"baseLimit", trade->base_limit.to_dec()}, {"planBlock", *head},
             {"fundingRate", signed_text(trade->funding_rate)}, {"fundingPeriod", trade->funding_period},
             {"maintenanceMarginRatio", trade->maintenance_ratio.to_dec()}, {"predicted", predicted}};
    std::string failure;
    const bool landed = send_trade(client, **signer, args, setup.registry.chain_id, trade->plan.calls, out, failure);
    if (auto after = eth::block_number(client)) {
        auto stored = actions::detail::view_at(client, *house, "getPosition(address,address)",
                                               {positions::detail::value(*amm), positions::detail::value((*signer)->address())},
                                               "(((int256),(uint256),(uint256),(int256),uint256,uint256))", *after);
        auto ratio = actions::detail::view_at(client, *house, "getMarginRatio(address,address)",
                                              {positions::detail::value(*amm), positions::detail::value((*signer)->address())}, "((int256))", *after);
        json now = json::object();
        if (stored) {
            const auto& fields = positions::detail::list((*stored)[0]);
            now["size"] = signed_text(positions::detail::signed_wad(positions::detail::list(fields[0])[0]));
            now["margin"] = positions::detail::u256(positions::detail::list(fields[1])[0]).to_dec();
            now["openNotional"] = positions::detail::u256(positions::detail::list(fields[2])[0]).to_dec();
        }
        if (ratio) now["marginRatio"] = signed_text(positions::detail::signed_wad(positions::detail::list((*ratio)[0])[0]));
        out["after"] = now;
        out["block"] = *after;
    }
    std::cout << out.dump(2) << "\n";
    return landed ? 0 : report(failure);
}

int run_book_command(int argc, char** argv)
{
    const Arguments args(argc, argv, {"help", "json", "no-cache"});
    if (args.has("help")) {
        std::cout << kBookUsage << "\n" << kNodeOptionsUsage;
        return 0;
    }
    auto parsed = position_setup(args, "book", {"collection", "depth", "json", "registry"}, false);
    if (auto* code = std::get_if<int>(&parsed)) return *code;
    auto& setup = std::get<PositionSetup>(parsed);
    const auto named = args.value("collection");
    const auto collection = named ? collection_of(setup.registry, *named) : std::nullopt;
    if (!collection) {
        std::cerr << "nftterm-cli: book needs --collection SYMBOL or ADDRESS (" << (named ? "'" + *named + "' is neither" : "none given") << ")\n";
        return 2;
    }
    std::size_t depth = 10;
    if (const auto text = args.value("depth")) {
        char* end = nullptr;
        const unsigned long value = std::strtoul(text->c_str(), &end, 10);
        if (text->empty() || *end != '\0' || value == 0 || value > 10000) {
            std::cerr << "nftterm-cli: --depth is a whole number from 1 to 10000\n";
            return 2;
        }
        depth = value;
    }
    eth::RpcClient client(setup.node);
    auto pools = pricing::read_collection_pools(client, setup.registry, *collection);
    if (!pools) {
        std::cerr << "nftterm-cli: book: " << pools.error().message() << "\n";
        return 1;
    }
    const auto book = pricing::build_book(*pools, depth);
    const std::string symbol = setup.registry.symbol_of(*collection);
    if (args.has("json")) {
        json out{{"collection", collection->to_hex()}, {"symbol", symbol}, {"block", book.block}, {"asks", levels_json(book.asks)},
                 {"bids", levels_json(book.bids)}};
        out["bestAsk"] = book.asks.empty() ? json(nullptr) : json(book.asks.front().price.to_dec());
        out["bestBid"] = book.bids.empty() ? json(nullptr) : json(book.bids.front().price.to_dec());
        out["spread"] = book.asks.empty() || book.bids.empty() || book.asks.front().price < book.bids.front().price
                            ? json(nullptr)
                            : json((book.asks.front().price - book.bids.front().price).to_dec());
        std::cout << out.dump(2) << "\n";
        return 0;
    }
    std::cout << (symbol.empty() ? collection->to_hex() : symbol) << " at block " << book.block << " (" << pools->pools.size() << " pools)\n";
    std::cout << "  asks (ETH, cheapest first)              bids (ETH, best first)\n";
    for (std::size_t i = 0; i < std::max(book.asks.size(), book.bids.size()); ++i) {
        std::string left = i < book.asks.size() ? eth_text(book.asks[i].price) + " (" + std::to_string(book.asks[i].cumulative_count) + ")" : "";
        left.resize(40, ' ');
        std::cout << "  " << left << (i < book.bids.size() ? eth_text(book.bids[i].price) + " (" + std::to_string(book.bids[i].cumulative_count) + ")" : "")
                  << "\n";
    }
    return 0;
}

}  // namespace nftterm::cli
