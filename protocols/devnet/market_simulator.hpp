#pragma once

#include <protocols/devnet/demo_world.hpp>
#include <protocols/eth/rpc/rpc_client.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace nftterm::protocols::devnet {

/// What one simulator step did, for the stream the CLI prints.
struct StepReport {
    std::uint64_t step = 0;
    std::uint64_t block = 0;
    /// Collection symbol → oracle floor pushed this step (wei, decimal).
    std::map<std::string, std::string> prices;
    std::uint32_t pool_trades = 0;
    std::uint32_t perp_trades = 0;
    std::vector<std::string> funding;       // Amm symbols whose funding was settled
    std::vector<std::string> liquidations;  // "benddao auction DAPE #201", "perp DAPE 0x…", …
    std::vector<std::string> errors;        // actions that failed; the simulator goes on
};

std::string step_report_to_json(const StepReport& report);

/// Seeded price path for one collection: a mean-reverting random walk in
/// log price (1 % per step) with occasional jumps of 8–20 % either way.
/// Depends only on the seed and the step count, never on the chain.
class PricePath {
public:
    PricePath(std::uint64_t seed, double start_price);
    double next();
    double price() const { return m_price; }

private:
    double uniform();
    double gaussian();

    std::mt19937_64 m_random;
    double m_start;
    double m_price;
};

/// A live market on the seeded devnet. Each step: moves every collection's
/// floor (PricePath) and pushes it to the oracle, trades against the AMM
/// pools (arbitrage towards the floor, some noise), trades the perps' mark
/// towards the index and settles funding when due, and lets the keeper
/// auction / liquidate pool loans and perp positions and lenders foreclose
/// overdue P2P loans. Every transaction is signed by the project's code.
class MarketSimulator {
public:
    static Result<std::unique_ptr<MarketSimulator>> create(eth::RpcClient& client, Manifest manifest, std::uint64_t seed,
                                                           const std::filesystem::path& journal);
    ~MarketSimulator();

    /// One step; an error only when the node cannot be reached at all.
    Result<StepReport> step();

private:
    struct State;
    explicit MarketSimulator(std::unique_ptr<State> state);
    std::unique_ptr<State> m_state;
};

}  // namespace nftterm::protocols::devnet
