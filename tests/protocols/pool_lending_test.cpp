#include "../support/demo_world_fixture.hpp"
#include "../support/verify_ok.hpp"

#include <protocols/eth/abi/abi_value.hpp>
#include <protocols/eth/abi/abi_type.hpp>
#include "../support/devnet_contracts.hpp"
#include <protocols/eth/rpc/eth_api.hpp>
#include <protocols/positions/read_helpers.hpp>

#include <QTest>

#include "../support/test_registry.hpp"

using namespace nftterm;
using namespace nftterm::protocols;
using nftterm::tests::dec;
using nftterm::tests::wad;
using wallet::Address;
using wallet::U256;

namespace {

constexpr const char* kBorrow = "borrow(address,uint256,address,uint256,address,uint16)";
constexpr const char* kDebtData = "getNftDebtData(address,uint256)";
constexpr const char* kDebtDataTypes = "(uint256,address,uint256,uint256,uint256,uint256)";
constexpr const char* kReserveDataTypes = "(((uint256),uint128,uint128,uint128,uint128,uint40,address,address,address,uint8,uint256))";
constexpr const char* kLoanTypes = "((uint256,uint8,address,address,uint256,address,uint256,uint256,address,uint256,uint256,address))";
// A fresh NFT for these tests, clear of the seeded ones.
constexpr std::uint64_t kFreshToken = 5000;

// BendDAO's published math (reference: WadRayMath, PercentageMath,
// MathUtils), written here from the formulas, not taken from the contract.
const U256 kRay = *U256::from_dec("1000000000000000000000000000");
const U256 kWad = *U256::from_dec("1000000000000000000");

U256 ray_mul(const U256& a, const U256& b)
{
    return (a * b + kRay / U256(2)) / kRay;
}

U256 percent_mul(const U256& value, std::uint64_t bps)
{
    return (value * U256(bps) + U256(5000)) / U256(10000);
}

U256 wad_div(const U256& a, const U256& b)
{
    return (a * kWad + b / U256(2)) / b;
}

U256 compounded(const U256& annual_rate, std::uint64_t seconds)
{
    if (seconds == 0) return kRay;
    const U256 n(seconds), n1(seconds - 1), n2(seconds > 2 ? seconds - 2 : 0);
    const U256 r = annual_rate / U256(365 * 24 * 3600);
    const U256 r2 = ray_mul(r, r), r3 = ray_mul(r2, r);
    return kRay + r * n + n * n1 * r2 / U256(2) + n * n1 * n2 * r3 / U256(6);
}

U256 u(const nlohmann::json& value)
{
    return *U256::from_dec(value.get<std::string>());
}

}  // namespace

