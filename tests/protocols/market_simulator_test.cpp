#include "../support/demo_world_fixture.hpp"
#include "../support/verify_ok.hpp"

#include <protocols/devnet/market_simulator.hpp>
#include <protocols/positions/monitor.hpp>

#include <QTest>

#include "../support/test_registry.hpp"

#include <unistd.h>

#include <cmath>

using namespace nftterm;
using namespace nftterm::protocols;
using nftterm::tests::dec;
using wallet::Address;
using wallet::U256;

namespace {

std::string q(const Address& address)
{
    return "\"" + address.to_hex() + "\"";
}

bool mentions(const std::vector<std::string>& lines, const std::string& text)
{
    return std::any_of(lines.begin(), lines.end(), [&](const auto& line) { return line.find(text) != std::string::npos; });
}

}  // namespace

/// The devnet market simulator: its seeded price path, the oracle it
/// feeds, determinism for a seed, and the keeper and lenders acting on what
/// becomes liquidatable.
class MarketSimulatorTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void pricePathIsSeededAndRevertsAroundItsAnchor()
    {
        // Minute steps for a fortnight: seeded, around the anchor, with jumps.
        devnet::PricePath a(42, 30.0, 30.0), b(42, 30.0, 30.0), c(43, 30.0, 30.0);
        int jumps = 0;
        double previous = 30.0, sum = 0, sum_of_squares = 0, low = 30.0, high = 30.0;
        bool differs = false;
        constexpr int kSteps = 20160;
        for (int i = 0; i < kSteps; ++i) {
            const double x = a.next(60);
            QCOMPARE(x, b.next(60));
            differs = differs || x != c.next(60);
            const double deviation = std::log(x / 30.0);
            sum += deviation;
            sum_of_squares += deviation * deviation;
            // A minute's diffusion is about 1.9 %: a move over 9 % is a jump (5-15 %).
            if (std::abs(std::log(x / previous)) > 0.09) ++jumps;
            low = std::min(low, x);
            high = std::max(high, x);
            previous = x;
        }
        QVERIFY(differs);
        const double mean = sum / kSteps, spread = std::sqrt(sum_of_squares / kSteps - mean * mean);
        // Stationary spread of the log price: 15 % / √(2 ln 2) = 12.7 % from the walk, about 14 % with the jumps.
        QVERIFY2(std::abs(mean) < 0.04, std::to_string(mean).c_str());
        QVERIFY2(spread > 0.10 && spread < 0.18, std::to_string(spread).c_str());
        // 0.5 jumps an hour over 336 hours, those over 9 % about 60 % of them: about 100.
        QVERIFY2(jumps > 50 && jumps < 170, std::to_string(jumps).c_str());
        QVERIFY2(low > 30.0 / 3 && high < 30.0 * 3, (std::to_string(low) + " " + std::to_string(high)).c_str());
    }

    void aPriceAwayFromItsAnchorComesBackWithinHours()
    {
        // Half-life one hour: after three hours a floor started at half its anchor is back within
        // an eighth of the way (log 0.5 / 8 = -8.7 %) on average over many seeds.
        double after_three_hours = 0;
        constexpr int kSeeds = 200;
        for (int seed = 0; seed < kSeeds; ++seed) {
            devnet::PricePath path(seed, 15.0, 30.0);
            double price = 15.0;
            for (int minute = 0; minute < 180; ++minute) price = path.next(60);
            after_three_hours += std::log(price / 30.0) / kSeeds;
        }
        QVERIFY2(after_three_hours > -0.15 && after_three_hours < -0.03, std::to_string(after_three_hours).c_str());
        // The step length does not change the market: one three-hour step lands in the same place on average.
        double in_one_step = 0;
        for (int seed = 0; seed < kSeeds; ++seed) in_one_step += std::log(devnet::PricePath(seed, 15.0, 30.0).next(3 * 3600) / 30.0) / kSeeds;
        QVERIFY2(std::abs(in_one_step - after_three_hours) < 0.05, (std::to_string(in_one_step) + " " + std::to_string(after_three_hours)).c_str());
    }

    void initTestCase()
    {
        m_world = std::make_unique<tests::DemoWorldFixture>();
        QVERIFY2(m_world->ready(), m_world->error().c_str());
        m_dir = std::filesystem::temp_directory_path() / ("nftterm-simulator-test-" + std::to_string(::getpid()));
        std::filesystem::create_directories(m_dir);
    }
    void cleanupTestCase() { std::filesystem::remove_all(m_dir); }
    void init() { m_world->snapshot(); }
    void cleanup()
    {
        (void)m_world->client().call("anvil_removeBlockTimestampInterval", "[]");
        m_world->revert();
    }

    void stepsFeedTheOracleAndAreDeterministic()
    {
        const Address oracle = m_world->contract("NFTOracle");
        const Address dape = m_world->contract("DAPE");
        const double start = std::stod(m_world->read_u256(oracle, "getAssetPrice(address)", "[" + q(dape) + "]").to_dec()) / 1e18;
        m_world->snapshot();
        const auto first = run(5, 11);
        QCOMPARE(first.size(), std::size_t(5));
        // The oracle holds the last pushed floor, which follows the seeded path (DAPE is the first collection).
        QCOMPARE(m_world->read_u256(oracle, "getAssetPrice(address)", "[" + q(dape) + "]").to_dec(), first.back().prices.at("DAPE"));
        // A second a step, reverting to DAPE's seeded floor of 30 ETH.
        devnet::PricePath path(11 * 1000003ULL, start, 30.0);
        for (const auto& report : first) {
            const auto expected = U256(static_cast<std::uint64_t>(std::llround(path.next(1) * 1e9))) * U256(1000000000ULL);
            QCOMPARE(report.prices.at("DAPE"), expected.to_dec());
        }
        int trades = 0;
        for (const auto& report : first) trades += report.pool_trades + report.perp_trades;
        QVERIFY(trades > 0);
        // From the same state with the same seed, the same market.
        m_world->revert();
        const auto second = run(5, 11);
        for (std::size_t i = 0; i < first.size(); ++i) {
            QCOMPARE(second[i].prices, first[i].prices);
            QCOMPARE(second[i].pool_trades, first[i].pool_trades);
            QCOMPARE(second[i].perp_trades, first[i].perp_trades);
            // Pool-loan actions too; perp liquidations are left out: they read the 15-minute
            // mark TWAP, which weighs block times, and those follow the wall clock.
            QCOMPARE(pool_loan_actions(second[i]), pool_loan_actions(first[i]));
        }
    }

    void keeperAuctionsAndLiquidatesAfterACrash()
    {
        const Address oracle = m_world->contract("NFTOracle");
        const Address pool = m_world->contract("BendLendPool");
        const Address dape = m_world->contract("DAPE");
        const U256 price = m_world->read_u256(oracle, "getAssetPrice(address)", "[" + q(dape) + "]");
        VERIFY_OK(m_world->send("deployer", oracle, "setAssetData(address,uint256)", "[" + q(dape) + "," + dec(price / U256(2)) + "]"));
        // Each block one second after the last, as when the wall clock ticks between the keeper's read
        // (at the head's timestamp) and its bid's block: the bid must cover the interest accrued since.
        // Without this the case depended on the machine's load (anvil stamps blocks mined within one
        // second alike), and failed now and then under ctest -j2.
        VERIFY_OK(m_world->client().call("anvil_setBlockTimestampInterval", "[1]"));
        auto simulator = devnet::MarketSimulator::create(m_world->client(), m_world->manifest(), 5, m_dir / "crash.jsonl");
        VERIFY_OK(simulator);
        std::vector<std::string> liquidations, errors;
        for (int i = 0; i < 3; ++i) {
            auto report = (*simulator)->step();
            VERIFY_OK(report);
            liquidations.insert(liquidations.end(), report->liquidations.begin(), report->liquidations.end());
            errors.insert(errors.end(), report->errors.begin(), report->errors.end());
        }
        QVERIFY2(errors.empty(), errors.empty() ? "" : errors.front().c_str());
        // Every DAPE pool loan is underwater at half the floor: each goes to auction with the keeper as bidder.
        const Address keeper = m_world->address_of("keeper");
        int auctioned = 0;
        for (const auto& loan : m_world->manifest().loans) {
            if (loan.protocol != positions::Protocol::BendDao || loan.collection != dape) continue;
            QVERIFY2(mentions(liquidations, "benddao auction #" + std::to_string(loan.token_id)), joined(liquidations).c_str());
            auto auction = m_world->read(pool, "getNftAuctionData(address,uint256)", "[" + q(dape) + ",\"" + std::to_string(loan.token_id) + "\"]",
                                         "(uint256,address,uint256,uint256,uint256)");
            VERIFY_OK(auction);
            QCOMPARE((*auction)[1].get<std::string>(), keeper.to_hex());
            ++auctioned;
        }
        QCOMPARE(auctioned, 3);
        // After the 4-hour auction the keeper liquidates and takes the NFTs (a timestamp interval
        // stops evm_increaseTime, so the clock jumps without it).
        VERIFY_OK(m_world->client().call("anvil_removeBlockTimestampInterval", "[]"));
        m_world->advance(4 * 3600 + 60);
        VERIFY_OK(m_world->client().call("anvil_setBlockTimestampInterval", "[1]"));
        auto report = (*simulator)->step();
        VERIFY_OK(report);
        for (const auto& loan : m_world->manifest().loans) {
            if (loan.protocol != positions::Protocol::BendDao || loan.collection != dape) continue;
            QVERIFY(mentions(report->liquidations, "benddao liquidate #" + std::to_string(loan.token_id)));
            QCOMPARE(m_world->read(dape, "ownerOf(uint256)", "[\"" + std::to_string(loan.token_id) + "\"]", "(address)")->at(0).get<std::string>(),
                     keeper.to_hex());
        }
        // The 10-minute funding periods have passed too: funding was settled on every Amm.
        QCOMPARE(report->funding.size(), m_world->manifest().amms.size());
    }

    void perpsUnderMaintenanceAreLiquidated()
    {
        // The seeded longs at high leverage sit near maintenance: a mark move against them makes the keeper act.
        const Address house = m_world->contract("PerpClearingHouse");
        // Crash every index by a third (before the simulator starts: its price paths start from the oracle);
        // the maker drags each mark down half the gap per step.
        const Address oracle = m_world->contract("NFTOracle");
        for (const auto& [symbol, amm] : m_world->manifest().amms) {
            const Address collection = m_world->contract(symbol);
            const U256 price = m_world->read_u256(oracle, "getAssetPrice(address)", "[" + q(collection) + "]");
            VERIFY_OK(m_world->send("deployer", oracle, "setAssetData(address,uint256)", "[" + q(collection) + "," + dec(price * U256(2) / U256(3)) + "]"));
        }
        auto simulator = devnet::MarketSimulator::create(m_world->client(), m_world->manifest(), 5, m_dir / "perps.jsonl");
        VERIFY_OK(simulator);
        std::vector<std::string> liquidations;
        for (int i = 0; i < 6; ++i) {
            if (i > 0) m_world->advance(5 * 60);  // let the 15-minute TWAP follow the mark
            auto report = (*simulator)->step();
            VERIFY_OK(report);
            liquidations.insert(liquidations.end(), report->liquidations.begin(), report->liquidations.end());
        }
        // Every seeded position the keeper liquidated is closed; every other one is above maintenance.
        const U256 maintenance = m_world->read_u256(house, "maintenanceMarginRatio()");
        int liquidated = 0;
        for (const auto& perp : m_world->manifest().perps) {
            const std::string who = "[" + q(perp.amm) + "," + q(perp.trader) + "]";
            if (mentions(liquidations, "perp " + perp.amm.to_hex() + " " + perp.trader.to_hex())) {
                ++liquidated;
                auto position = m_world->read(house, "getPosition(address,address)", who, "(((int256),(uint256),(uint256),(int256),uint256,uint256))");
                QCOMPARE((*position)[0][0][0].get<std::string>(), std::string("0"));
            } else {
                auto ratio = m_world->read(house, "getMarginRatio(address,address)", who, "((int256))");
                VERIFY_OK(ratio);
                const std::string text = (*ratio)[0][0].get<std::string>();
                QVERIFY2(!text.starts_with('-') && *U256::from_dec(text) >= maintenance, (perp.trader.to_hex() + " " + text).c_str());
            }
        }
        QVERIFY2(liquidated >= 2, joined(liquidations).c_str());
    }

    void overdueP2pLoansAreForeclosedByTheirLenders()
    {
        auto simulator = devnet::MarketSimulator::create(m_world->client(), m_world->manifest(), 5, m_dir / "p2p.jsonl");
        VERIFY_OK(simulator);
        m_world->advance(31 * 24 * 3600);
        auto report = (*simulator)->step();
        VERIFY_OK(report);
        for (const auto& loan : m_world->manifest().loans) {
            if (loan.protocol != positions::Protocol::Nftfi) continue;
            QVERIFY(mentions(report->liquidations, "nftfi foreclose #" + std::to_string(loan.loan_id)));
            QCOMPARE(m_world->read(loan.collection, "ownerOf(uint256)", "[\"" + std::to_string(loan.token_id) + "\"]", "(address)")->at(0).get<std::string>(),
                     loan.lender.to_hex());
        }
    }

    void theDemoTradersKeepEveryBandOfEveryLoanFamily()
    {
        // Twenty simulated minutes at full speed, the chain's clock moved with them.
        devnet::SimulatorOptions options;
        options.seed = 3;
        options.step_seconds = 60;
        options.warp_clock = true;
        auto simulator = devnet::MarketSimulator::create(m_world->client(), m_world->manifest(), options, m_dir / "traders.jsonl");
        VERIFY_OK(simulator);
        std::vector<devnet::StepReport> reports;
        for (int i = 0; i < 20; ++i) {
            auto report = (*simulator)->step();
            VERIFY_OK(report);
            QVERIFY2(report->errors.empty(), report->errors.empty() ? "" : report->errors.front().c_str());
            reports.push_back(*report);
        }
        std::vector<std::string> opened;
        for (const auto& report : reports) opened.insert(opened.end(), report.opened.begin(), report.opened.end());
        QVERIFY2(!opened.empty(), "the traders opened nothing");
        // Pool and P2P loans land in the band the book lacks: each family has safe, warning and critical rows.
        const auto& book = reports.back().book;
        for (const char* family : {"benddao", "nftfi"}) {
            QVERIFY2(book.contains(family), family);
            const auto& bands = book.at(family);
            QVERIFY2(bands.safe > 0 && bands.warning > 0 && bands.critical > 0,
                     (std::string(family) + " " + std::to_string(bands.safe) + "/" + std::to_string(bands.warning) + "/" + std::to_string(bands.critical)).c_str());
        }
        // The book is what the terminal reads: a monitor of its own over the traders finds as many positions.
        std::vector<Address> traders;
        for (const char* name : {"alice", "bob", "carol"}) traders.push_back(m_world->address_of(name));
        positions::Monitor monitor(m_world->client(), m_world->registry(), traders);
        VERIFY_OK(monitor.discover());
        auto snapshot = monitor.refresh();
        VERIFY_OK(snapshot);
        std::size_t counted = 0;
        for (const auto& [family, bands] : book) counted += bands.safe + bands.warning + bands.critical + bands.unknown;
        QCOMPARE((*snapshot)->positions.size(), counted);
        QVERIFY((*snapshot)->positions.size() > m_world->manifest().loans.size());  // loans were added, not only kept
    }

    void arbitrageAndTheMakerKeepPoolQuotesAroundTheFloor()
    {
        // Every pool starts a third above the floor's new level: the oracle drops 25 % at once.
        const Address oracle = m_world->contract("NFTOracle");
        const Address dape = m_world->contract("DAPE");
        const U256 seeded = m_world->read_u256(oracle, "getAssetPrice(address)", "[" + q(dape) + "]");
        VERIFY_OK(m_world->send("deployer", oracle, "setAssetData(address,uint256)", "[" + q(dape) + "," + dec(seeded * U256(3) / U256(4)) + "]"));
        devnet::SimulatorOptions options;
        options.seed = 8;
        options.step_seconds = 60;
        options.warp_clock = true;
        options.traders = false;
        auto simulator = devnet::MarketSimulator::create(m_world->client(), m_world->manifest(), options, m_dir / "quotes.jsonl");
        VERIFY_OK(simulator);
        for (int i = 0; i < 4; ++i) VERIFY_OK((*simulator)->step());
        // Read back from the pairs themselves: no DAPE pool bids over 3 % above the oracle, none asks 3 % under it.
        const double floor = std::stod(m_world->read_u256(oracle, "getAssetPrice(address)", "[" + q(dape) + "]").to_dec()) / 1e18;
        int quoted = 0;
        for (const auto& pair : m_world->manifest().pairs) {
            if (pair.collection != dape) continue;
            const std::string quote = "(uint8,uint256,uint256,uint256,uint256)";
            auto bid = m_world->read(pair.pair, "getSellNFTQuote(uint256)", "[\"1\"]", quote);
            auto ask = m_world->read(pair.pair, "getBuyNFTQuote(uint256)", "[\"1\"]", quote);
            VERIFY_OK(bid);
            VERIFY_OK(ask);
            const double cash = std::stod(m_world->eth_balance(pair.pair).to_dec()) / 1e18;
            const double bid_eth = std::stod((*bid)[3].get<std::string>()) / 1e18, ask_eth = std::stod((*ask)[3].get<std::string>()) / 1e18;
            const auto held = m_world->read_u256(dape, "balanceOf(address)", "[" + q(pair.pair) + "]");
            if (pair.pool_type != "NFT" && (*bid)[0].get<std::string>() == "0" && bid_eth <= cash) {
                QVERIFY2(bid_eth <= floor * 1.03, (pair.pair.to_hex() + " bids " + std::to_string(bid_eth) + " over " + std::to_string(floor)).c_str());
                ++quoted;
            }
            if (pair.pool_type != "TOKEN" && (*ask)[0].get<std::string>() == "0" && held > U256(0)) {
                QVERIFY2(ask_eth >= floor * 0.97, (pair.pair.to_hex() + " asks " + std::to_string(ask_eth) + " under " + std::to_string(floor)).c_str());
                ++quoted;
            }
        }
        QVERIFY(quoted >= 4);
    }

private:
    static std::vector<std::string> pool_loan_actions(const devnet::StepReport& report)
    {
        std::vector<std::string> actions;
        for (const auto& line : report.liquidations)
            if (line.starts_with("benddao")) actions.push_back(line);
        return actions;
    }

    static std::string joined(const std::vector<std::string>& lines)
    {
        std::string out;
        for (const auto& line : lines) out += line + "; ";
        return out;
    }

    std::vector<devnet::StepReport> run(int steps, std::uint64_t seed)
    {
        std::vector<devnet::StepReport> reports;
        auto simulator = devnet::MarketSimulator::create(m_world->client(), m_world->manifest(), seed, m_dir / ("run-" + std::to_string(++m_runs) + ".jsonl"));
        if (!simulator) return reports;
        for (int i = 0; i < steps; ++i) {
            auto report = (*simulator)->step();
            if (report) reports.push_back(*report);
        }
        return reports;
    }

    std::unique_ptr<tests::DemoWorldFixture> m_world;
    std::filesystem::path m_dir;
    int m_runs = 0;
};

NFTTERM_TEST_GUILESS(MarketSimulatorTest)
#include "market_simulator_test.moc"
