#include "simulator_state.hpp"

#include <protocols/nftfi/offer_signing.hpp>
#include <protocols/risk/risk_level.hpp>
#include <wallet/messages/eip191.hpp>

#include <algorithm>
#include <array>
#include <cmath>

// The demo traders keep a living book: whenever a family (pool loans, P2P
// loans, perps) lacks a safe, a warning or a critical position, or has too
// few, one of them opens one aimed at that band; careful ones top up what
// turns critical (one position in three; of perps another third add just
// enough to stay over maintenance), the rest ride it into the keeper's hands; they repay P2P loans before maturity, close the safest
// pool loan when the book grows too big, and now and then open an AMM pool.

namespace nftterm::protocols::devnet {

using wallet::Address;
using wallet::U256;
using namespace detail;
using namespace simulator;
using positions::Position;
using positions::Protocol;
using positions::PositionState;
using risk::RiskLevel;

namespace {

constexpr std::size_t kMinPoolLoans = 6, kMaxPoolLoans = 12;
/// A loan opened at a critical health goes to auction within the hour as often as not: one each half hour at most.
constexpr std::uint64_t kCriticalLoanPauseSeconds = 30 * 60;
constexpr std::size_t kMinP2pLoans = 6, kMaxP2pLoans = 12;
constexpr std::size_t kMaxTraderPools = 15;
constexpr double kNewPoolsPerHour = 0.25;
/// Top-ups at most once an hour per position; a perp slot opens again this long after a liquidation.
constexpr std::uint64_t kAdjustPauseSeconds = 3600;
constexpr std::uint64_t kPerpReopenSeconds = 15 * 60;
/// A full perp book closes a position to make room at most this often.
constexpr std::uint64_t kPerpClosePauseSeconds = 20 * 60;
/// A minimal top-up: back to here, over the 6.25 % maintenance ratio and under the 8 % critical line.
constexpr double kBarelyMarginRatio = 0.075;
/// A careful borrower repays a P2P loan this close to its maturity.
constexpr std::uint64_t kRepayBeforeMaturitySeconds = 2 * 3600;
constexpr double kToppedUpHealth = 1.6;
constexpr double kToppedUpMarginRatio = 0.2;
constexpr double kHoursPerDay = 24;

/// FNV-1a: the same "is this borrower careful" answer on every platform and run.
std::uint64_t stable_hash(const std::string& text)
{
    std::uint64_t hash = 1469598103934665603ULL;
    for (unsigned char c : text) hash = (hash ^ c) * 1099511628211ULL;
    return hash;
}

double wad(const U256& value)
{
    return to_eth(value);
}

double signed_wad(const positions::SignedWad& value)
{
    return value.negative ? -wad(value.magnitude) : wad(value.magnitude);
}

/// The first band of critical, warning, safe that none of `levels` is in.
std::optional<RiskLevel> missing_band(const std::vector<RiskLevel>& levels)
{
    for (RiskLevel band : {RiskLevel::Critical, RiskLevel::Warning, RiskLevel::Safe})
        if (std::find(levels.begin(), levels.end(), band) == levels.end()) return band;
    return std::nullopt;
}

const char* band_name(RiskLevel band)
{
    return band == RiskLevel::Critical ? "critical" : band == RiskLevel::Warning ? "warning" : "safe";
}

std::string fixed(double value, int places)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.*f", places, value);
    return text;
}

}  // namespace

void MarketSimulator::State::traders_act(StepReport& report)
{
    if (!book) return;
    for (const Actor* trader : actors_with_role(actors, "trader")) {
        keep_eth(report, *trader, 1000, 10000);
        keep_weth(report, *trader, 100, 300);
    }
    for (const Actor* lender : actors_with_role(actors, "lender")) keep_weth(report, *lender, 100, 300);
    tend_pool_loans(report);
    tend_p2p_loans(report);
    tend_perps(report);
    open_pools(report);
}