/// The BendDAO-v1-style LendPool and NFTOracle on the seeded devnet, driven
/// through the project's own signing, RPC and ABI code.
class PoolLendingTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        m_world = std::make_unique<tests::DemoWorldFixture>();
        QVERIFY2(m_world->ready(), m_world->error().c_str());
        m_pool = m_world->contract("BendLendPool");
        m_oracle = m_world->contract("NFTOracle");
        m_weth = m_world->contract("WETH9");
        m_dape = m_world->contract("DAPE");
        m_pool_abi = &m_world->abi("LendPool.sol", "LendPool");
    }
    void init() { m_world->snapshot(); }
    void cleanup() { m_world->revert(); }

    void borrowHealthAndPartialRepay()
    {
        give_fresh_nft("carol");
        const U256 price = m_world->read_u256(m_oracle, "getAssetPrice(address)", args({m_dape}));
        // DAPE: LTV 70 %, liquidation threshold 75 %.
        const U256 amount = percent_mul(price, 6000);
        const U256 before = m_world->weth_balance(m_world->address_of("carol"));
        auto borrowed = m_world->send("carol", m_pool, kBorrow, borrow_args("carol", amount));
        VERIFY_OK(borrowed);
        QCOMPARE(m_world->weth_balance(m_world->address_of("carol")), before + amount);
        QCOMPARE(m_world->read(m_dape, "ownerOf(uint256)", "[\"" + std::to_string(kFreshToken) + "\"]", "(address)")->at(0).get<std::string>(), m_pool.to_hex());
        const auto event = m_world->event(*borrowed, *m_pool_abi, "Borrow");
        QVERIFY(!event.is_null());
        QCOMPARE(u(event[2]), amount);
        QCOMPARE(event[5].get<std::string>(), m_world->address_of("carol").to_hex());

        // At the borrow's own block the debt is what was borrowed; HF = LT × collateral / debt, half-up.
        auto debt = m_world->read(m_pool, kDebtData, token_args(), kDebtDataTypes);
        VERIFY_OK(debt);
        QCOMPARE(u((*debt)[2]), price);
        QCOMPARE(u((*debt)[3]), amount);
        QCOMPARE(u((*debt)[5]), wad_div(percent_mul(price, 7500), amount));
        QCOMPARE(u((*debt)[4]), percent_mul(price, 7000) - amount);

        // A partial repay keeps the loan open with the rest of the debt.
        const U256 part = amount / U256(4);
        auto repaid = m_world->send("carol", m_pool, "repay(address,uint256,uint256)", args({m_dape}, {U256(kFreshToken), part}));
        VERIFY_OK(repaid);
        const auto repay_event = m_world->event(*repaid, *m_pool_abi, "Repay");
        QCOMPARE(u(repay_event[2]), part);
        auto after = m_world->read(m_pool, kDebtData, token_args(), kDebtDataTypes);
        VERIFY_OK(after);
        QCOMPARE(u((*after)[0]), u((*debt)[0]));
        // One block of interest at most on top of the rest (seconds, not days, have passed);
        // 1 wei below it when no second passed, as rayDiv and rayMul each round half up.
        const U256 rest = amount - part;
        QVERIFY(u((*after)[3]) + U256(1) >= rest);
        QVERIFY(u((*after)[3]) < rest + rest / U256(1000000));
        const auto loan = m_world->read(m_pool, "getLoan(uint256)", "[" + dec(u((*debt)[0])) + "]", kLoanTypes);
        QCOMPARE((*loan)[0][1].get<std::string>(), std::string("2"));  // Active

        // Repaying more than the debt takes only the debt and returns the NFT.
        auto closed = m_world->send("carol", m_pool, "repay(address,uint256,uint256)", args({m_dape}, {U256(kFreshToken), amount}));
        VERIFY_OK(closed);
        QCOMPARE(m_world->read(m_dape, "ownerOf(uint256)", "[\"" + std::to_string(kFreshToken) + "\"]", "(address)")->at(0).get<std::string>(),
                 m_world->address_of("carol").to_hex());
        QVERIFY(u(m_world->event(*closed, *m_pool_abi, "Repay")[2]) < amount);
        QCOMPARE(m_world->read_u256(m_pool, "getCollateralLoanId(address,uint256)", token_args()), U256(0));
    }

    void interestAccruesAsThePublishedFormula()
    {
        // A seeded loan: alice's DAPE loan.
        const std::uint64_t token = m_world->actor("alice").account.index * 100 + 1;
        const std::string loan_args = args({m_dape}, {U256(token)});
        const U256 loan_id = m_world->read_u256(m_pool, "getCollateralLoanId(address,uint256)", loan_args);
        const auto loan = m_world->read(m_pool, "getLoan(uint256)", "[" + dec(loan_id) + "]", kLoanTypes);
        VERIFY_OK(loan);
        const U256 scaled = u((*loan)[0][6]);
        const auto reserve = m_world->read(m_pool, "getReserveData(address)", args({m_weth}), kReserveDataTypes);
        VERIFY_OK(reserve);
        const U256 index = u((*reserve)[0][2]);
        const U256 rate = u((*reserve)[0][4]);
        const std::uint64_t last_update = std::stoull((*reserve)[0][5].get<std::string>());
        QVERIFY(rate > U256(0));

        m_world->advance(365 * 24 * 3600);
        const std::uint64_t now = m_world->head_timestamp();
        const U256 expected_index = ray_mul(compounded(rate, now - last_update), index);
        QCOMPARE(m_world->read_u256(m_pool, "getReserveNormalizedVariableDebt(address)", args({m_weth})), expected_index);
        auto debt = m_world->read(m_pool, kDebtData, loan_args, kDebtDataTypes);
        VERIFY_OK(debt);
        QCOMPARE(u((*debt)[3]), ray_mul(scaled, expected_index));
        // A year at the pool's rate: more than the simple-interest debt.
        QVERIFY(u((*debt)[3]) > ray_mul(scaled, index) + ray_mul(ray_mul(scaled, index), rate));

        // Depositors earn: lender-1's balance grew.
        const U256 deposited = wad("600");
        QVERIFY(m_world->read_u256(m_pool, "getDepositBalance(address,address)", args({m_weth, m_world->address_of("lender-1")})) > deposited);
    }

    void auctionRedeemAndKeeperLiquidation()
    {
        give_fresh_nft("bob");
        const U256 price = m_world->read_u256(m_oracle, "getAssetPrice(address)", args({m_dape}));
        const U256 amount = percent_mul(price, 7000);
        VERIFY_OK(m_world->send("bob", m_pool, kBorrow, borrow_args("bob", amount)));
        // A healthy loan cannot be auctioned.
        VERIFY_OK(m_world->send("keeper", m_weth, "deposit()", "[]", wad("100")));
        VERIFY_OK(m_world->send("keeper", m_weth, "approve(address,uint256)", args({m_pool}, {U256::max()})));
        auto refused = m_world->send("keeper", m_pool, "auction(address,uint256,uint256,address)", auction_args(amount));
        QVERIFY(!refused);
        QVERIFY2(refused.error().message().find("health factor is not below 1") != std::string::npos, refused.error().message().c_str());

        // The floor falls 10 %: HF < 1.
        VERIFY_OK(m_world->send("deployer", m_oracle, "setAssetData(address,uint256)", args({m_dape}, {percent_mul(price, 9000)})));
        auto debt = m_world->read(m_pool, kDebtData, token_args(), kDebtDataTypes);
        QVERIFY(u((*debt)[5]) < kWad);
        auto liquidate_price = m_world->read(m_pool, "getNftLiquidatePrice(address,uint256)", token_args(), "(uint256,uint256)");
        VERIFY_OK(liquidate_price);
        // With a 100 % bonus the first bid floor is the debt itself.
        QCOMPARE(u((*liquidate_price)[0]), u((*liquidate_price)[1]));
        const U256 low_bid = u((*liquidate_price)[0]) - U256(1);
        auto too_low = m_world->send("keeper", m_pool, "auction(address,uint256,uint256,address)", auction_args(low_bid));
        QVERIFY(!too_low);
        QVERIFY(too_low.error().message().find("bid price below the liquidation price") != std::string::npos);
        const U256 bid = u((*liquidate_price)[0]) + wad("0.01");
        auto auctioned = m_world->send("keeper", m_pool, "auction(address,uint256,uint256,address)", auction_args(bid));
        VERIFY_OK(auctioned);
        QCOMPARE(u(m_world->event(*auctioned, *m_pool_abi, "Auction")[2]), bid);
        // In auction: HF reads 0 (only Active loans have one), the auction data names the keeper.
        QCOMPARE(u(m_world->read(m_pool, kDebtData, token_args(), kDebtDataTypes)->at(5)), U256(0));
        auto auction = m_world->read(m_pool, "getNftAuctionData(address,uint256)", token_args(), "(uint256,address,uint256,uint256,uint256)");
        VERIFY_OK(auction);
        QCOMPARE((*auction)[1].get<std::string>(), m_world->address_of("keeper").to_hex());
        QCOMPARE(u((*auction)[2]), bid);
        // Fine: max(5 % of the debt, 0.2 ETH).
        const U256 debt_now = u(m_world->read(m_pool, kDebtData, token_args(), kDebtDataTypes)->at(3));
        QCOMPARE(u((*auction)[4]), std::max(percent_mul(debt_now, 500), wad("0.2")));

        // The borrower redeems half the debt plus the fine: the loan is Active again, the keeper refunded plus the fine.
        const U256 keeper_before = m_world->weth_balance(m_world->address_of("keeper"));
        auto low_fine = m_world->send("bob", m_pool, "redeem(address,uint256,uint256,uint256)",
                                      args({m_dape}, {U256(kFreshToken), percent_mul(debt_now, 5000), U256(1)}));
        QVERIFY(!low_fine);
        QVERIFY(low_fine.error().message().find("bid fine is too low") != std::string::npos);
        const U256 redeem_amount = percent_mul(debt_now, 5100);
        auto redeemed = m_world->send("bob", m_pool, "redeem(address,uint256,uint256,uint256)",
                                      args({m_dape}, {U256(kFreshToken), redeem_amount, u((*auction)[4]) * U256(2)}));
        VERIFY_OK(redeemed);
        const auto redeem_event = m_world->event(*redeemed, *m_pool_abi, "Redeem");
        const U256 fine = u(redeem_event[3]);
        QCOMPARE(m_world->weth_balance(m_world->address_of("keeper")), keeper_before + bid + fine);
        QVERIFY(u(m_world->read(m_pool, kDebtData, token_args(), kDebtDataTypes)->at(5)) > kWad);

        // The floor halves: the keeper auctions again and, after the 4-hour auction, liquidates.
        VERIFY_OK(m_world->send("deployer", m_oracle, "setAssetData(address,uint256)", args({m_dape}, {percent_mul(price, 3000)})));
        // The liquidation price follows the debt until the bid lands: a bidder adds a few seconds of interest (1e12 wei ≈ 30 s here).
        const U256 second_bid = u(m_world->read(m_pool, "getNftLiquidatePrice(address,uint256)", token_args(), "(uint256,uint256)")->at(0)) + U256(1'000'000'000'000ULL);
        VERIFY_OK(m_world->send("keeper", m_pool, "auction(address,uint256,uint256,address)", auction_args(second_bid)));
        auto early = m_world->send("keeper", m_pool, "liquidate(address,uint256,uint256)", args({m_dape}, {U256(kFreshToken), U256(0)}));
        QVERIFY(!early);
        QVERIFY(early.error().message().find("auction has not ended") != std::string::npos);
        m_world->advance(4 * 3600 + 1);
        // Interest accrued during the auction: the bid no longer covers the debt, so the keeper pays the difference.
        const U256 debt_at_end = u(m_world->read(m_pool, kDebtData, token_args(), kDebtDataTypes)->at(3));
        QVERIFY(debt_at_end > second_bid);
        auto liquidated = m_world->send("keeper", m_pool, "liquidate(address,uint256,uint256)", args({m_dape}, {U256(kFreshToken), wad("1")}));
        VERIFY_OK(liquidated);
        const auto liquidate_event = m_world->event(*liquidated, *m_pool_abi, "Liquidate");
        QVERIFY(u(liquidate_event[2]) >= debt_at_end);
        QCOMPARE(m_world->read(m_dape, "ownerOf(uint256)", "[\"" + std::to_string(kFreshToken) + "\"]", "(address)")->at(0).get<std::string>(),
                 m_world->address_of("keeper").to_hex());
        QCOMPARE(m_world->read_u256(m_pool, "getCollateralLoanId(address,uint256)", token_args()), U256(0));
    }

    void reserveDataDecodesInBothLayouts()
    {
        // The pool's answer now (the layout with the field added in 2025: 11 words) and the same answer as a
        // reserve read at an older block gives it (the first 10 words): both decode to the same ten fields.
        eth::CallRequest request;
        request.to = m_pool;
        request.data = tests::calldata("getReserveData(address)", args({m_weth}));
        auto answer = eth::call(m_world->client(), request, eth::BlockTag::latest());
        VERIFY_OK(answer);
        QCOMPARE(answer->size(), std::size_t(11 * 32));
        const wallet::Bytes older(answer->begin(), answer->begin() + 10 * 32);
        auto types = abi::parse_type_list(positions::detail::kBendReserveDataTypes);
        VERIFY_OK(types);
        auto now = abi::decode(*types, *answer);
        auto before = abi::decode(*types, older);
        VERIFY_OK(now);
        VERIFY_OK(before);
        QVERIFY(*now == *before);
        // The full current layout cannot read the older answer: what the adapters did before.
        auto full = abi::parse_type_list(kReserveDataTypes);
        VERIFY_OK(full);
        QVERIFY(!abi::decode(*full, older));
        // And the fields are where the pool keeps them: the stored borrow index is at least 1 ray and at most the
        // normalized debt the pool reports now (the same index carried to this block's time).
        const U256 index = std::get<U256>(std::get<abi::Value::List>((*now)[0].data)[2].data);
        QVERIFY(index >= *U256::parse_units("1", 27));
        QVERIFY(index <= m_world->read_u256(m_pool, "getReserveNormalizedVariableDebt(address)", args({m_weth})));
    }

    void borrowingRefusals()
    {
        give_fresh_nft("carol");
        const U256 price = m_world->read_u256(m_oracle, "getAssetPrice(address)", args({m_dape}));
        auto over = m_world->send("carol", m_pool, kBorrow, borrow_args("carol", percent_mul(price, 7001)));
        QVERIFY(!over);
        QCOMPARE(over.error().code, Errc::Revert);
        QVERIFY2(over.error().message().find("borrow exceeds the collateral's loan-to-value") != std::string::npos, over.error().message().c_str());
        auto for_other = m_world->send("carol", m_pool, kBorrow,
                                       "[" + q(m_weth) + "," + dec(wad("1")) + "," + q(m_dape) + ",\""
                                           + std::to_string(kFreshToken) + "\"," + q(m_world->address_of("bob")) + ",\"0\"]");
        QVERIFY(!for_other);
        // On another account's behalf only with its delegated credit (none here).
        QVERIFY2(for_other.error().message().find("borrow allowance not enough") != std::string::npos, for_other.error().message().c_str());
        auto no_loan = m_world->send("carol", m_pool, "repay(address,uint256,uint256)", args({m_dape}, {U256(kFreshToken), wad("1")}));
        QVERIFY(!no_loan);
        QVERIFY(no_loan.error().message().find("no loan for this NFT") != std::string::npos);
        // A price the oracle's admin flags stale stops new borrowing; only the owner may clear the flag.
        auto meddler = m_world->send("carol", m_oracle, "setPriceStale(address[],bool)", "[[" + q(m_dape) + "],true]");
        QVERIFY(!meddler);
        QVERIFY2(meddler.error().message().find("NFTOracle: invalid caller") != std::string::npos, meddler.error().message().c_str());
        VERIFY_OK(m_world->send("deployer", m_oracle, "setPriceStale(address[],bool)", "[[" + q(m_dape) + "],true]"));
        QCOMPARE(m_world->read(m_oracle, "isPriceStale(address)", args({m_dape}), "(bool)")->at(0).get<bool>(), true);
        auto stale = m_world->send("carol", m_pool, kBorrow, borrow_args("carol", wad("1")));
        QVERIFY(!stale);
        QVERIFY(stale.error().message().find("NFT price is stale") != std::string::npos);
        // Only the price feed admin pushes prices.
        auto intruder = m_world->send("carol", m_oracle, "setAssetData(address,uint256)", args({m_dape}, {wad("1")}));
        QVERIFY(!intruder);
        QCOMPARE(intruder.error().code, Errc::Revert);
    }

    void oracleTwapWeighsPricesByTime()
    {
        // Fresh prices for a new asset key: 10 ETH for 100 s, then 20 ETH for 300 s.
        const Address asset = m_world->address_of("maker");
        auto unlisted = m_world->send("deployer", m_oracle, "setAssetData(address,uint256)", args({asset}, {wad("10")}));
        QVERIFY(!unlisted);
        QVERIFY2(unlisted.error().message().find("NFTOracle: key not existed") != std::string::npos, unlisted.error().message().c_str());
        VERIFY_OK(m_world->send("deployer", m_oracle, "addAsset(address)", args({asset})));
        QCOMPARE(m_world->read_u256(m_oracle, "getLatestTimestamp(address)", args({asset})), U256());
        auto no_data = m_world->read(m_oracle, "getAssetPrice(address)", args({asset}), "(uint256)");
        QVERIFY(!no_data);
        QVERIFY2(no_data.error().message().find("NFTOracle: no price data") != std::string::npos, no_data.error().message().c_str());
        VERIFY_OK(m_world->send("deployer", m_oracle, "setAssetData(address,uint256)", args({asset}, {wad("10")})));
        const std::uint64_t t0 = m_world->head_timestamp();
        m_world->advance(100);
        VERIFY_OK(m_world->send("deployer", m_oracle, "setAssetData(address,uint256)", args({asset}, {wad("20")})));
        const std::uint64_t t1 = m_world->head_timestamp();
        m_world->advance(300);
        const std::uint64_t now = m_world->head_timestamp();
        const U256 window(now - t0);
        const U256 expected = (wad("10") * U256(t1 - t0) + wad("20") * U256(now - t1)) / window;
        QCOMPARE(m_world->read_u256(m_oracle, "getTwapPrice(address,uint256)", args({asset}, {window})), expected);
        QCOMPARE(m_world->read_u256(m_oracle, "getAssetPrice(address)", args({asset})), wad("20"));
        QCOMPARE(m_world->read_u256(m_oracle, "getLatestTimestamp(address)", args({asset})), U256(t1));
    }

