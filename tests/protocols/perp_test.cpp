#include "../support/demo_world_fixture.hpp"
#include "../support/verify_ok.hpp"

#include <protocols/devnet/demo_world.hpp>
#include <protocols/positions/monitor.hpp>
#include <protocols/positions/registry.hpp>

#include <QTest>

#include "../support/test_registry.hpp"

using namespace nftterm;
using namespace nftterm::protocols;
using nftterm::tests::dec;
using nftterm::tests::Int256;
using nftterm::tests::wad;
using wallet::Address;
using wallet::U256;

namespace {

constexpr const char* kOpen = "openPosition(address,uint8,(uint256),(uint256),(uint256))";
constexpr const char* kPositionTypes = "(((int256),(uint256),(uint256),(int256),uint256,uint256))";
const U256 kUnit = *U256::from_dec("1000000000000000000");

U256 u(const nlohmann::json& value)
{
    return *U256::from_dec(value.get<std::string>());
}

Int256 i(const nlohmann::json& value)
{
    return Int256(value.get<std::string>());
}

std::string q(const Address& address)
{
    return "\"" + address.to_hex() + "\"";
}

// Perp v1's vAMM math from the reference formulas (not from the contract).
U256 mul_d(const U256& x, const U256& y)
{
    return x * y / kUnit;
}

U256 div_d(const U256& x, const U256& y)
{
    return x * kUnit / y;
}

/// Base received for `quote` added to the pool (a long), 1 wei less when k/Q' is inexact.
U256 long_base_for(const U256& quote_reserve, const U256& base_reserve, const U256& quote)
{
    const U256 k = mul_d(quote_reserve, base_reserve);
    const U256 quote_after = quote_reserve + quote;
    U256 base = base_reserve - div_d(k, quote_after);
    if ((k * kUnit) % quote_after != U256(0)) base = base - U256(1);
    return base;
}

/// Quote received for `base` sold back to the pool (closing a long), 1 wei less when inexact.
U256 long_close_quote_for(const U256& quote_reserve, const U256& base_reserve, const U256& base)
{
    const U256 k = mul_d(quote_reserve, base_reserve);
    const U256 base_after = base_reserve + base;
    U256 quote = quote_reserve - div_d(k, base_after);
    if ((k * kUnit) % base_after != U256(0)) quote = quote - U256(1);
    return quote;
}

}  // namespace