void MarketSimulator::State::tend_pool_loans(StepReport& report)
{
    const Address pool = contract("BendLendPool");
    const Address weth = contract("WETH9");
    std::vector<const Position*> active;
    for (const auto& position : book->positions)
        if (position.key.protocol == Protocol::BendDao && position.readable && position.state == PositionState::Active && position.token_id
            && position.health_factor)
            active.push_back(&position);
    const auto careful = [&](const Position& loan) { return (stable_hash(loan.key.id()) ^ options.seed) % 3 == 0; };
    const auto label = [&](const Position& loan) {
        const std::size_t c = collection_index(loan.collection);
        return "benddao " + (c < collections.size() ? collections[c].first : loan.collection.to_hex()) + " #" + loan.token_id->to_dec();
    };
    // Every row counts for the bands (a loan in auction is a critical row), the live ones for the rest.
    std::vector<RiskLevel> levels;
    for (const auto& position : book->positions)
        if (position.key.protocol == Protocol::BendDao && position.readable) levels.push_back(risk::risk_of(position, risk::RiskThresholds{}, now));
    std::map<RiskLevel, std::vector<const Position*>> by_band;
    for (const Position* loan : active) {
        const RiskLevel level = risk::risk_of(*loan, risk::RiskThresholds{}, now);
        by_band[level].push_back(loan);
        // A careful borrower repays part of a critical loan, back to a comfortable health.
        const double health = wad(*loan->health_factor);
        const auto touched = last_adjusted.find(loan->key.id());
        if (level != RiskLevel::Critical || health < 1.0 || !careful(*loan)) continue;
        if (touched != last_adjusted.end() && touched->second + kAdjustPauseSeconds > now) continue;
        const Actor* borrower = actor_at(loan->key.account);
        if (!borrower) continue;
        const U256 repay = from_eth(wad(loan->debt) * (1.0 - health / kToppedUpHealth));
        auto repaid = world.call(*borrower, pool, "repay(address,uint256,uint256)", "[" + q(loan->collection) + ",\"" + loan->token_id->to_dec() + "\"," + q(repay) + "]");
        attempt(report, "top up " + label(*loan), repaid);
        last_adjusted[loan->key.id()] = now;
        if (repaid) report.adjusted.push_back(label(*loan) + " topped up to health " + fixed(kToppedUpHealth, 2) + " by " + borrower->account.name);
    }
    // Too big a book: the healthiest loan of the most crowded band is repaid in full.
    if (active.size() > kMaxPoolLoans) {
        const auto crowded = std::max_element(by_band.begin(), by_band.end(), [](const auto& a, const auto& b) { return a.second.size() < b.second.size(); });
        const auto& loans = crowded->second;
        const Position* safest = *std::max_element(loans.begin(), loans.end(), [](const Position* a, const Position* b) { return *a->health_factor < *b->health_factor; });
        if (const Actor* borrower = actor_at(safest->key.account)) {
            const U256 everything = safest->debt + safest->debt / U256(100);  // the pool takes only what is owed
            auto repaid = world.call(*borrower, pool, "repay(address,uint256,uint256)", "[" + q(safest->collection) + ",\"" + safest->token_id->to_dec() + "\"," + q(everything) + "]");
            attempt(report, "repay " + label(*safest), repaid);
            if (repaid) report.adjusted.push_back(label(*safest) + " repaid by " + borrower->account.name);
        }
        return;
    }
    auto band = missing_band(levels);
    // A live critical loan (one the keeper has not taken) now and then, not only auctions.
    if (!band && by_band[RiskLevel::Critical].empty() && last_critical_loan + kCriticalLoanPauseSeconds <= now) band = RiskLevel::Critical;
    if (!band && active.size() >= kMinPoolLoans) return;
    if (band == RiskLevel::Critical) {
        if (last_critical_loan + kCriticalLoanPauseSeconds > now) return;
        last_critical_loan = now;
    }
    // A new loan aimed at the missing band (or any band when the book is thin).
    const RiskLevel target_band = band.value_or(std::array{RiskLevel::Critical, RiskLevel::Warning, RiskLevel::Safe}[choices() % 3]);
    const double target = target_band == RiskLevel::Critical ? 1.085 : target_band == RiskLevel::Warning ? 1.2 + 0.25 * uniform() : 1.7 + 0.9 * uniform();
    std::vector<std::size_t> feasible;
    std::vector<std::pair<double, double>> risk(collections.size());  // (price in WETH, liquidation threshold)
    for (std::size_t c = 0; c < collections.size(); ++c) {
        auto data = world.read(pool, "getNftCollateralData(address,address)", "[" + q(collections[c].second) + "," + q(weth) + "]",
                               "(uint256,uint256,uint256,uint256,uint256,uint256,uint256)");
        if (!data) continue;
        const double ltv = static_cast<double>(u((*data)[4]).to_u64().value_or(0)) / 10000.0;
        const double threshold = static_cast<double>(u((*data)[5]).to_u64().value_or(0)) / 10000.0;
        risk[c] = {wad(u((*data)[1])), threshold};
        // The loan-to-value caps the borrow: the lowest health a new loan can have is threshold ÷ ltv.
        if (ltv > 0 && target > threshold / ltv * 1.003) feasible.push_back(c);
    }
    if (feasible.empty()) return;
    const std::size_t c = feasible[choices() % feasible.size()];
    const auto traders = actors_with_role(actors, "trader");
    const Actor& trader = *traders[choices() % traders.size()];
    auto token = mint(report, c, trader);
    if (!token) return;
    approve_nfts(report, trader, collections[c].second, pool);
    const U256 amount = from_eth(risk[c].first * risk[c].second / target);
    auto borrowed = world.call(trader, pool, "borrow(address,uint256,address,uint256,address,uint16)",
                               "[" + q(weth) + "," + q(amount) + "," + q(collections[c].second) + "," + str(*token) + "," + q(trader.account.address) + ",\"0\"]");
    const std::string what = "benddao " + collections[c].first + " #" + std::to_string(*token);
    attempt(report, "borrow " + what, borrowed);
    if (borrowed) report.opened.push_back(what + " " + trader.account.name + " at health " + fixed(target, 3) + " (" + band_name(target_band) + ")");
}

