#include "simulator_state.hpp"

#include <protocols/eth/rpc/eth_api.hpp>
#include <protocols/risk/risk_level.hpp>

#include <cmath>

namespace nftterm::protocols::devnet {

using nlohmann::json;
using wallet::Address;
using wallet::U256;
using namespace detail;
using namespace simulator;

namespace {

/// Log-price volatility per √hour, mean reversion per hour (half-life one
/// hour) and jumps: lively enough that a live window sees healths move
/// within minutes, tame enough that the book outlives the day.
constexpr double kVolatilityPerHour = 0.15;
constexpr double kReversionPerHour = 0.6931471805599453;
constexpr double kJumpsPerHour = 0.5;
constexpr double kJumpSmallest = 0.05;
constexpr double kJumpLargest = 0.15;
/// The floor feed reports like a Chainlink node: on a 2 % move or after an hour.
constexpr double kFeedDeviation = 0.02;
constexpr std::uint64_t kFeedHeartbeatSeconds = 3600;

}  // namespace

namespace simulator {

U256 from_eth(double eth)
{
    return U256(static_cast<std::uint64_t>(std::llround(std::max(eth, 0.0) * 1e9))) * U256(1000000000ULL);
}

double to_eth(const U256& wei)
{
    return wei.native().convert_to<double>() / 1e18;
}

U256 u(const json& value)
{
    return *U256::from_dec(value.get<std::string>());
}

std::string str(std::uint64_t value)
{
    return "\"" + std::to_string(value) + "\"";
}

}  // namespace simulator

PricePath::PricePath(std::uint64_t seed, double start_price, double anchor) : m_random(seed), m_anchor(anchor), m_price(start_price) {}

double PricePath::uniform()
{
    // 53 random bits: the same doubles from the same seed on every platform.
    return static_cast<double>(m_random() >> 11) * 0x1.0p-53;
}

double PricePath::gaussian()
{
    // Box-Muller; std::normal_distribution's algorithm is not specified.
    const double u1 = std::max(uniform(), 1e-300);
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

double PricePath::next(double seconds)
{
    // The exact Ornstein-Uhlenbeck transition over the interval: the same
    // market whatever the step length.
    const double hours = std::max(seconds, 0.0) / 3600.0;
    const double decay = std::exp(-kReversionPerHour * hours);
    const double spread = kVolatilityPerHour * std::sqrt((1.0 - decay * decay) / (2.0 * kReversionPerHour));
    double deviation = std::log(m_price / m_anchor) * decay + spread * gaussian();
    const double jump_draw = uniform();
    const double jump_size = kJumpSmallest + (kJumpLargest - kJumpSmallest) * uniform();
    const double jump_sign = uniform() < 0.5 ? -1.0 : 1.0;
    if (jump_draw < 1.0 - std::exp(-kJumpsPerHour * hours)) deviation += jump_sign * jump_size;
    m_price = m_anchor * std::exp(deviation);
    return m_price;
}

std::string step_report_to_json(const StepReport& report)
{
    json book = json::object();
    for (const auto& [protocol, bands] : report.book)
        book[protocol] = {{"safe", bands.safe}, {"warning", bands.warning}, {"critical", bands.critical}, {"unknown", bands.unknown}};
    json quotes = json::object();
    for (const auto& [symbol, quote] : report.quotes) quotes[symbol] = {{"bid", quote.first}, {"ask", quote.second}};
    json out = {{"step", report.step}, {"block", report.block}, {"time", report.time}, {"prices", report.prices},
                {"pool_trades", report.pool_trades}, {"pool_repricings", report.pool_repricings}, {"perp_trades", report.perp_trades}, {"funding", report.funding},
                {"liquidations", report.liquidations}, {"opened", report.opened}, {"adjusted", report.adjusted},
                {"book", book}, {"quotes", quotes}, {"errors", report.errors}};
    return out.dump();
}

const Actor* MarketSimulator::State::actor_at(const Address& address) const
{
    for (const auto& actor : actors)
        if (actor.account.address == address) return &actor;
    return nullptr;
}

std::size_t MarketSimulator::State::collection_index(const Address& collection) const
{
    for (std::size_t c = 0; c < collections.size(); ++c)
        if (collections[c].second == collection) return c;
    return collections.size();
}

double MarketSimulator::State::chance(double per_hour) const
{
    return 1.0 - std::exp(-per_hour * options.step_seconds / 3600.0);
}

double MarketSimulator::State::uniform()
{
    return static_cast<double>(choices() >> 11) * 0x1.0p-53;
}

void MarketSimulator::State::approve_nfts(StepReport& report, const Actor& owner, const Address& collection, const Address& op)
{
    if (!approvals.insert({owner.account.address, op}).second) return;
    attempt(report, "approve", world.call(owner, collection, "setApprovalForAll(address,bool)", "[" + q(op) + ",true]"));
}

std::optional<std::uint64_t> MarketSimulator::State::mint(StepReport& report, std::size_t collection, const Actor& to)
{
    const Address address = collections[collection].second;
    // Past every seeded id, one more than the supply: never an id twice, also across restarts.
    auto supply = world.read(address, "totalSupply()", "[]", "(uint256)");
    if (!supply) return std::nullopt;
    const std::uint64_t id = 100000 + u((*supply)[0]).to_u64().value_or(0);
    auto minted = world.call(who("deployer"), address, "mint(address,uint256)", "[" + q(to.account.address) + "," + str(id) + "]");
    attempt(report, "mint", minted);
    if (!minted) return std::nullopt;
    return id;
}

void MarketSimulator::State::keep_weth(StepReport& report, const Actor& actor, std::uint64_t low, std::uint64_t amount)
{
    const Address weth = contract("WETH9");
    auto balance = world.read(weth, "balanceOf(address)", "[" + q(actor.account.address) + "]", "(uint256)");
    if (!balance || u((*balance)[0]) >= ether(low)) return;
    attempt(report, actor.account.name + " WETH", world.call(actor, weth, "deposit()", "[]", ether(amount)));
}

void MarketSimulator::State::keep_eth(StepReport& report, const Actor& actor, std::uint64_t low, std::uint64_t high)
{
    auto balance = eth::get_balance(world.client(), actor.account.address, eth::BlockTag::latest());
    if (!balance || *balance >= ether(low)) return;
    auto set = world.client().call("anvil_setBalance", "[" + q(actor.account.address) + ",\"" + ether(high).to_hex() + "\"]");
    if (!set) report.errors.push_back(actor.account.name + " ETH: " + set.error().message());
}

/// At full speed the chain's clock moves a step's worth before the step's first transaction.
void MarketSimulator::State::advance_clock(StepReport& report)
{
    if (options.warp_clock) {
        auto moved = world.client().call("evm_increaseTime", "[" + std::to_string(std::llround(options.step_seconds)) + "]");
        if (!moved) report.errors.push_back("clock: " + moved.error().message());
    }
    auto head = eth::get_block(world.client(), eth::BlockTag::latest());
    if (head) now = head->timestamp + (options.warp_clock ? static_cast<std::uint64_t>(std::llround(options.step_seconds)) : 0);
}

void MarketSimulator::State::move_prices(StepReport& report)
{
    std::string assets = "[", prices = "[";
    for (std::size_t c = 0; c < collections.size(); ++c) {
        const U256 price = from_eth(paths[c].next(options.step_seconds));
        report.prices[collections[c].first] = price.to_dec();
        assets += (c ? "," : "") + q(collections[c].second);
        prices += (c ? "," : "") + q(price);
    }
    attempt(report, "oracle", world.call(who("deployer"), contract("NFTOracle"), "setMultipleAssetsData(address[],uint256[])",
                                         "[" + assets + "]," + prices + "]]"));
    report_feeds(report);
}

/// Each collection's Chainlink-style feed follows the oracle only when its
/// deviation threshold or heartbeat says so: between reports it lags.
void MarketSimulator::State::report_feeds(StepReport& report)
{
    auto head = eth::get_block(world.client(), eth::BlockTag::latest());
    if (!head) return;
    for (const auto& [symbol, collection] : collections) {
        const auto feed = manifest.feeds.find(symbol);
        if (feed == manifest.feeds.end()) continue;
        auto latest = world.read(feed->second, "latestRoundData()", "[]", "(uint80,int256,uint256,uint256,uint80)");
        if (!latest) continue;
        const double reported = to_eth(u((*latest)[1]));
        const double now_price = to_eth(*U256::from_dec(report.prices.at(symbol)));
        const bool moved = reported <= 0 || std::abs(now_price / reported - 1.0) >= kFeedDeviation;
        const bool due = head->timestamp >= u((*latest)[3]).to_u64().value_or(0) + kFeedHeartbeatSeconds;
        if (moved || due)
            attempt(report, "feed " + symbol, world.call(who("deployer"), feed->second, "submit(int256)", "[\"" + report.prices.at(symbol) + "\"]"));
    }
}

/// The demo traders' positions, found and read by the terminal's own monitor.
void MarketSimulator::State::read_book(StepReport& report)
{
    if (auto found = monitor->discover(); !found) {
        report.errors.push_back("book: " + found.error().message());
        return;
    }
    auto snapshot = monitor->refresh();
    if (!snapshot) {
        report.errors.push_back("book: " + snapshot.error().message());
        return;
    }
    book = *snapshot;
    // AMM pairs the traders opened in an earlier run are traded too.
    for (const auto& position : book->positions) {
        if (position.key.protocol != positions::Protocol::Sudoswap || !position.unpriced.empty()) continue;
        const bool known = std::any_of(pairs.begin(), pairs.end(), [&](const SeededPair& pair) { return pair.pair == position.key.contract; });
        if (known) continue;
        const char* type = position.state == positions::PositionState::TokenPool ? "TOKEN"
                         : position.state == positions::PositionState::NftPool   ? "NFT"
                                                                                 : "TRADE";
        pairs.push_back({position.key.contract, position.key.account, position.collection, type, ""});
    }
}

void MarketSimulator::State::count_book(StepReport& report) const
{
    if (!book) return;
    for (const auto& position : book->positions) {
        auto& bands = report.book[std::string(positions::to_string(position.key.protocol))];
        switch (risk::risk_of(position, risk::RiskThresholds{}, book->block.timestamp)) {
        case risk::RiskLevel::Safe: ++bands.safe; break;
        case risk::RiskLevel::Warning: ++bands.warning; break;
        case risk::RiskLevel::Critical: ++bands.critical; break;
        case risk::RiskLevel::Unknown: ++bands.unknown; break;
        }
    }
}

Result<std::unique_ptr<MarketSimulator>> MarketSimulator::create(eth::RpcClient& client, Manifest manifest, std::uint64_t seed,
                                                                 const std::filesystem::path& journal)
{
    SimulatorOptions options;
    options.seed = seed;
    options.traders = false;
    options.perp_keeper_delay_seconds = 0;
    return create(client, std::move(manifest), options, journal);
}

Result<std::unique_ptr<MarketSimulator>> MarketSimulator::create(eth::RpcClient& client, Manifest manifest, const SimulatorOptions& options,
                                                                 const std::filesystem::path& journal)
{
    for (const char* name : {"NFTOracle", "BendLendPool", "PerpClearingHouse", "NFTfiDirectLoanFixedOffer", "WETH9", "SudoPairFactory"})
        if (!manifest.contracts.contains(name)) return fail(Errc::Config, std::string("the devnet manifest has no ") + name + " (run devnet up again)");
    if (options.step_seconds <= 0) return fail(Errc::Config, "a simulator step must last some time");
    auto actors = demo_actors();
    if (!actors) return std::unexpected(actors.error());
    auto registry = positions::registry_from_json(manifest_to_json(manifest));
    if (!registry) return std::unexpected(registry.error());
    auto state = std::make_unique<State>(client, std::move(manifest), options, journal, std::move(*actors));
    if (state->world.error()) return std::unexpected(*state->world.error());
    state->choices.seed(options.seed ^ 0x5eedULL);
    state->pairs = state->manifest.pairs;
    for (const char* symbol : {"DAPE", "PXPK", "MCAT"}) {
        if (!state->manifest.contracts.contains(symbol)) continue;
        const Address collection = state->manifest.contracts.at(symbol);
        auto price = state->world.read(state->contract("NFTOracle"), "getAssetPrice(address)", "[" + q(collection) + "]", "(uint256)");
        if (!price) return std::unexpected(price.error());
        state->collections.emplace_back(symbol, collection);
        const double start = to_eth(u((*price)[0]));
        // One independent path per collection, all from the one seed, back towards the seeded floor.
        state->paths.emplace_back(options.seed * 1000003ULL + state->paths.size(), start, demo_seed_floor(symbol).value_or(start));
    }
    std::vector<Address> traders;
    for (const Actor* trader : actors_with_role(state->actors, "trader")) traders.push_back(trader->account.address);
    state->monitor = std::make_unique<positions::Monitor>(client, std::move(*registry), traders);
    // The keeper bids in WETH: give it some and let the pool pull it.
    const Actor& keeper = state->who("keeper");
    const Address weth = state->contract("WETH9");
    auto allowance = state->world.read(weth, "allowance(address,address)", "[" + q(keeper.account.address) + "," + q(state->contract("BendLendPool")) + "]", "(uint256)");
    if (!allowance) return std::unexpected(allowance.error());
    if (u((*allowance)[0]) == U256(0)) {
        NFTTERM_SEED_TRY(wrapped, state->world.call(keeper, weth, "deposit()", "[]", ether(1000)));
        NFTTERM_SEED_TRY(approved, state->world.call(keeper, weth, "approve(address,uint256)", "[" + q(state->contract("BendLendPool")) + "," + q(U256::max()) + "]"));
    }
    // Lender nonces no earlier run of the simulator used: from the chain's clock.
    auto head = eth::get_block(client, eth::BlockTag::latest());
    if (!head) return std::unexpected(head.error());
    state->now = head->timestamp;
    state->next_nonce = head->timestamp << 20;
    return std::unique_ptr<MarketSimulator>(new MarketSimulator(std::move(state)));
}

MarketSimulator::MarketSimulator(std::unique_ptr<State> state) : m_state(std::move(state)) {}
MarketSimulator::~MarketSimulator() = default;

Result<StepReport> MarketSimulator::step()
{
    auto& s = *m_state;
    StepReport report;
    report.step = ++s.steps;
    s.advance_clock(report);
    s.move_prices(report);
    s.read_book(report);
    s.make_pools(report);
    s.trade_pools(report);
    s.trade_perps(report);
    s.keep_pool_loans(report);
    s.keep_perps(report);
    s.foreclose_p2p(report);
    if (s.options.traders) {
        s.read_book(report);
        s.traders_act(report);
    }
    s.read_book(report);
    s.count_book(report);
    auto block = eth::get_block(s.world.client(), eth::BlockTag::latest());
    if (!block) return std::unexpected(block.error());
    report.block = block->number;
    report.time = block->timestamp;
    return report;
}

}  // namespace nftterm::protocols::devnet