private:
    static std::string q(const Address& address) { return "\"" + address.to_hex() + "\""; }

    static std::string args(std::initializer_list<Address> addresses, std::initializer_list<U256> numbers = {})
    {
        std::string out = "[";
        for (const auto& a : addresses) out += (out.size() > 1 ? "," : "") + q(a);
        for (const auto& n : numbers) out += (out.size() > 1 ? "," : "") + dec(n);
        return out + "]";
    }

    std::string token_args() const { return args({m_dape}, {U256(kFreshToken)}); }

    std::string borrow_args(const char* who, const U256& amount) const
    {
        return "[" + q(m_weth) + "," + dec(amount) + "," + q(m_dape) + ",\"" + std::to_string(kFreshToken) + "\","
               + q(m_world->address_of(who)) + ",\"0\"]";
    }

    std::string auction_args(const U256& bid) const
    {
        return "[" + q(m_dape) + ",\"" + std::to_string(kFreshToken) + "\"," + dec(bid) + "," + q(m_world->address_of("keeper")) + "]";
    }

    void give_fresh_nft(const char* who)
    {
        VERIFY_OK(m_world->send("deployer", m_dape, "mint(address,uint256)", args({m_world->address_of(who)}, {U256(kFreshToken)})));
        VERIFY_OK(m_world->send(who, m_dape, "setApprovalForAll(address,bool)", "[" + q(m_pool) + ",true]"));
    }

    std::unique_ptr<tests::DemoWorldFixture> m_world;
    Address m_pool, m_oracle, m_weth, m_dape;
    const abi::ContractAbi* m_pool_abi = nullptr;
};

NFTTERM_TEST_GUILESS(PoolLendingTest)
#include "pool_lending_test.moc"