void MarketSimulator::State::tend_p2p_loans(StepReport& report)
{
    const Address loans = contract("NFTfiDirectLoanFixedOffer");
    std::vector<RiskLevel> levels;
    std::size_t open = 0;
    for (const auto& loan : book->positions) {
        if (loan.key.protocol != Protocol::Nftfi || !loan.readable || !loan.maturity) continue;
        ++open;
        levels.push_back(risk::risk_of(loan, risk::RiskThresholds{}, now));
        // Two borrowers in three repay before maturity; the others let the lender foreclose.
        const bool careful = (stable_hash(loan.key.id()) ^ options.seed) % 3 != 0;
        if (loan.state != PositionState::Active || !careful || *loan.maturity > now + kRepayBeforeMaturitySeconds) continue;
        const Actor* borrower = actor_at(loan.key.account);
        if (!borrower) continue;
        auto repaid = world.call(*borrower, loan.key.contract, "payBackLoan(uint32)", "[\"" + loan.key.number.to_dec() + "\"]");
        attempt(report, "repay nftfi #" + loan.key.number.to_dec(), repaid);
        if (repaid) report.adjusted.push_back("nftfi #" + loan.key.number.to_dec() + " repaid by " + borrower->account.name);
    }
    auto band = missing_band(levels);
    if (open >= kMaxP2pLoans || (!band && open >= kMinP2pLoans)) return;
    const RiskLevel target_band = band.value_or(std::array{RiskLevel::Critical, RiskLevel::Warning, RiskLevel::Safe}[choices() % 3]);
    // Due within a day is critical, within three days a warning (the terminal's default bands).
    const double hours = target_band == RiskLevel::Critical ? 6 + 14 * uniform()
                       : target_band == RiskLevel::Warning  ? kHoursPerDay * (1.3 + 1.4 * uniform())
                                                            : kHoursPerDay * (5 + 25 * uniform());
    const auto traders = actors_with_role(actors, "trader");
    const auto lenders = actors_with_role(actors, "lender");
    const Actor& trader = *traders[choices() % traders.size()];
    const Actor& lender = *lenders[choices() % lenders.size()];
    const std::size_t c = choices() % collections.size();
    auto token = mint(report, c, trader);
    if (!token) return;
    approve_nfts(report, trader, collections[c].second, loans);
    nftfi::Offer offer;
    const double floor = paths[c].price();
    offer.principal = from_eth(floor * (0.25 + 0.25 * uniform()));
    offer.maximum_repayment = from_eth(wad(offer.principal) * (1.01 + 0.05 * uniform()));
    offer.nft_id = U256(*token);
    offer.nft_contract = collections[c].second;
    offer.duration_seconds = static_cast<std::uint32_t>(hours * 3600);
    offer.admin_fee_bps = 25;
    offer.currency = contract("WETH9");
    const U256 nonce(++next_nonce);
    const U256 expiry(now + 86400);
    const auto message = nftfi::offer_message(offer, lender.account.address, nonce, expiry, loans, manifest.chain_id);
    const auto signature = wallet::sign_digest(lender.key, wallet::personal_message_digest(message.view())).to_rsv();
    const std::string args = "[[" + q(offer.principal) + "," + q(offer.maximum_repayment) + "," + q(offer.nft_id) + "," + q(offer.nft_contract)
                             + ",\"" + std::to_string(offer.duration_seconds) + "\",\"" + std::to_string(offer.admin_fee_bps) + "\","
                             + q(offer.currency) + "," + q(Address()) + "],[" + q(nonce) + "," + q(expiry) + "," + q(lender.account.address)
                             + ",\"" + wallet::to_hex(signature.view()) + "\"],[" + q(Address()) + ",\"0\"]]";
    auto accepted = world.call(trader, loans,
                               "acceptOffer((uint256,uint256,uint256,address,uint32,uint16,address,address),(uint256,uint256,address,bytes),(address,uint16))", args);
    const std::string what = "nftfi " + collections[c].first + " #" + std::to_string(*token);
    attempt(report, "borrow " + what, accepted);
    if (accepted)
        report.opened.push_back(what + " " + trader.account.name + " from " + lender.account.name + " for " + fixed(hours, 1) + " h (" + band_name(target_band) + ")");
}

