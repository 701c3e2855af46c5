#include "market_simulator.hpp"

#include "seeding.hpp"

#include <protocols/eth/rpc/eth_api.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <set>

namespace nftterm::protocols::devnet {

using nlohmann::json;
using wallet::Address;
using wallet::U256;
using namespace detail;

namespace {

constexpr double kStepVolatility = 0.01;
constexpr double kMeanReversion = 0.01;
constexpr double kJumpProbability = 0.02;
/// Perp mark is traded halfway back to the index once it strays this far.
constexpr double kMarkTolerance = 0.005;
constexpr double kMakerLeverage = 3.0;
/// The floor feed reports like a Chainlink node: on a 2 % move or after an hour.
constexpr double kFeedDeviation = 0.02;
constexpr std::uint64_t kFeedHeartbeatSeconds = 3600;

U256 from_eth(double eth)
{
    // Gwei precision: plenty for a floor price, and exact in a double.
    return U256(static_cast<std::uint64_t>(std::llround(eth * 1e9))) * U256(1000000000ULL);
}

double to_eth(const U256& wei)
{
    return std::stod(wei.to_dec()) / 1e18;
}

U256 u(const json& value)
{
    return *U256::from_dec(value.get<std::string>());
}

std::string str(std::uint64_t value)
{
    return "\"" + std::to_string(value) + "\"";
}

}  // namespace

PricePath::PricePath(std::uint64_t seed, double start_price) : m_random(seed), m_start(start_price), m_price(start_price) {}

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

double PricePath::next()
{
    double log_return = -kMeanReversion * std::log(m_price / m_start) + kStepVolatility * gaussian();
    const double jump_draw = uniform();
    const double jump_size = 0.08 + 0.12 * uniform();
    const double jump_sign = uniform() < 0.5 ? -1.0 : 1.0;
    if (jump_draw < kJumpProbability) log_return += jump_sign * jump_size;
    m_price *= std::exp(log_return);
    return m_price;
}

std::string step_report_to_json(const StepReport& report)
{
    json out = {{"step", report.step}, {"block", report.block}, {"prices", report.prices}, {"pool_trades", report.pool_trades},
                {"perp_trades", report.perp_trades}, {"funding", report.funding}, {"liquidations", report.liquidations},
                {"errors", report.errors}};
    return out.dump();
}

struct MarketSimulator::State {
    State(eth::RpcClient& client, Manifest manifest_, const std::filesystem::path& journal, std::vector<Actor> actors_)
        : world(client, journal), manifest(std::move(manifest_)), actors(std::move(actors_))
    {
    }

    World world;
    Manifest manifest;
    std::vector<Actor> actors;
    std::vector<std::pair<std::string, Address>> collections;
    std::vector<PricePath> paths;
    std::mt19937_64 choices;
    std::set<Address> flow_approvals;
    std::uint64_t steps = 0;

    const Actor& who(const char* name) const { return actor_named(actors, name); }
    Address contract(const char* name) const { return manifest.contracts.at(name); }

    void attempt(StepReport& report, const std::string& what, const Result<eth::Receipt>& result)
    {
        if (!result) report.errors.push_back(what + ": " + result.error().message());
    }

