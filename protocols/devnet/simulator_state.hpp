#pragma once

// Internal to the market simulator: its state and the parts of a step, one
// file each (the market, the pools' arbitrage, the keeper, the demo traders).

#include "market_simulator.hpp"
#include "seeding.hpp"

#include <protocols/positions/monitor.hpp>

#include <nlohmann/json.hpp>

#include <memory>
#include <set>

namespace nftterm::protocols::devnet {

namespace simulator {

double to_eth(const wallet::U256& wei);
/// Gwei precision: plenty for prices and amounts, and exact in a double.
wallet::U256 from_eth(double eth);
wallet::U256 u(const nlohmann::json& value);
std::string str(std::uint64_t value);

/// One pair's best quote for one NFT, as the simulator trades it.
struct PairQuote {
    const SeededPair* pair = nullptr;
    std::optional<wallet::U256> ask;  // what buying one NFT costs, fees in
    std::optional<wallet::U256> bid;  // what selling one fetches, fees out
};

}  // namespace simulator

struct MarketSimulator::State {
    State(eth::RpcClient& client, Manifest manifest_, const SimulatorOptions& options_, const std::filesystem::path& journal,
          std::vector<detail::Actor> actors_)
        : world(client, journal), manifest(std::move(manifest_)), options(options_), actors(std::move(actors_))
    {
    }

    detail::World world;
    Manifest manifest;
    SimulatorOptions options;
    std::vector<detail::Actor> actors;
    std::vector<std::pair<std::string, wallet::Address>> collections;
    std::vector<PricePath> paths;
    std::mt19937_64 choices;
    std::set<std::pair<wallet::Address, wallet::Address>> approvals;  // (owner, operator) set once
    std::uint64_t steps = 0;
    /// The chain's clock at the step's start.
    std::uint64_t now = 0;
    /// Every AMM pair the simulator trades: the seeded ones and those the demo traders open.
    std::vector<SeededPair> pairs;

    /// The demo traders' positions as the terminal reads them.
    std::unique_ptr<positions::Monitor> monitor;
    std::shared_ptr<const positions::Snapshot> book;
    /// Position id → when the demo traders last touched it (top-ups once an hour at most).
    std::map<std::string, std::uint64_t> last_adjusted;
    /// Perp slot (Amm, trader) → when it was liquidated: it opens again after a pause.
    std::map<std::pair<wallet::Address, wallet::Address>, std::uint64_t> perp_liquidated_at;
    /// Perp slot → when the keeper first saw it under maintenance.
    std::map<std::pair<wallet::Address, wallet::Address>, std::uint64_t> perp_below_since;
    std::uint64_t next_nonce = 0;
    std::uint64_t last_perp_close = 0;
    std::uint64_t last_critical_loan = 0;

    const detail::Actor& who(const char* name) const { return detail::actor_named(actors, name); }
    const detail::Actor* actor_at(const wallet::Address& address) const;
    wallet::Address contract(const char* name) const { return manifest.contracts.at(name); }
    std::size_t collection_index(const wallet::Address& collection) const;
    /// The chance that something happening `per_hour` times an hour happens in one step.
    double chance(double per_hour) const;
    double uniform();

    void attempt(StepReport& report, const std::string& what, const Result<eth::Receipt>& result)
    {
        if (!result) report.errors.push_back(what + ": " + result.error().message());
    }
    /// setApprovalForAll / approve once per (owner, operator).
    void approve_nfts(StepReport& report, const detail::Actor& owner, const wallet::Address& collection, const wallet::Address& op);
    /// A fresh NFT of `collection` for `to` (the deployer mints: the demo's supply is unlimited).
    std::optional<std::uint64_t> mint(StepReport& report, std::size_t collection, const detail::Actor& to);
    /// WETH for `actor` when it runs under `low` (wraps `amount` of its ETH).
    void keep_weth(StepReport& report, const detail::Actor& actor, std::uint64_t low, std::uint64_t amount);
    /// ETH for `actor` when it runs under `low`: its balance set to `high` (anvil_setBalance). The
    /// arbitrageur and the market maker stand for the wider market, whose money does not run out.
    void keep_eth(StepReport& report, const detail::Actor& actor, std::uint64_t low, std::uint64_t high);

    // market_simulator.cpp
    void advance_clock(StepReport& report);
    void move_prices(StepReport& report);
    void report_feeds(StepReport& report);
    void read_book(StepReport& report);
    void count_book(StepReport& report) const;

    // pool_arbitrage.cpp
    std::vector<simulator::PairQuote> quote_pairs(std::size_t collection);
    void quote_pair(simulator::PairQuote& quote);
    bool buy_from(StepReport& report, std::size_t collection, simulator::PairQuote& quote);
    bool sell_to(StepReport& report, std::size_t collection, simulator::PairQuote& quote);
    void trade_pools(StepReport& report);
    // pool_maker.cpp
    void make_pools(StepReport& report);

    // market_keeper.cpp
    void trade_perps(StepReport& report);
    void top_up_maker(StepReport& report, const wallet::Address& amm);
    void keep_pool_loans(StepReport& report);
    void keep_perps(StepReport& report);
    void foreclose_p2p(StepReport& report);

    // demo_traders.cpp
    void traders_act(StepReport& report);
    void tend_pool_loans(StepReport& report);
    void tend_p2p_loans(StepReport& report);
    void tend_perps(StepReport& report);
    void open_pools(StepReport& report);
};

}  // namespace nftterm::protocols::devnet
