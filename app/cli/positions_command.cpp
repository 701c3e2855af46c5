#include "positions_command.hpp"

#include "arguments.hpp"
#include "node_options.hpp"
#include "position_setup.hpp"

#include <protocols/positions/fixed_point.hpp>
#include <protocols/positions/monitor.hpp>
#include <protocols/positions/position_json.hpp>
#include <protocols/risk/stress.hpp>
#include <wallet/accounts/account_store.hpp>
#include <wallet/accounts/atomic_file.hpp>

#include <nlohmann/json.hpp>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <thread>

namespace nftterm::cli {
namespace {

using namespace nftterm::protocols;
using namespace nftterm::protocols::positions;

const std::string kUsage = std::string(R"(usage: nftterm-cli positions --account ADDR [--account …] [--registry FILE] [--json] [node options]
       nftterm-cli watch     --account ADDR [--account …] [--registry FILE] [--json] [--interval-ms M] [node options]

Every NFT-finance position of the accounts (P2P loans, pool loans, AMM pools,
perps) with its health figures, read in one Multicall3 request at the head
block. `watch` prints a line per new block until interrupted.

  --registry FILE  where the protocols live on this chain (default: the
                   devnet manifest DATA_DIR/devnet/manifest.json, whose
                   rpc_url is also the default node)
  --json           positions: a JSON array, one object per position (id,
                   protocol, collection, tokenId, collateralValue, debt,
                   healthFactor, marginRatio, liquidationPrice, maturity,
                   priceSource, priceAgeSeconds, …; integers as decimal
                   strings, WAD for ratios); watch: one JSON object per block
                   with the positions, each collection's prices and what
                   changed since the previous block ("changes")
)") + kCacheUsage + "\n" + kNodeOptionsUsage;

std::atomic<bool> g_stop{false};

std::string eth_text(const wallet::U256& wei)
{
    const std::string text = wei.format_units(18);
    const auto dot = text.find('.');
    return dot == std::string::npos ? text : text.substr(0, std::min(text.size(), dot + 5));
}

std::string ratio_text(const wallet::U256& wad)
{
    if (wad == wallet::U256::max()) return "inf";
    return eth_text(wad);
}

/// A collection by its registry symbol where it has one: "DAPE 0xCf7E…0Fc9".
std::string collection_text(const Registry& registry, const wallet::Address& collection)
{
    const std::string hex = collection.to_hex();
    const std::string symbol = registry.symbol_of(collection);
    return symbol.empty() ? hex : symbol + " " + hex.substr(0, 6) + ".." + hex.substr(hex.size() - 4);
}

void print_table(const Snapshot& snapshot, const Registry& registry)
{
    std::printf("block %llu, %zu positions\n", static_cast<unsigned long long>(snapshot.block.number), snapshot.positions.size());
    std::printf("%-9s %-44s %-7s %12s %12s %12s %10s %12s %-12s %s\n", "protocol", "collection", "token", "collateral", "exit", "debt",
                "health", "liq. price", "state", "price");
    for (const auto& p : snapshot.positions) {
        if (!p.readable) {
            std::printf("%-9s %-44s unreadable: %s\n", std::string(to_string(p.key.protocol)).c_str(), p.key.id().c_str(), p.unreadable_reason.c_str());
            continue;
        }
        std::string health = "-";
        if (p.health_factor) health = "HF " + ratio_text(*p.health_factor);
        if (p.margin_ratio) health = "MR " + std::string(p.margin_ratio->negative ? "-" : "") + ratio_text(p.margin_ratio->magnitude);
        if (p.maturity) health = "due " + std::to_string(static_cast<long long>(*p.maturity) - static_cast<long long>(snapshot.block.timestamp)) + "s";
        std::printf("%-9s %-44s %-7s %12s %12s %12s %10s %12s %-12s %s, %llus%s\n", std::string(to_string(p.key.protocol)).c_str(), collection_text(registry, p.collection).c_str(),
                    p.token_id ? p.token_id->to_dec().c_str() : "-", eth_text(p.collateral_value).c_str(),
                    p.exit_value ? eth_text(*p.exit_value).c_str() : "-", eth_text(p.debt).c_str(),
                    health.c_str(), p.liquidation_price ? eth_text(*p.liquidation_price).c_str() : "-", std::string(to_string(p.state)).c_str(),
                    p.price_source.c_str(), static_cast<unsigned long long>(p.price_age_seconds), p.price_stale ? " STALE" : "");
    }
    if (snapshot.prices.empty()) return;
    std::printf("\n%-44s %-22s %-22s %-22s %-22s %-22s\n", "collection prices (ETH, age)", "oracle", "feed", "best pool bid", "trade floor 24h",
                "trade TWAP 24h");
    const auto cell = [](const std::optional<pricing::PriceQuote>& quote) {
        if (!quote) return std::string("-");
        return eth_text(quote->price) + " " + std::to_string(quote->age_seconds) + "s" + (quote->stale ? " STALE" : "");
    };
    for (const auto& prices : snapshot.prices)
        std::printf("%-44s %-22s %-22s %-22s %-22s %-22s\n", collection_text(registry, prices.collection).c_str(), cell(prices.oracle).c_str(), cell(prices.feed).c_str(),
                    cell(prices.best_bid).c_str(), cell(prices.trade_floor).c_str(), cell(prices.trade_twap).c_str());
}

}  // namespace

int run_positions_command(int argc, char** argv)
{
    const Arguments args(argc, argv, {"help", "json", "no-cache"});
    if (args.has("help")) {
        std::cout << kUsage;
        return 0;
    }
    auto parsed = position_setup(args, "positions", {"account", "registry", "json"});
    if (auto* code = std::get_if<int>(&parsed)) return *code;
    auto& s = std::get<PositionSetup>(parsed);
    eth::RpcClient client(s.node);
    Monitor monitor(client, s.registry, s.accounts);
    if (auto found = discover_positions(monitor, client, s); !found) {
        std::cerr << "nftterm-cli: positions: " << found.error().message() << "\n";
        return 1;
    }
    auto snapshot = monitor.refresh();
    if (!snapshot) {
        std::cerr << "nftterm-cli: positions: " << snapshot.error().message() << "\n";
        return 1;
    }
    if (args.has("json")) {
        std::cout << "[";
        for (std::size_t i = 0; i < (*snapshot)->positions.size(); ++i)
            std::cout << (i ? ",\n " : "") << position_to_json((*snapshot)->positions[i], s.registry);
        std::cout << "]\n";
    } else {
        print_table(**snapshot, s.registry);
    }
    return 0;
}

int run_stress_command(int argc, char** argv)
{
    const Arguments args(argc, argv, {"help", "json", "no-cache"});
    if (args.has("help")) {
        std::cout << "usage: nftterm-cli stress --account ADDR [--account …] [--registry FILE] [--shock PERCENT]… [--json] [node options]\n\n"
                     "The portfolio's totals and what price drops of every collection (default -10 %, -25 %, -50 %) do:\n"
                     "the mark-to-market loss, which positions become liquidatable, which fixed-term loans go underwater.\n";
        return 0;
    }
    auto parsed = position_setup(args, "stress", {"account", "registry", "json", "shock"});
    if (auto* code = std::get_if<int>(&parsed)) return *code;
    auto& s = std::get<PositionSetup>(parsed);
    std::vector<unsigned> shocks;
    for (const auto& text : args.values("shock")) {
        const int percent = std::atoi(text.c_str());
        if (percent <= 0 || percent >= 100 || std::to_string(percent) != text) {
            std::cerr << "nftterm-cli: --shock is a whole percent between 1 and 99\n";
            return 2;
        }
        shocks.push_back(static_cast<unsigned>(percent));
    }
    if (shocks.empty()) shocks = {10, 25, 50};
    eth::RpcClient client(s.node);
    Monitor monitor(client, s.registry, s.accounts);
    if (auto found = discover_positions(monitor, client, s); !found) {
        std::cerr << "nftterm-cli: stress: " << found.error().message() << "\n";
        return 1;
    }
    auto snapshot = monitor.refresh();
    if (!snapshot) {
        std::cerr << "nftterm-cli: stress: " << snapshot.error().message() << "\n";
        return 1;
    }
    const auto summary = risk::summarize(**snapshot);
    const auto rows = risk::stress(**snapshot, shocks);
    auto optional_text = [](const std::optional<wallet::U256>& v) { return v ? nlohmann::json(v->to_dec()) : nlohmann::json(nullptr); };
    if (args.has("json")) {
        nlohmann::json out = {{"block", (*snapshot)->block.number},
                              {"summary",
                               {{"totalCollateral", summary.total_collateral.to_dec()},
                                {"totalDebt", summary.total_debt.to_dec()},
                                {"worstHealthFactor", optional_text(summary.worst_health_factor)},
                                {"weightedHealthFactor", optional_text(summary.weighted_health_factor)},
                                {"worstMarginRatio", summary.worst_margin_ratio ? nlohmann::json(fixed::to_string(*summary.worst_margin_ratio)) : nlohmann::json(nullptr)},
                                {"costPerDay", fixed::to_string(summary.cost_per_day)},
                                {"unreadable", summary.unreadable}}},
                              {"stress", nlohmann::json::array()}};
        for (const auto& row : rows)
            out["stress"].push_back({{"shockPercent", row.shock_percent}, {"loss", fixed::to_string(row.loss)}, {"liquidated", row.liquidated},
                                     {"underwater", row.underwater}});
        std::cout << out.dump(2) << "\n";
        return 0;
    }
    std::printf("block %llu: collateral %s, debt %s, worst HF %s, weighted HF %s, cost per day %s%s\n",
                static_cast<unsigned long long>((*snapshot)->block.number), eth_text(summary.total_collateral).c_str(),
                eth_text(summary.total_debt).c_str(), summary.worst_health_factor ? ratio_text(*summary.worst_health_factor).c_str() : "-",
                summary.weighted_health_factor ? ratio_text(*summary.weighted_health_factor).c_str() : "-",
                (summary.cost_per_day.negative ? "-" + eth_text(summary.cost_per_day.magnitude) : eth_text(summary.cost_per_day.magnitude)).c_str(),
                summary.unreadable ? (", " + std::to_string(summary.unreadable) + " unreadable").c_str() : "");
    std::printf("%8s %14s %12s %12s\n", "shock", "loss (ETH)", "liquidated", "underwater");
    for (const auto& row : rows)
        std::printf("%7d%% %14s %12zu %12zu\n", -static_cast<int>(row.shock_percent),
                    ((row.loss.negative ? "-" : "") + eth_text(row.loss.magnitude)).c_str(), row.liquidated.size(), row.underwater.size());
    for (const auto& row : rows)
        for (const auto& id : row.liquidated) std::printf("  -%u%%: %s liquidatable\n", row.shock_percent, id.c_str());
    return 0;
}

int run_watch_command(int argc, char** argv)
{
    const Arguments args(argc, argv, {"help", "json", "no-cache"});
    if (args.has("help")) {
        std::cout << kUsage;
        return 0;
    }
    auto parsed = position_setup(args, "watch", {"account", "registry", "json", "interval-ms"});
    if (auto* code = std::get_if<int>(&parsed)) return *code;
    auto& s = std::get<PositionSetup>(parsed);
    const auto interval_ms = interval_option(args);
    if (!interval_ms) return 2;
    const auto interval = std::chrono::milliseconds(*interval_ms);
    eth::RpcClient client(s.node);
    Monitor monitor(client, s.registry, s.accounts);
    std::signal(SIGINT, [](int) { g_stop = true; });
    std::signal(SIGTERM, [](int) { g_stop = true; });
    prepare_discovery(monitor, client, s);
    const auto save = [&] {
        if (!s.state_file) return;
        if (auto saved = monitor.save_state(*s.state_file); !saved) std::cerr << "nftterm-cli: warning: " << saved.error().message() << "\n";
    };
    std::uint64_t last_block = 0;
    std::uint64_t refreshes = 0;
    std::shared_ptr<const Snapshot> previous;
    while (!g_stop) {
        auto head = eth::block_number(client);
        if (head && *head != last_block) {
            // New positions are found as their events arrive; then one read of all of them.
            auto found = monitor.discover();
            auto snapshot = found ? monitor.refresh() : std::unexpected(found.error());
            if (!snapshot) {
                std::cerr << "nftterm-cli: watch: " << snapshot.error().message() << "\n";
            } else {
                // The head discovery scanned to, not the snapshot's block: a block that landed between the two
                // (the refresh reads the newest head) is scanned at the next turn, or its new positions would wait for another.
                last_block = *head;
                if (++refreshes % 50 == 1) save();  // a restart rescans at most 50 blocks
                const auto changes = diff_snapshots(previous.get(), **snapshot);
                if (args.has("json")) std::cout << snapshot_to_json(**snapshot, s.registry, -1, &changes) << std::endl;
                else print_table(**snapshot, s.registry);
                previous = *snapshot;
            }
        } else if (!head) {
            std::cerr << "nftterm-cli: watch: " << head.error().message() << "\n";
        }
        std::this_thread::sleep_for(interval);
    }
    save();
    return 0;
}

}  // namespace nftterm::cli
