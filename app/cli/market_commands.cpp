#include "market_commands.hpp"

#include "arguments.hpp"
#include "node_options.hpp"
#include "position_setup.hpp"

#include <protocols/pricing/order_book.hpp>

#include <nlohmann/json.hpp>

#include <cstdlib>
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

/// The collection named by a symbol of the registry or an address.
std::optional<wallet::Address> collection_of(const positions::Registry& registry, const std::string& text)
{
    if (auto address = wallet::Address::from_hex(text)) return address;
    if (auto listed = registry.contract(text); listed && registry.symbol_of(*listed) == text) return listed;
    return std::nullopt;
}

}  // namespace

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