/// The Perp-v1-style Amm and ClearingHouse on the seeded devnet: the vAMM
/// arithmetic, PnL, margin changes, funding, keeper liquidation, refusals.
class PerpTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        m_world = std::make_unique<tests::DemoWorldFixture>();
        QVERIFY2(m_world->ready(), m_world->error().c_str());
        m_house = m_world->contract("PerpClearingHouse");
        m_amm = m_world->manifest().amms.at("DAPE");
        m_house_abi = &m_world->abi("ClearingHouse.sol", "ClearingHouse");
        m_amm_abi = &m_world->abi("Amm.sol", "Amm");
    }
    void init() { m_world->snapshot(); }
    void cleanup() { m_world->revert(); }

    void theIndexKeyIsABytes32NameAsPerpV1sAndTheMonitorFindsItsCollection()
    {
        // Perp v1 declares priceFeedKey bytes32 ("ETH"); the devnet's Amm does too, with the collection's symbol.
        auto key = m_world->read(m_amm, "priceFeedKey()", "[]", "(bytes32)");
        VERIFY_OK(key);
        const std::string expected = "0x44415045" + std::string(56, '0');  // "DAPE" in ASCII, right-padded
        QCOMPARE((*key)[0].get<std::string>(), expected);
        // Read as an address (what the adapter once did), the strict decoder refuses the ASCII key.
        QVERIFY(!m_world->read(m_amm, "priceFeedKey()", "[]", "(address)"));
        // The index is the oracle's floor of the collection registered under that key.
        const Address feed = m_world->contract("PerpPriceFeed");
        QCOMPARE(m_world->read_u256(feed, "getPrice(bytes32)", "[\"" + expected + "\"]"),
                 m_world->read_u256(m_world->contract("NFTOracle"), "getAssetPrice(address)", "[" + q(m_world->contract("DAPE")) + "]"));
        QVERIFY(!m_world->read(feed, "getPrice(bytes32)", "[\"0x" + std::string(64, '1') + "\"]", "(uint256)"));
        // The monitor names the position's collection through the registry's symbol.
        auto registry = positions::registry_from_json(devnet::manifest_to_json(m_world->manifest()));
        VERIFY_OK(registry);
        positions::Monitor monitor(m_world->client(), *registry, {m_world->address_of("alice")});
        VERIFY_OK(monitor.discover());
        auto snapshot = monitor.refresh();
        VERIFY_OK(snapshot);
        int perps = 0;
        for (const auto& position : (*snapshot)->positions)
            if (position.key.protocol == positions::Protocol::Perp && position.key.market == m_amm) {
                QVERIFY2(position.readable, position.unreadable_reason.c_str());
                QCOMPARE(position.collection, m_world->contract("DAPE"));
                ++perps;
            }
        QCOMPARE(perps, 1);
    }

    void openingFollowsTheVammMath()
    {
        const auto [quote_reserve, base_reserve] = reserves();
        const Address maker = m_world->address_of("maker");
        const U256 weth_before = m_world->weth_balance(maker);
        auto opened = open("maker", 0, wad("10"), wad("3"));
        VERIFY_OK(opened);
        const U256 notional = wad("30");
        const U256 expected_base = long_base_for(quote_reserve, base_reserve, notional);
        const auto event = m_world->event(*opened, *m_house_abi, "PositionChanged");
        QVERIFY(!event.is_null());
        QCOMPARE(i(event[4]), Int256(expected_base.to_dec()));
        // Spread 0.1 % of the notional, paid on top of the margin.
        const U256 fee = mul_d(notional, wad("0.001"));
        QCOMPARE(u(event[5]), fee);
        QCOMPARE(weth_before - m_world->weth_balance(maker), wad("10") + fee);
        auto position = m_world->read(m_house, "getPosition(address,address)", "[" + q(m_amm) + "," + q(maker) + "]", kPositionTypes);
        VERIFY_OK(position);
        QCOMPARE(i((*position)[0][0][0]), Int256(expected_base.to_dec()));
        QCOMPARE(u((*position)[0][1][0]), wad("10"));
        QCOMPARE(u((*position)[0][2][0]), notional);
        const auto [quote_after, base_after] = reserves();
        QCOMPARE(quote_after, quote_reserve + notional);
        QCOMPARE(base_after, base_reserve - expected_base);
    }

    void closingRealizesThePnl()
    {
        const Address maker = m_world->address_of("maker");
        VERIFY_OK(open("maker", 0, wad("10"), wad("2")));
        const U256 size = u(m_world->read(m_house, "getPosition(address,address)", "[" + q(m_amm) + "," + q(maker) + "]", kPositionTypes)->at(0)[0][0]);
        // Another trader pushes the mark up.
        VERIFY_OK(m_world->send("lender-2", m_world->contract("WETH9"), "approve(address,uint256)", "[" + q(m_house) + "," + dec(U256::max()) + "]"));
        VERIFY_OK(open("lender-2", 0, wad("50"), wad("5")));
        const auto [quote_reserve, base_reserve] = reserves();
        const U256 exit_notional = long_close_quote_for(quote_reserve, base_reserve, size);
        QVERIFY(exit_notional > wad("20"));
        const U256 before = m_world->weth_balance(maker);
        auto closed = m_world->send("maker", m_house, "closePosition(address,(uint256))", "[" + q(m_amm) + ",[\"0\"]]");
        VERIFY_OK(closed);
        const U256 pnl = exit_notional - wad("20");
        const U256 fee = mul_d(exit_notional, wad("0.001"));
        QCOMPARE(m_world->weth_balance(maker) - before, wad("10") + pnl - fee);
        QCOMPARE(i(m_world->event(*closed, *m_house_abi, "PositionChanged")[7]), Int256(pnl.to_dec()));
        QCOMPARE(m_world->read(m_house, "getPosition(address,address)", "[" + q(m_amm) + "," + q(maker) + "]", kPositionTypes)->at(0)[0][0].get<std::string>(),
                 std::string("0"));
    }

    void marginCanBeAddedAndFreeMarginRemoved()
    {
        const Address maker = m_world->address_of("maker");
        VERIFY_OK(open("maker", 1, wad("10"), wad("5")));
        const std::string who = "[" + q(m_amm) + "," + q(maker) + "]";
        const Int256 ratio_before = i(m_world->read(m_house, "getMarginRatio(address,address)", who, "((int256))")->at(0)[0]);
        auto added = m_world->send("maker", m_house, "addMargin(address,(uint256))", "[" + q(m_amm) + ",[" + dec(wad("5")) + "]]");
        VERIFY_OK(added);
        QCOMPARE(i(m_world->event(*added, *m_house_abi, "MarginChanged")[2]), Int256(wad("5").to_dec()));
        QCOMPARE(u(m_world->read(m_house, "getPosition(address,address)", who, kPositionTypes)->at(0)[1][0]), wad("15"));
        QVERIFY(i(m_world->read(m_house, "getMarginRatio(address,address)", who, "((int256))")->at(0)[0]) > ratio_before);
        // 50 notional needs 5 of initial margin: 10 of the 15 may go, not 11.
        auto greedy = m_world->send("maker", m_house, "removeMargin(address,(uint256))", "[" + q(m_amm) + ",[" + dec(wad("11")) + "]]");
        QVERIFY(!greedy);
        QVERIFY2(greedy.error().message().find("free collateral is not enough") != std::string::npos, greedy.error().message().c_str());
        const U256 before = m_world->weth_balance(maker);
        VERIFY_OK(m_world->send("maker", m_house, "removeMargin(address,(uint256))", "[" + q(m_amm) + ",[" + dec(wad("5")) + "]]"));
        QCOMPARE(m_world->weth_balance(maker) - before, wad("5"));
    }

    void fundingIsSettledFromTheTwapsAndPaid()
    {
        const Address maker = m_world->address_of("maker");
        // A big long lifts the mark above the index: longs will pay.
        VERIFY_OK(open("maker", 0, wad("200"), wad("5")));
        const U256 next = m_world->read_u256(m_amm, "nextFundingTime()");
        if (m_world->head_timestamp() < next.to_u64().value_or(0)) {
            auto early = m_world->send("keeper", m_house, "payFunding(address)", "[" + q(m_amm) + "]");
            QVERIFY(!early);
            QVERIFY(early.error().message().find("settle funding too early") != std::string::npos);
        }
        m_world->advance(600);
        auto paid = m_world->send("keeper", m_house, "payFunding(address)", "[" + q(m_amm) + "]");
        VERIFY_OK(paid);
        // The same block's view of both TWAPs gives the premium fraction: (mark − index) × 600 / 86400.
        const Int256 mark_twap(m_world->read_u256(m_amm, "getTwapPrice(uint256)", "[\"600\"]").to_dec());
        const Int256 index_twap(m_world->read_u256(m_amm, "getUnderlyingTwapPrice(uint256)", "[\"600\"]").to_dec());
        const Int256 premium_fraction = (mark_twap - index_twap) * 600 / 86400;
        QVERIFY(premium_fraction > 0);
        const Int256 cumulative = i(m_world->read(m_house, "getLatestCumulativePremiumFraction(address)", "[" + q(m_amm) + "]", "((int256))")->at(0)[0]);
        QCOMPARE(cumulative, premium_fraction);
        const auto rate_event = m_world->event(*paid, *m_amm_abi, "FundingRateUpdated");
        QVERIFY(!rate_event.is_null());
        QCOMPARE(i(rate_event[0]), premium_fraction * Int256(kUnit.to_dec()) / index_twap);
        QCOMPARE(i(rate_event[1]), index_twap);
        QVERIFY(m_world->read_u256(m_amm, "nextFundingTime()") > U256(m_world->head_timestamp()));

        // The long's next margin change settles what it owes: fundingPayment = ΔcumPF × size.
        const std::string who = "[" + q(m_amm) + "," + q(maker) + "]";
        const auto position = m_world->read(m_house, "getPosition(address,address)", who, kPositionTypes);
        const Int256 size = i((*position)[0][0][0]);
        const U256 margin = u((*position)[0][1][0]);
        auto removed = m_world->send("maker", m_house, "removeMargin(address,(uint256))", "[" + q(m_amm) + ",[" + dec(wad("1")) + "]]");
        VERIFY_OK(removed);
        const Int256 payment = premium_fraction * size / Int256(kUnit.to_dec());
        QCOMPARE(i(m_world->event(*removed, *m_house_abi, "MarginChanged")[3]), payment);
        const Int256 margin_after(u(m_world->read(m_house, "getPosition(address,address)", who, kPositionTypes)->at(0)[1][0]).to_dec());
        QCOMPARE(margin_after, Int256(margin.to_dec()) - Int256(wad("1").to_dec()) - payment);
    }

    void keeperLiquidatesBelowMaintenance()
    {
        const Address maker = m_world->address_of("maker");
        VERIFY_OK(open("maker", 0, wad("10"), wad("9.5")));
        const std::string who = "[" + q(m_amm) + "," + q(maker) + "]";
        auto healthy = m_world->send("keeper", m_house, "liquidate(address,address)", who);
        QVERIFY(!healthy);
        QVERIFY(healthy.error().message().find("Margin ratio meets the requirement") != std::string::npos);
        // A large short drives the mark down; a quarter hour later the TWAP agrees.
        VERIFY_OK(m_world->send("lender-2", m_world->contract("WETH9"), "approve(address,uint256)", "[" + q(m_house) + "," + dec(U256::max()) + "]"));
        VERIFY_OK(open("lender-2", 1, wad("150"), wad("10")));
        m_world->advance(16 * 60);
        const Int256 ratio = i(m_world->read(m_house, "getMarginRatio(address,address)", who, "((int256))")->at(0)[0]);
        QVERIFY(ratio < Int256(wad("0.0625").to_dec()));
        const U256 keeper_before = m_world->weth_balance(m_world->address_of("keeper"));
        auto liquidated = m_world->send("keeper", m_house, "liquidate(address,address)", who);
        VERIFY_OK(liquidated);
        const auto event = m_world->event(*liquidated, *m_house_abi, "PositionLiquidated");
        QVERIFY(!event.is_null());
        QCOMPARE(event[0].get<std::string>(), maker.to_hex());
        // The keeper earns half the 2.5 % liquidation fee on the closed notional.
        const U256 fee = mul_d(u(event[2]), wad("0.025")) / U256(2);
        QCOMPARE(u(event[4]), fee);
        QCOMPARE(m_world->weth_balance(m_world->address_of("keeper")) - keeper_before, fee);
        QCOMPARE(m_world->read(m_house, "getPosition(address,address)", who, kPositionTypes)->at(0)[0][0].get<std::string>(), std::string("0"));
    }

    void refusals()
    {
        auto greedy = open("maker", 0, wad("1"), wad("11"));
        QVERIFY(!greedy);
        QVERIFY2(greedy.error().message().find("margin ratio not meet criteria") != std::string::npos, greedy.error().message().c_str());
        auto nothing = m_world->send("maker", m_house, "closePosition(address,(uint256))", "[" + q(m_amm) + ",[\"0\"]]");
        QVERIFY(!nothing);
        QVERIFY(nothing.error().message().find("positionSize is 0") != std::string::npos);
        auto unknown = m_world->send("maker", m_house, kOpen, "[" + q(m_world->contract("WETH9")) + ",\"0\",[" + dec(wad("1")) + "],[" + dec(wad("2")) + "],[\"0\"]]");
        QVERIFY(!unknown);
        QVERIFY(unknown.error().message().find("amm not found") != std::string::npos);
        // A long asking for more base than the pool gives.
        const auto [quote_reserve, base_reserve] = reserves();
        const U256 base = long_base_for(quote_reserve, base_reserve, wad("20"));
        auto slipped = m_world->send("maker", m_house, kOpen, "[" + q(m_amm) + ",\"0\",[" + dec(wad("10")) + "],[" + dec(wad("2")) + "],[" + dec(base + U256(1)) + "]]");
        QVERIFY(!slipped);
        QVERIFY(slipped.error().message().find("Less than minimal base token") != std::string::npos);
        // Only the clearing house trades on the Amm.
        auto direct = m_world->send("maker", m_amm, "swapInput(uint8,(uint256),(uint256),bool)", "[\"0\",[" + dec(wad("1")) + "],[\"0\"],false]");
        QVERIFY(!direct);
        QVERIFY(direct.error().message().find("caller is not counterParty") != std::string::npos);
    }

private:
    Result<eth::Receipt> open(const char* who, int side, const U256& margin, const U256& leverage)
    {
        return m_world->send(who, m_house, kOpen, "[" + q(m_amm) + ",\"" + std::to_string(side) + "\",[" + dec(margin) + "],[" + dec(leverage) + "],[\"0\"]]");
    }

    std::pair<U256, U256> reserves()
    {
        auto values = m_world->read(m_amm, "getReserve()", "[]", "((uint256),(uint256))");
        if (!values) return {};
        return {u((*values)[0][0]), u((*values)[1][0])};
    }

    std::unique_ptr<tests::DemoWorldFixture> m_world;
    Address m_house, m_amm;
    const abi::ContractAbi* m_house_abi = nullptr;
    const abi::ContractAbi* m_amm_abi = nullptr;
};

NFTTERM_TEST_GUILESS(PerpTest)
#include "perp_test.moc"
