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
    /// The AMM market maker's changeSpotPrice calls (its pools moved back around the floor).
    std::uint32_t pool_repricings = 0;
    std::vector<std::string> funding;       // Amm symbols whose funding was settled
    std::vector<std::string> liquidations;  // "benddao auction DAPE #201", "perp DAPE 0x…", …
    std::vector<std::string> errors;        // actions that failed; the simulator goes on
    /// The chain's clock at the step's end (unix seconds).
    std::uint64_t time = 0;
    /// What the demo traders did: positions opened ("benddao DAPE #100004 alice to health 1.085"),
    /// and topped up, grown or repaid ("benddao … topped up to health 1.6", "nftfi #12 repaid").
    std::vector<std::string> opened;
    std::vector<std::string> adjusted;
    /// The demo traders' book after the step as the terminal reads it (the
    /// position monitor), by protocol and by the terminal's default risk bands.
    struct Bands {
        std::uint32_t safe = 0, warning = 0, critical = 0, unknown = 0;
        friend bool operator==(const Bands&, const Bands&) = default;
    };
    std::map<std::string, Bands> book;
    /// Collection symbol → the AMM pools' best bid and ask for one NFT after the step's trades (wei, decimal; "" when none).
    std::map<std::string, std::pair<std::string, std::string>> quotes;
};

std::string step_report_to_json(const StepReport& report);

/// Seeded price path for one collection: its log price an Ornstein-Uhlenbeck
/// walk around the seeded floor (`anchor`; 15 % an hour, half-life one hour,
/// so about 13 % from it at most times) with jumps of 5–15 % either way about
/// every two hours. Depends only on the seed and the times asked, never on
/// the chain.
class PricePath {
public:
    PricePath(std::uint64_t seed, double start_price, double anchor);
    /// The floor `seconds` later.
    double next(double seconds);
    double price() const { return m_price; }
    double anchor() const { return m_anchor; }

private:
    double uniform();
    double gaussian();

    std::mt19937_64 m_random;
    double m_anchor;
    double m_price;
};

struct SimulatorOptions {
    std::uint64_t seed = 1;
    /// Simulated seconds per step: how far the price paths move each step.
    double step_seconds = 1;
    /// Also move the chain's clock that far each step (anvil's
    /// evm_increaseTime), so that interest, funding, auctions and maturities
    /// keep pace at full speed. Off for a live demo: the node's clock runs.
    bool warp_clock = false;
    /// The demo traders open loans, pools and perps, grow, top up and repay
    /// them, so every family keeps safe, warning and critical rows as the
    /// keeper liquidates. Off: the market and the keeper only.
    bool traders = true;
    /// How long a perp stays under maintenance before the keeper liquidates
    /// it: keepers are not instant, and a newcomer should see a liquidatable
    /// row (and may save it with margin) rather than only its end.
    std::uint64_t perp_keeper_delay_seconds = 600;
};

/// A live market on the seeded devnet. Each step: moves every collection's
/// floor (PricePath) and pushes it to the oracle, arbitrages the AMM pools'
/// best bid and ask back around the floor (and trades some noise), trades
/// the perps' mark towards the index and settles funding when due, lets the
/// keeper auction / liquidate pool loans and perp positions and lenders
/// foreclose overdue P2P loans, and lets the demo traders keep their book
/// alive. Every transaction is signed by the project's code.
class MarketSimulator {
public:
    static Result<std::unique_ptr<MarketSimulator>> create(eth::RpcClient& client, Manifest manifest, const SimulatorOptions& options,
                                                           const std::filesystem::path& journal);
    /// The market and the keeper alone (no demo traders), a second a step.
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