void MarketSimulator::State::tend_perps(StepReport& report)
{
    const Address house = contract("PerpClearingHouse");
    const auto traders = actors_with_role(actors, "trader");
    std::map<std::pair<Address, Address>, const Position*> slots;
    std::vector<RiskLevel> levels;
    for (const auto& position : book->positions) {
        if (position.key.protocol != Protocol::Perp || !position.readable) continue;
        slots[{position.key.market, position.key.account}] = &position;
        levels.push_back(risk::risk_of(position, risk::RiskThresholds{}, now));
    }
    const auto perp_label = [&](const Position& position) {
        for (const auto& [symbol, amm] : manifest.amms)
            if (amm == position.key.market) return "perp " + symbol;
        return "perp " + position.key.market.to_hex();
    };
    const auto add_margin = [&](const Position& position, double to_ratio, const char* why) {
        const Actor* trader = actor_at(position.key.account);
        if (!trader || !position.margin_ratio) return;
        const U256 add = from_eth((to_ratio - signed_wad(*position.margin_ratio)) * wad(position.debt));
        auto added = world.call(*trader, house, "addMargin(address,(uint256))", "[" + q(position.key.market) + ",[" + q(add) + "]]");
        attempt(report, "perp margin", added);
        last_adjusted[position.key.id()] = now;
        if (added) report.adjusted.push_back(perp_label(position) + " " + trader->account.name + " " + why);
    };
    // One trader in three tops a critical position up to safety once an hour; one in three adds
    // just enough to stay over maintenance (and so stays critical); the rest let it go.
    for (const auto& [slot, position] : slots) {
        // A liquidatable one too: the keeper is not instant, and margin added in time saves it.
        if (position->state != PositionState::Open && position->state != PositionState::Liquidatable) continue;
        if (risk::risk_of(*position, risk::RiskThresholds{}, now) != RiskLevel::Critical || !position->margin_ratio) continue;
        const auto policy = (stable_hash(position->key.id()) ^ options.seed) % 3;
        const auto touched = last_adjusted.find(position->key.id());
        if (policy == 0 && (touched == last_adjusted.end() || touched->second + kAdjustPauseSeconds <= now))
            add_margin(*position, kToppedUpMarginRatio, "topped up to a 20 % margin ratio");
        else if (policy == 1 && signed_wad(*position->margin_ratio) < kBarelyMarginRatio - 0.005)
            add_margin(*position, kBarelyMarginRatio, "kept just over maintenance");
    }
    const auto band = missing_band(levels);
    // A free slot (no position, its pause after a liquidation over) opens at the leverage the book lacks.
    for (const auto& [symbol, amm] : manifest.amms) {
        for (const Actor* trader : traders) {
            const std::pair slot{amm, trader->account.address};
            if (slots.contains(slot)) continue;
            const auto liquidated = perp_liquidated_at.find(slot);
            if (liquidated != perp_liquidated_at.end() && liquidated->second + kPerpReopenSeconds > now) continue;
            // A new position's margin ratio is about 1 ÷ leverage, less the fee: a critical one needs the market's help.
            // Mostly near the 10x limit: those are the positions a price move takes into the critical band.
            const double leverage = !band                         ? std::array{3.0, 8.0, 9.5, 9.8, 9.9}[choices() % 5]
                                  : *band == RiskLevel::Safe      ? 2.0 + 2.0 * uniform()
                                  : *band == RiskLevel::Warning   ? 7.0 + 2.0 * uniform()
                                                                  : 9.5 + 0.4 * uniform();
            const std::size_t c = collection_index(manifest.contracts.at(symbol));
            const double floor = c < paths.size() ? paths[c].price() : 1.0;
            // For the critical band, a trend chaser: long over the floor's usual level, short under it,
            // which the market's pull back to that level soon turns against it.
            const bool chase = band == RiskLevel::Critical && c < paths.size();
            const bool long_side = chase ? floor > paths[c].anchor() : uniform() < 0.5;
            const U256 margin = from_eth(floor * (0.05 + 0.15 * uniform()));
            auto opened = world.call(*trader, house, "openPosition(address,uint8,(uint256),(uint256),(uint256))",
                                     "[" + q(amm) + ",\"" + (long_side ? "0" : "1") + "\",[" + q(margin) + "],[" + q(from_eth(leverage)) + "],[\"0\"]]");
            const std::string what = "perp " + symbol + " " + (long_side ? "long" : "short") + " " + fixed(leverage, 1) + "x " + trader->account.name;
            attempt(report, "open " + what, opened);
            if (opened) report.opened.push_back(what);
            return;  // one a step
        }
    }
    if (!band || slots.empty()) return;
    // Every slot taken and a band missing: the safest position closes (its slot reopens at the
    // leverage the book lacks), or, lacking a safe one, the weakest is topped up.
    const auto ratio = [](const Position* p) { return p->margin_ratio ? signed_wad(*p->margin_ratio) : 0.0; };
    std::vector<const Position*> open;
    for (const auto& [slot, position] : slots)
        if (position->state == PositionState::Open) open.push_back(position);
    if (open.empty()) return;
    std::sort(open.begin(), open.end(), [&](const Position* a, const Position* b) { return ratio(a) < ratio(b); });
    if (*band == RiskLevel::Safe) {
        add_margin(*open.front(), 0.25, "topped up to a 25 % margin ratio");
        return;
    }
    if (last_perp_close + kPerpClosePauseSeconds > now) return;
    const Position& safest = *open.back();
    const Actor* trader = actor_at(safest.key.account);
    if (!trader) return;
    last_perp_close = now;
    auto closed = world.call(*trader, house, "closePosition(address,(uint256))", "[" + q(safest.key.market) + ",[\"0\"]]");
    attempt(report, "close perp", closed);
    if (closed) report.adjusted.push_back(perp_label(safest) + " " + trader->account.name + " closed");
}