    void move_prices(StepReport& report);
    void report_feeds(StepReport& report);
    void trade_pools(StepReport& report);
    void trade_perps(StepReport& report);
    void top_up_maker(StepReport& report, const Address& amm);
    void refill_maker(StepReport& report);
    void keep_pool_loans(StepReport& report);
    void keep_perps(StepReport& report);
    void foreclose_p2p(StepReport& report);
};

void MarketSimulator::State::move_prices(StepReport& report)
{
    std::string assets = "[", prices = "[";
    for (std::size_t c = 0; c < collections.size(); ++c) {
        const U256 price = from_eth(paths[c].next());
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
        const double now = to_eth(*U256::from_dec(report.prices.at(symbol)));
        const bool moved = reported <= 0 || std::abs(now / reported - 1.0) >= kFeedDeviation;
        const bool due = head->timestamp >= u((*latest)[3]).to_u64().value_or(0) + kFeedHeartbeatSeconds;
        if (moved || due)
            attempt(report, "feed " + symbol, world.call(who("deployer"), feed->second, "submit(int256)", "[\"" + report.prices.at(symbol) + "\"]"));
    }
}

/// One trade per collection on a randomly chosen pool: the flow trader buys
/// when the ask is under the floor, sells when the bid is over it, and
/// otherwise buys now and then (noise).
void MarketSimulator::State::trade_pools(StepReport& report)
{
    const Actor& flow = who("flow");
    for (std::size_t c = 0; c < collections.size(); ++c) {
        const auto& [symbol, collection] = collections[c];
        std::vector<const SeededPair*> pairs;
        for (const auto& pair : manifest.pairs)
            if (pair.collection == collection) pairs.push_back(&pair);
        if (pairs.empty()) continue;
        const SeededPair& pair = *pairs[choices() % pairs.size()];
        const bool noise = choices() % 10 < 3;
        const double floor = paths[c].price();
        const std::string quote_types = "(uint8,uint256,uint256,uint256,uint256)";
        if (pair.pool_type != "TOKEN") {
            auto held = world.read(collection, "balanceOf(address)", "[" + q(pair.pair) + "]", "(uint256)");
            auto ask = world.read(pair.pair, "getBuyNFTQuote(uint256)", "[\"1\"]", quote_types);
            if (held && ask && u((*held)[0]) > U256(0) && (*ask)[0].get<std::string>() == "0") {
                const U256 input = u((*ask)[3]);
                if (to_eth(input) < floor * 0.99 || noise) {
                    auto bought = world.call(flow, pair.pair, "swapTokenForAnyNFTs(uint256,uint256,address,bool,address)",
                                             "[\"1\"," + q(input) + "," + q(flow.account.address) + ",false," + q(Address()) + "]", input);
                    attempt(report, "buy " + symbol, bought);
                    if (bought) ++report.pool_trades;
                    continue;
                }
            }
        }
        if (pair.pool_type != "NFT") {
            auto bid = world.read(pair.pair, "getSellNFTQuote(uint256)", "[\"1\"]", quote_types);
            auto mine = world.read(collection, "balanceOf(address)", "[" + q(flow.account.address) + "]", "(uint256)");
            auto cash = eth::get_balance(world.client(), pair.pair, eth::BlockTag::latest());
            if (!bid || !mine || !cash || (*bid)[0].get<std::string>() != "0" || u((*mine)[0]) == U256(0)) continue;
            const U256 output = u((*bid)[3]);
            if (to_eth(output) <= floor * 1.01 || output + u((*bid)[4]) > *cash) continue;
            auto token = world.read(collection, "tokenOfOwnerByIndex(address,uint256)", "[" + q(flow.account.address) + ",\"0\"]", "(uint256)");
            if (!token) continue;
            if (flow_approvals.insert(pair.pair).second)
                attempt(report, "approve " + symbol, world.call(flow, collection, "setApprovalForAll(address,bool)", "[" + q(pair.pair) + ",true]"));
            auto sold = world.call(flow, pair.pair, "swapNFTsForToken(uint256[],uint256,address,bool,address)",
                                   "[[" + (*token)[0].dump() + "]," + q(output) + "," + q(flow.account.address) + ",false," + q(Address()) + "]");
            attempt(report, "sell " + symbol, sold);
            if (sold) ++report.pool_trades;
        }
    }
}

/// The market maker trades each Amm's mark halfway back to the index:
/// closing a position on the wrong side first (which moves the mark the
/// same way and frees its margin), else opening one at 3×; it keeps its own
/// positions well margined. Anyone settles funding once it is due.
void MarketSimulator::State::trade_perps(StepReport& report)
{
    const Address house = contract("PerpClearingHouse");
    const Actor& maker = who("maker");
    const std::string position_types = "(((int256),(uint256),(uint256),(int256),uint256,uint256))";
    refill_maker(report);
    for (const auto& [symbol, amm] : manifest.amms) {
        auto reserves = world.read(amm, "getReserve()", "[]", "((uint256),(uint256))");
        auto index = world.read(amm, "getUnderlyingPrice()", "[]", "((uint256))");
        auto position = world.read(house, "getPosition(address,address)", "[" + q(amm) + "," + q(maker.account.address) + "]", position_types);
        if (!reserves || !index || !position) continue;
        const double quote = to_eth(u((*reserves)[0][0])), base = to_eth(u((*reserves)[1][0]));
        const double mark = quote / base, target_index = to_eth(u((*index)[0][0]));
        const std::string size = (*position)[0][0][0].get<std::string>();
        const bool has_long = size != "0" && !size.starts_with('-'), has_short = size.starts_with('-');
        if (std::abs(mark - target_index) > kMarkTolerance * target_index) {
            const bool go_long = target_index > mark;
            Result<eth::Receipt> traded = fail(Errc::Config, "no trade");
            if ((go_long && has_short) || (!go_long && has_long)) {
                traded = world.call(maker, house, "closePosition(address,(uint256))", "[" + q(amm) + ",[\"0\"]]");
            } else {
                // Spot = Q²/k: the quote reserve that puts the mark at the target.
                const double target = mark + 0.5 * (target_index - mark);
                const double notional = std::abs(std::sqrt(quote * base * target) - quote);
                traded = world.call(maker, house, "openPosition(address,uint8,(uint256),(uint256),(uint256))",
                                    "[" + q(amm) + ",\"" + (go_long ? "0" : "1") + "\",[" + q(from_eth(notional / kMakerLeverage))
                                        + "],[" + q(from_eth(kMakerLeverage)) + "],[\"0\"]]");
            }
            attempt(report, "perp mark " + symbol, traded);
            if (traded) ++report.perp_trades;
        }
        top_up_maker(report, amm);
        auto next = world.read(amm, "nextFundingTime()", "[]", "(uint256)");
        auto head = eth::get_block(world.client(), eth::BlockTag::latest());
        if (next && head && U256(head->timestamp) >= u((*next)[0])) {
            auto paid = world.call(who("keeper"), house, "payFunding(address)", "[" + q(amm) + "]");
            attempt(report, "funding " + symbol, paid);
            if (paid) report.funding.push_back(symbol);
        }
    }
}

/// The maker adds margin when its position on `amm` falls under 15 %.
void MarketSimulator::State::top_up_maker(StepReport& report, const Address& amm)
{
    const Address house = contract("PerpClearingHouse");
    const Actor& maker = who("maker");
    const std::string args = "[" + q(amm) + "," + q(maker.account.address) + "]";
    auto ratio = world.read(house, "getMarginRatio(address,address)", args, "((int256))");
    if (!ratio) return;  // no position
    const std::string text = (*ratio)[0][0].get<std::string>();
    if (!text.starts_with('-') && *U256::from_dec(text) >= ether(15, 100)) return;
    auto position = world.read(house, "getPosition(address,address)", args, "(((int256),(uint256),(uint256),(int256),uint256,uint256))");
    if (!position) return;
    const U256 add = *U256::mul_div(u((*position)[0][2][0]), U256(10), U256(100));
    attempt(report, "maker margin", world.call(maker, house, "addMargin(address,(uint256))", "[" + q(amm) + ",[" + q(add) + "]]"));
}

/// The maker wraps more of its ETH when its WETH runs low.
void MarketSimulator::State::refill_maker(StepReport& report)
{
    const Actor& maker = who("maker");
    const Address weth = contract("WETH9");
    auto balance = world.read(weth, "balanceOf(address)", "[" + q(maker.account.address) + "]", "(uint256)");
    if (!balance || u((*balance)[0]) >= ether(500)) return;
    attempt(report, "maker WETH", world.call(maker, weth, "deposit()", "[]", ether(1000)));
}

/// The keeper auctions pool loans below health 1 at the minimum bid, and
/// liquidates those whose auction has ended (paying any shortfall).
void MarketSimulator::State::keep_pool_loans(StepReport& report)
{
    const Address pool = contract("BendLendPool");
    const Actor& keeper = who("keeper");
    auto head = eth::get_block(world.client(), eth::BlockTag::latest());
    if (!head) return;
    for (const auto& loan : manifest.loans) {
        if (loan.protocol != positions::Protocol::BendDao) continue;
        const std::string nft = "[" + q(loan.collection) + "," + str(loan.token_id) + "]";
        auto debt = world.read(pool, "getNftDebtData(address,uint256)", nft, "(uint256,address,uint256,uint256,uint256,uint256)");
        if (!debt || u((*debt)[0]) == U256(0)) continue;
        const std::string label = " #" + std::to_string(loan.token_id);
        auto ends = world.read(pool, "getNftAuctionEndTime(address,uint256)", nft, "(uint256,uint256,uint256,uint256)");
        if (!ends) continue;
        const bool in_auction = u((*ends)[1]) != U256(0);
        if (!in_auction && u((*debt)[5]) < *U256::parse_units("1", 18)) {
            auto price = world.read(pool, "getNftLiquidatePrice(address,uint256)", nft, "(uint256,uint256)");
            if (!price) continue;
            // The price read is the debt at the read's timestamp; the bid lands a block (or, on a busy
            // machine, a few seconds) later with more interest owed, so bid 0.1 % above it, as keeper
            // bots do: an exact bid reverts whenever the wall clock ticks between the read and the block.
            const U256 read_price = u((*price)[0]);
            const U256 bid = read_price + read_price / U256(1000);
            auto auctioned = world.call(keeper, pool, "auction(address,uint256,uint256,address)",
                                        "[" + q(loan.collection) + "," + str(loan.token_id) + "," + q(bid) + "," + q(keeper.account.address) + "]");
            attempt(report, "auction" + label, auctioned);
            if (auctioned) report.liquidations.push_back("benddao auction" + label);
        } else if (in_auction && U256(head->timestamp) > u((*ends)[2])) {
            auto bid = world.read(pool, "getNftAuctionData(address,uint256)", nft, "(uint256,address,uint256,uint256,uint256)");
            if (!bid) continue;
            const U256 owed = u((*debt)[3]), offered = u((*bid)[2]);
            // Cover interest accrued meanwhile with a margin for the next blocks (the pool takes only
            // what is owed at landing): without one, a bid that just covered the debt at the read
            // falls short a second later.
            const U256 shortfall = (owed > offered ? (owed - offered) * U256(2) : U256(0)) + owed / U256(1000);
            auto liquidated = world.call(keeper, pool, "liquidate(address,uint256,uint256)",
                                         "[" + q(loan.collection) + "," + str(loan.token_id) + "," + q(shortfall) + "]");
            attempt(report, "liquidate" + label, liquidated);
            if (liquidated) report.liquidations.push_back("benddao liquidate" + label);
        }
    }
}

void MarketSimulator::State::keep_perps(StepReport& report)
{
    const Address house = contract("PerpClearingHouse");
    auto mmr = world.read(house, "maintenanceMarginRatio()", "[]", "(uint256)");
    if (!mmr) return;
    std::vector<std::pair<Address, Address>> positions;
    for (const auto& perp : manifest.perps) positions.emplace_back(perp.amm, perp.trader);
    for (const auto& [symbol, amm] : manifest.amms) positions.emplace_back(amm, who("maker").account.address);
    for (const auto& [amm, trader] : positions) {
        const std::string args = "[" + q(amm) + "," + q(trader) + "]";
        auto ratio = world.read(house, "getMarginRatio(address,address)", args, "((int256))");
        if (!ratio) continue;  // no open position
        const std::string text = (*ratio)[0][0].get<std::string>();
        const bool below = text.starts_with('-') || *U256::from_dec(text) < u((*mmr)[0]);
        if (!below) continue;
        auto liquidated = world.call(who("keeper"), house, "liquidate(address,address)", args);
        attempt(report, "perp liquidation", liquidated);
        if (liquidated) report.liquidations.push_back("perp " + amm.to_hex() + " " + trader.to_hex());
    }
}

/// A P2P lender takes the NFT of a loan past its maturity.
void MarketSimulator::State::foreclose_p2p(StepReport& report)
{
    auto head = eth::get_block(world.client(), eth::BlockTag::latest());
    if (!head) return;
    const Address loans = contract("NFTfiDirectLoanFixedOffer");
    for (const auto& loan : manifest.loans) {
        if (loan.protocol != positions::Protocol::Nftfi || head->timestamp <= loan.maturity) continue;
        auto done = world.read(loans, "loanRepaidOrLiquidated(uint32)", "[" + str(loan.loan_id) + "]", "(bool)");
        if (!done || (*done)[0].get<bool>()) continue;
        for (const auto& actor : actors) {
            if (actor.account.address != loan.lender) continue;
            auto foreclosed = world.call(actor, loans, "liquidateOverdueLoan(uint32)", "[" + str(loan.loan_id) + "]");
            attempt(report, "foreclose", foreclosed);
            if (foreclosed) report.liquidations.push_back("nftfi foreclose #" + std::to_string(loan.loan_id));
        }
    }
}

Result<std::unique_ptr<MarketSimulator>> MarketSimulator::create(eth::RpcClient& client, Manifest manifest, std::uint64_t seed,
                                                                 const std::filesystem::path& journal)
{
    for (const char* name : {"NFTOracle", "BendLendPool", "PerpClearingHouse", "NFTfiDirectLoanFixedOffer", "WETH9"})
        if (!manifest.contracts.contains(name)) return fail(Errc::Config, std::string("the devnet manifest has no ") + name + " (run devnet up again)");
    auto actors = demo_actors();
    if (!actors) return std::unexpected(actors.error());
    auto state = std::make_unique<State>(client, std::move(manifest), journal, std::move(*actors));
    if (state->world.error()) return std::unexpected(*state->world.error());
    state->choices.seed(seed ^ 0x5eedULL);
    for (const char* symbol : {"DAPE", "PXPK", "MCAT"}) {
        if (!state->manifest.contracts.contains(symbol)) continue;
        const Address collection = state->manifest.contracts.at(symbol);
        auto price = state->world.read(state->contract("NFTOracle"), "getAssetPrice(address)", "[" + q(collection) + "]", "(uint256)");
        if (!price) return std::unexpected(price.error());
        state->collections.emplace_back(symbol, collection);
        // One independent path per collection, all from the one seed.
        state->paths.emplace_back(seed * 1000003ULL + state->paths.size(), to_eth(u((*price)[0])));
    }
    // The keeper bids in WETH: give it some and let the pool pull it.
    const Actor& keeper = state->who("keeper");
    const Address weth = state->contract("WETH9");
    auto allowance = state->world.read(weth, "allowance(address,address)", "[" + q(keeper.account.address) + "," + q(state->contract("BendLendPool")) + "]", "(uint256)");
    if (!allowance) return std::unexpected(allowance.error());
    if (u((*allowance)[0]) == U256(0)) {
        NFTTERM_SEED_TRY(wrapped, state->world.call(keeper, weth, "deposit()", "[]", ether(1000)));
        NFTTERM_SEED_TRY(approved, state->world.call(keeper, weth, "approve(address,uint256)", "[" + q(state->contract("BendLendPool")) + "," + q(U256::max()) + "]"));
    }
    return std::unique_ptr<MarketSimulator>(new MarketSimulator(std::move(state)));
}

MarketSimulator::MarketSimulator(std::unique_ptr<State> state) : m_state(std::move(state)) {}
MarketSimulator::~MarketSimulator() = default;

Result<StepReport> MarketSimulator::step()
{
    auto& s = *m_state;
    StepReport report;
    report.step = ++s.steps;
    s.move_prices(report);
    s.trade_pools(report);
    s.trade_perps(report);
    s.keep_pool_loans(report);
    s.keep_perps(report);
    s.foreclose_p2p(report);
    auto block = eth::block_number(s.world.client());
    if (!block) return std::unexpected(block.error());
    report.block = *block;
    return report;
}

}  // namespace nftterm::protocols::devnet
