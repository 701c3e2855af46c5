#include "../support/demo_world_fixture.hpp"
#include "../support/verify_ok.hpp"

#include <QTest>

#include "../support/test_registry.hpp"

using namespace nftterm;
using namespace nftterm::protocols;
using nftterm::tests::dec;
using nftterm::tests::wad;
using wallet::Address;
using wallet::U256;

namespace {

std::string q(const Address& address)
{
    return "\"" + address.to_hex() + "\"";
}

U256 u(const nlohmann::json& value)
{
    return *U256::from_dec(value.get<std::string>());
}

}  // namespace

/// The seeded demo world as a user meets it: the manifest round-trips,
/// healths are spread from near liquidation to safe in every family, every
/// collection has bids and asks, and the lenders' open offers can be taken.
class DemoWorldTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        m_world = std::make_unique<tests::DemoWorldFixture>();
        QVERIFY2(m_world->ready(), m_world->error().c_str());
    }
    void init() { m_world->snapshot(); }
    void cleanup() { m_world->revert(); }

    void manifestRoundTrips()
    {
        const std::string text = devnet::manifest_to_json(m_world->manifest());
        auto parsed = devnet::manifest_from_json(text);
        VERIFY_OK(parsed);
        QCOMPARE(devnet::manifest_to_json(*parsed), text);
        QVERIFY(!devnet::manifest_from_json("{\"chain_id\": 1}"));
        auto bad = devnet::manifest_from_json(text.substr(0, text.size() / 2));
        QVERIFY(!bad);
        QCOMPARE(bad.error().code, Errc::Decode);
    }

    void everyTraderHoldsEveryFamilyWithSpreadHealth()
    {
        const auto& manifest = m_world->manifest();
        for (const char* name : {"alice", "bob", "carol"}) {
            const Address trader = m_world->address_of(name);
            auto count = [&](const auto& list, auto match) { return std::count_if(list.begin(), list.end(), match); };
            QCOMPARE(count(manifest.loans, [&](const auto& l) { return l.borrower == trader && l.protocol == positions::Protocol::Nftfi; }), 3);
            QCOMPARE(count(manifest.loans, [&](const auto& l) { return l.borrower == trader && l.protocol == positions::Protocol::BendDao; }), 3);
            QCOMPARE(count(manifest.pairs, [&](const auto& p) { return p.owner == trader; }), 3);
            QCOMPARE(count(manifest.perps, [&](const auto& p) { return p.trader == trader; }), 3);
        }
        // Pool loans: one near liquidation (HF < 1.1), one safe (HF > 2), none liquidatable yet.
        const U256 one = wad("1");
        U256 lowest = U256::max(), highest;
        for (const auto& loan : manifest.loans) {
            if (loan.protocol != positions::Protocol::BendDao) continue;
            auto debt = m_world->read(m_world->contract("BendLendPool"), "getNftDebtData(address,uint256)",
                                      "[" + q(loan.collection) + ",\"" + std::to_string(loan.token_id) + "\"]",
                                      "(uint256,address,uint256,uint256,uint256,uint256)");
            VERIFY_OK(debt);
            lowest = std::min(lowest, u((*debt)[5]));
            highest = std::max(highest, u((*debt)[5]));
        }
        QVERIFY2(lowest > one && lowest < wad("1.1"), lowest.to_dec().c_str());
        QVERIFY2(highest > wad("2"), highest.to_dec().c_str());
        // Perps: margin ratios from just above maintenance (6.25 %) to comfortable.
        U256 thinnest = U256::max(), thickest;
        for (const auto& perp : manifest.perps) {
            auto ratio = m_world->read(m_world->contract("PerpClearingHouse"), "getMarginRatio(address,address)",
                                       "[" + q(perp.amm) + "," + q(perp.trader) + "]", "((int256))");
            VERIFY_OK(ratio);
            thinnest = std::min(thinnest, u((*ratio)[0][0]));
            thickest = std::max(thickest, u((*ratio)[0][0]));
        }
        QVERIFY2(thinnest > wad("0.0625") && thinnest < wad("0.12"), thinnest.to_dec().c_str());
        QVERIFY2(thickest > wad("0.2"), thickest.to_dec().c_str());
        // P2P loans: maturities from hours to a month away.
        std::uint64_t soonest = UINT64_MAX, latest = 0;
        for (const auto& loan : manifest.loans)
            if (loan.protocol == positions::Protocol::Nftfi) {
                soonest = std::min(soonest, loan.maturity);
                latest = std::max(latest, loan.maturity);
            }
        const std::uint64_t now = m_world->head_timestamp();
        QVERIFY(soonest > now && latest - now > 7 * 86400);
    }

    void everyCollectionHasBidsAndAsks()
    {
        for (const char* symbol : {"DAPE", "PXPK", "MCAT"}) {
            const Address collection = m_world->contract(symbol);
            const U256 floor = m_world->read_u256(m_world->contract("NFTOracle"), "getAssetPrice(address)", "[" + q(collection) + "]");
            U256 best_bid, best_ask = U256::max();
            for (const auto& pair : m_world->manifest().pairs) {
                if (pair.collection != collection) continue;
                auto bid = m_world->read(pair.pair, "getSellNFTQuote(uint256)", "[\"1\"]", "(uint8,uint256,uint256,uint256,uint256)");
                auto ask = m_world->read(pair.pair, "getBuyNFTQuote(uint256)", "[\"1\"]", "(uint8,uint256,uint256,uint256,uint256)");
                VERIFY_OK(bid);
                VERIFY_OK(ask);
                if (pair.pool_type != "NFT") best_bid = std::max(best_bid, u((*bid)[3]));
                if (pair.pool_type != "TOKEN") best_ask = std::min(best_ask, u((*ask)[3]));
            }
            // Bids below asks, both within 15 % of the oracle floor.
            QVERIFY2(best_bid < best_ask, symbol);
            QVERIFY2(best_bid > floor * U256(85) / U256(100) && best_ask < floor * U256(115) / U256(100), symbol);
        }
    }

    void lendersOffersCanBeAccepted()
    {
        const auto& offers = m_world->manifest().offers;
        QCOMPARE(offers.size(), std::size_t(6));
        const auto& offer = offers.front();
        const Address loans = m_world->contract("NFTfiDirectLoanFixedOffer");
        const std::string borrower = [&] {
            for (const char* name : {"alice", "bob", "carol"})
                if (m_world->address_of(name) == offer.borrower) return std::string(name);
            return std::string();
        }();
        QVERIFY(!borrower.empty());
        const U256 before = m_world->weth_balance(offer.borrower);
        auto accepted = m_world->send(borrower, loans,
                                      "acceptOffer((uint256,uint256,uint256,address,uint32,uint16,address,address),(uint256,uint256,address,bytes),(address,uint16))",
                                      "[[" + dec(offer.principal) + "," + dec(offer.maximum_repayment) + ",\"" + std::to_string(offer.token_id) + "\","
                                          + q(offer.collection) + ",\"" + std::to_string(offer.duration_seconds) + "\",\""
                                          + std::to_string(offer.admin_fee_bps) + "\"," + q(offer.currency) + "," + q(Address()) + "],["
                                          + dec(offer.nonce) + "," + dec(offer.expiry) + "," + q(offer.lender) + ",\"" + offer.signature + "\"],["
                                          + q(Address()) + ",\"0\"]]");
        VERIFY_OK(accepted);
        QCOMPARE(m_world->weth_balance(offer.borrower) - before, offer.principal);
        QCOMPARE(m_world->read(offer.collection, "ownerOf(uint256)", "[\"" + std::to_string(offer.token_id) + "\"]", "(address)")->at(0).get<std::string>(),
                 loans.to_hex());
    }

private:
    std::unique_ptr<tests::DemoWorldFixture> m_world;
};

NFTTERM_TEST_GUILESS(DemoWorldTest)
#include "demo_world_test.moc"