/// Now and then a trader opens a TRADE pool around the floor with one fresh NFT and one floor's worth of ETH.
void MarketSimulator::State::open_pools(StepReport& report)
{
    std::size_t trader_pools = 0;
    for (const auto& position : book->positions)
        if (position.key.protocol == Protocol::Sudoswap) ++trader_pools;
    if (trader_pools >= kMaxTraderPools || uniform() >= chance(kNewPoolsPerHour)) return;
    const auto traders = actors_with_role(actors, "trader");
    const Actor& trader = *traders[choices() % traders.size()];
    const std::size_t c = choices() % collections.size();
    const Address factory = contract("SudoPairFactory");
    const auto curve = manifest.contracts.find("SudoLinearCurve");
    if (curve == manifest.contracts.end()) return;
    auto token = mint(report, c, trader);
    if (!token) return;
    approve_nfts(report, trader, collections[c].second, factory);
    const double floor = paths[c].price();
    auto created = world.call(trader, factory, "createPairETH(address,address,address,uint8,uint128,uint96,uint128,uint256[])",
                              "[" + q(collections[c].second) + "," + q(curve->second) + "," + q(Address()) + ",\"2\"," + q(from_eth(floor * 0.01)) + ","
                                  + q(ether(2, 100)) + "," + q(from_eth(floor * 0.97)) + ",[" + str(*token) + "]]",
                              from_eth(floor));
    const std::string what = "sudoswap " + collections[c].first + " pool " + trader.account.name;
    attempt(report, "open " + what, created);
    if (!created || created->logs.empty() || created->logs.back().data.size() != 32) return;
    // NewPair(address) is the factory's last log; the pair is its data.
    const auto pair = Address(*wallet::FixedBytes<20>::from_view(wallet::ByteView(created->logs.back().data).subspan(12)));
    pairs.push_back({pair, trader.account.address, collections[c].second, "TRADE", "linear"});
    report.opened.push_back(what);
}

}  // namespace nftterm::protocols::devnet
