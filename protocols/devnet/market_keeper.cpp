#include "simulator_state.hpp"

#include <protocols/eth/rpc/eth_api.hpp>

#include <cmath>

// The market's other side: the perp market maker, the keeper that auctions
// and liquidates, and the P2P lenders that foreclose.

namespace nftterm::protocols::devnet {

using wallet::Address;
using wallet::U256;
using namespace detail;
using namespace simulator;

namespace {

/// Perp mark is traded halfway back to the index once it strays this far.
constexpr double kMarkTolerance = 0.005;
constexpr double kMakerLeverage = 3.0;
/// A lender forecloses an overdue loan once it is this late: the window shows it overdue meanwhile.
constexpr std::uint64_t kForeclosureGraceSeconds = 3600;
const char* const kPositionTypes = "(((int256),(uint256),(uint256),(int256),uint256,uint256))";

}  // namespace

/// The market maker trades each Amm's mark halfway back to the index:
/// closing a position on the wrong side first (which moves the mark the
/// same way and frees its margin), else opening one at 3×; it keeps its own
/// positions well margined. Anyone settles funding once it is due.
void MarketSimulator::State::trade_perps(StepReport& report)
{
    const Address house = contract("PerpClearingHouse");
    const Actor& maker = who("maker");
    keep_weth(report, maker, 500, 1000);
    for (const auto& [symbol, amm] : manifest.amms) {
        auto reserves = world.read(amm, "getReserve()", "[]", "((uint256),(uint256))");
        auto index = world.read(amm, "getUnderlyingPrice()", "[]", "((uint256))");
        auto position = world.read(house, "getPosition(address,address)", "[" + q(amm) + "," + q(maker.account.address) + "]", kPositionTypes);
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
    auto position = world.read(house, "getPosition(address,address)", args, kPositionTypes);
    if (!position) return;
    const U256 add = *U256::mul_div(u((*position)[0][2][0]), U256(10), U256(100));
    attempt(report, "maker margin", world.call(maker, house, "addMargin(address,(uint256))", "[" + q(amm) + ",[" + q(add) + "]]"));
}

/// The keeper auctions pool loans below health 1 at the minimum bid, and
/// liquidates those whose auction has ended (paying any shortfall).
void MarketSimulator::State::keep_pool_loans(StepReport& report)
{
    if (!book) return;
    const Address pool = contract("BendLendPool");
    const Actor& keeper = who("keeper");
    keep_eth(report, keeper, 2000, 10000);
    keep_weth(report, keeper, 300, 1000);
    auto head = eth::get_block(world.client(), eth::BlockTag::latest());
    if (!head) return;
    for (const auto& loan : book->positions) {
        if (loan.key.protocol != positions::Protocol::BendDao || !loan.token_id) continue;
        const std::string token = loan.token_id->to_dec();
        const std::string nft = "[" + q(loan.collection) + ",\"" + token + "\"]";
        auto debt = world.read(pool, "getNftDebtData(address,uint256)", nft, "(uint256,address,uint256,uint256,uint256,uint256)");
        if (!debt || u((*debt)[0]) == U256(0)) continue;
        const std::string label = " #" + token;
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
                                        "[" + q(loan.collection) + ",\"" + token + "\"," + q(bid) + "," + q(keeper.account.address) + "]");
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
                                         "[" + q(loan.collection) + ",\"" + token + "\"," + q(shortfall) + "]");
            attempt(report, "liquidate" + label, liquidated);
            if (liquidated) report.liquidations.push_back("benddao liquidate" + label);
        }
    }
}

/// The keeper liquidates every perp position (the traders' and the maker's) under maintenance.
void MarketSimulator::State::keep_perps(StepReport& report)
{
    const Address house = contract("PerpClearingHouse");
    auto mmr = world.read(house, "maintenanceMarginRatio()", "[]", "(uint256)");
    if (!mmr) return;
    std::vector<std::pair<Address, Address>> slots;
    if (book)
        for (const auto& position : book->positions)
            if (position.key.protocol == positions::Protocol::Perp) slots.emplace_back(position.key.market, position.key.account);
    for (const auto& [symbol, amm] : manifest.amms) slots.emplace_back(amm, who("maker").account.address);
    for (const auto& [amm, trader] : slots) {
        const std::string args = "[" + q(amm) + "," + q(trader) + "]";
        auto ratio = world.read(house, "getMarginRatio(address,address)", args, "((int256))");
        if (!ratio) continue;  // no open position
        const std::string text = (*ratio)[0][0].get<std::string>();
        const bool below = text.starts_with('-') || *U256::from_dec(text) < u((*mmr)[0]);
        if (!below) {
            perp_below_since.erase({amm, trader});
            continue;
        }
        // The maker's own positions go at once (it would top them up anyway); traders' after the keeper's delay.
        const auto since = perp_below_since.try_emplace({amm, trader}, now).first->second;
        if (trader != who("maker").account.address && since + options.perp_keeper_delay_seconds > now) continue;
        auto liquidated = world.call(who("keeper"), house, "liquidate(address,address)", args);
        attempt(report, "perp liquidation", liquidated);
        if (!liquidated) continue;
        report.liquidations.push_back("perp " + amm.to_hex() + " " + trader.to_hex());
        perp_liquidated_at[{amm, trader}] = now;
        perp_below_since.erase({amm, trader});
    }
}

/// A P2P lender takes the NFT of a loan an hour past its maturity.
void MarketSimulator::State::foreclose_p2p(StepReport& report)
{
    if (!book) return;
    for (const auto& loan : book->positions) {
        if (loan.key.protocol != positions::Protocol::Nftfi || loan.state != positions::PositionState::Overdue) continue;
        if (!loan.maturity || *loan.maturity + kForeclosureGraceSeconds > now) continue;
        const std::string id = loan.key.number.to_dec();
        auto lender = world.read(loan.key.contract, "loanIdToLender(uint32)", "[\"" + id + "\"]", "(address)");
        if (!lender) continue;
        const Actor* actor = actor_at(*Address::parse((*lender)[0].get<std::string>()));
        if (!actor) continue;
        auto foreclosed = world.call(*actor, loan.key.contract, "liquidateOverdueLoan(uint32)", "[\"" + id + "\"]");
        attempt(report, "foreclose", foreclosed);
        if (foreclosed) report.liquidations.push_back("nftfi foreclose #" + id);
    }
}

}  // namespace nftterm::protocols::devnet
