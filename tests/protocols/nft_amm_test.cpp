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

constexpr const char* kQuoteTypes = "(uint8,uint256,uint256,uint256,uint256)";
constexpr const char* kCurveInfo = "(uint128,uint128,uint256,uint256,uint256)";
constexpr const char* kCurveTypes = "(uint8,uint128,uint128,uint256,uint256)";

U256 u(const nlohmann::json& value)
{
    return *U256::from_dec(value.get<std::string>());
}

std::string q(const Address& address)
{
    return "\"" + address.to_hex() + "\"";
}

}  // namespace

/// The sudoswap-v1-style factory, pairs and curves on the seeded devnet:
/// the published curve vectors, quotes equal to what swaps charge and pay,
/// and the refusals.
class NftAmmTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        m_world = std::make_unique<tests::DemoWorldFixture>();
        QVERIFY2(m_world->ready(), m_world->error().c_str());
        m_factory = m_world->contract("SudoPairFactory");
    }
    void init() { m_world->snapshot(); }
    void cleanup() { m_world->revert(); }

    void curvesMatchThePublishedVectors()
    {
        // Linear: s = 1 ETH, Δ = 0.1 ETH, n = 3, no pair fee, protocol fee 0.5 % → 3.618 ETH in, spot 1.3 ETH.
        auto linear = m_world->read(m_world->contract("SudoLinearCurve"), "getBuyInfo" + std::string(kCurveInfo),
                                    "[" + dec(wad("1")) + "," + dec(wad("0.1")) + ",\"3\",\"0\"," + dec(wad("0.005")) + "]", kCurveTypes);
        VERIFY_OK(linear);
        QCOMPARE((*linear)[0].get<std::string>(), std::string("0"));
        QCOMPARE(u((*linear)[1]), wad("1.3"));
        QCOMPARE(u((*linear)[3]), wad("3.618"));
        QCOMPARE(u((*linear)[4]), wad("0.018"));
        // Exponential: s = 1 ETH, Δ = 1.1, n = 2, no fees → 2.31 ETH in, spot 1.21 ETH.
        auto exponential = m_world->read(m_world->contract("SudoExponentialCurve"), "getBuyInfo" + std::string(kCurveInfo),
                                         "[" + dec(wad("1")) + "," + dec(wad("1.1")) + ",\"2\",\"0\",\"0\"]", kCurveTypes);
        VERIFY_OK(exponential);
        QCOMPARE(u((*exponential)[1]), wad("1.21"));
        QCOMPARE(u((*exponential)[3]), wad("2.31"));
        // XYK: 10 ETH against 5 NFTs; buying 1 costs floor(1·10/4) = 2.5 ETH; buying all 5 is an error code, not a revert.
        auto xyk = m_world->read(m_world->contract("SudoXykCurve"), "getBuyInfo" + std::string(kCurveInfo),
                                 "[" + dec(wad("10")) + ",\"5\",\"1\",\"0\",\"0\"]", kCurveTypes);
        VERIFY_OK(xyk);
        QCOMPARE(u((*xyk)[3]), wad("2.5"));
        QCOMPARE(u((*xyk)[1]), wad("12.5"));
        QCOMPARE(u((*xyk)[2]), U256(4));
        auto too_many = m_world->read(m_world->contract("SudoXykCurve"), "getBuyInfo" + std::string(kCurveInfo),
                                      "[" + dec(wad("10")) + ",\"5\",\"5\",\"0\",\"0\"]", kCurveTypes);
        VERIFY_OK(too_many);
        QCOMPARE((*too_many)[0].get<std::string>(), std::string("1"));
        // Linear sell past zero: only the NFTs down to price zero are paid (s = 0.25, Δ = 0.1, n = 5 → 3 NFTs: 0.25+0.15+0.05).
        auto clipped = m_world->read(m_world->contract("SudoLinearCurve"), "getSellInfo" + std::string(kCurveInfo),
                                     "[" + dec(wad("0.25")) + "," + dec(wad("0.1")) + ",\"5\",\"0\",\"0\"]", kCurveTypes);
        VERIFY_OK(clipped);
        QCOMPARE(u((*clipped)[1]), U256(0));
        QCOMPARE(u((*clipped)[3]), wad("0.45"));
    }

    void buyQuotesEqualWhatSwapsCharge()
    {
        const Address buyer = m_world->address_of("bob");
        int checked = 0;
        for (const auto& pair : m_world->manifest().pairs) {
            if (pair.pool_type == "TOKEN") continue;
            for (std::uint64_t n : {1u, 2u}) {
                auto quote = m_world->read(pair.pair, "getBuyNFTQuote(uint256)", "[\"" + std::to_string(n) + "\"]", kQuoteTypes);
                VERIFY_OK(quote);
                // A quote does not know the inventory: a pool holding fewer NFTs cannot fill it.
                const U256 held = m_world->read_u256(pair.collection, "balanceOf(address)", "[" + q(pair.pair) + "]");
                if ((*quote)[0].get<std::string>() != "0" || held < U256(n)) continue;
                const U256 input = u((*quote)[3]);
                const U256 protocol_fee = u((*quote)[4]);
                const U256 eth_before = m_world->eth_balance(buyer);
                const U256 factory_before = m_world->eth_balance(m_factory);
                // Send 1 ETH too much: the pair refunds the excess.
                auto bought = m_world->send("bob", pair.pair, "swapTokenForAnyNFTs(uint256,uint256,address,bool,address)",
                                            "[\"" + std::to_string(n) + "\"," + dec(input) + "," + q(buyer) + ",false," + q(Address()) + "]",
                                            input + wad("1"));
                VERIFY_OK(bought);
                QCOMPARE(eth_before - m_world->eth_balance(buyer) - tests::DemoWorldFixture::gas_cost(*bought), input);
                QCOMPARE(m_world->eth_balance(m_factory) - factory_before, protocol_fee);
                QCOMPARE(m_world->read_u256(pair.pair, "spotPrice()"), u((*quote)[1]));
                QCOMPARE(m_world->read_u256(pair.pair, "delta()"), u((*quote)[2]));
                ++checked;
            }
        }
        QVERIFY(checked >= 12);
    }

    void sellQuotesEqualWhatSwapsPay()
    {
        const Address seller = m_world->address_of("carol");
        std::uint64_t next_id = 7000;
        int checked = 0;
        for (const auto& pair : m_world->manifest().pairs) {
            if (pair.pool_type == "NFT") continue;
            // Two NFTs where the pool's ETH covers them, else one (a quote does not know the pool's balance).
            auto two = m_world->read(pair.pair, "getSellNFTQuote(uint256)", "[\"2\"]", kQuoteTypes);
            VERIFY_OK(two);
            const int count = u((*two)[3]) + u((*two)[4]) <= m_world->eth_balance(pair.pair) ? 2 : 1;
            std::string ids = "[";
            for (int i = 0; i < count; ++i) {
                VERIFY_OK(m_world->send("deployer", pair.collection, "mint(address,uint256)", "[" + q(seller) + ",\"" + std::to_string(next_id) + "\"]"));
                ids += (i ? ",\"" : "\"") + std::to_string(next_id++) + "\"";
            }
            ids += "]";
            VERIFY_OK(m_world->send("carol", pair.collection, "setApprovalForAll(address,bool)", "[" + q(pair.pair) + ",true]"));
            auto quote = m_world->read(pair.pair, "getSellNFTQuote(uint256)", "[\"" + std::to_string(count) + "\"]", kQuoteTypes);
            VERIFY_OK(quote);
            QCOMPARE((*quote)[0].get<std::string>(), std::string("0"));
            const U256 output = u((*quote)[3]);
            const U256 eth_before = m_world->eth_balance(seller);
            const U256 factory_before = m_world->eth_balance(m_factory);
            auto sold = m_world->send("carol", pair.pair, "swapNFTsForToken(uint256[],uint256,address,bool,address)",
                                      "[" + ids + "," + dec(output) + "," + q(seller) + ",false," + q(Address()) + "]");
            VERIFY_OK(sold);
            QCOMPARE(m_world->eth_balance(seller) + tests::DemoWorldFixture::gas_cost(*sold) - eth_before, output);
            QCOMPARE(m_world->eth_balance(m_factory) - factory_before, u((*quote)[4]));
            QCOMPARE(m_world->read_u256(pair.pair, "spotPrice()"), u((*quote)[1]));
            // TOKEN pools send the NFTs to their owner; TRADE pools keep them.
            const Address holder = pair.pool_type == "TOKEN" ? pair.owner : pair.pair;
            QCOMPARE(m_world->read(pair.collection, "ownerOf(uint256)", "[\"" + std::to_string(next_id - 1) + "\"]", "(address)")->at(0).get<std::string>(),
                     holder.to_hex());
            ++checked;
        }
        QVERIFY(checked >= 12);
    }

    void refusals()
    {
        const auto& pairs = m_world->manifest().pairs;
        const auto token_pool = std::find_if(pairs.begin(), pairs.end(), [](const auto& p) { return p.pool_type == "TOKEN"; });
        const auto trade_pool = std::find_if(pairs.begin(), pairs.end(), [](const auto& p) { return p.pool_type == "TRADE"; });
        QVERIFY(token_pool != pairs.end() && trade_pool != pairs.end());
        const Address bob = m_world->address_of("bob");
        const std::string tail = "," + q(bob) + ",false," + q(Address()) + "]";
        // A TOKEN pool only buys NFTs.
        auto wrong_type = m_world->send("bob", token_pool->pair, "swapTokenForAnyNFTs(uint256,uint256,address,bool,address)",
                                        "[\"1\"," + dec(wad("1000")) + tail, wad("1000"));
        QVERIFY(!wrong_type);
        QVERIFY2(wrong_type.error().message().find("Wrong Pool type") != std::string::npos, wrong_type.error().message().c_str());
        // Slippage guard: one wei under the quote is refused.
        auto quote = m_world->read(trade_pool->pair, "getBuyNFTQuote(uint256)", "[\"1\"]", kQuoteTypes);
        const U256 input = u((*quote)[3]);
        auto slipped = m_world->send("bob", trade_pool->pair, "swapTokenForAnyNFTs(uint256,uint256,address,bool,address)",
                                     "[\"1\"," + dec(input - U256(1)) + tail, input);
        QVERIFY(!slipped);
        QVERIFY(slipped.error().message().find("In too many tokens") != std::string::npos);
        auto too_little = m_world->send("bob", trade_pool->pair, "swapTokenForAnyNFTs(uint256,uint256,address,bool,address)",
                                        "[\"1\"," + dec(input) + tail, input - U256(1));
        QVERIFY(!too_little);
        QVERIFY(too_little.error().message().find("Sent too little ETH") != std::string::npos);
        auto sell_guard = m_world->send("bob", trade_pool->pair, "swapNFTsForToken(uint256[],uint256,address,bool,address)",
                                        "[[\"201\"]," + dec(wad("1000")) + tail);
        QVERIFY(!sell_guard);
        QVERIFY(sell_guard.error().message().find("Out too little tokens") != std::string::npos);
        // Only the owner re-prices; fees only on TRADE pools; curves must be whitelisted.
        auto not_owner = m_world->send("bob", trade_pool->pair, "changeSpotPrice(uint128)", "[" + dec(wad("1")) + "]");
        QVERIFY(!not_owner);
        QVERIFY(not_owner.error().message().find("caller is not the owner") != std::string::npos);
        const std::string create = "createPairETH(address,address,address,uint8,uint128,uint96,uint128,uint256[])";
        auto fee_on_token = m_world->send("bob", m_factory, create,
                                          "[" + q(token_pool->collection) + "," + q(m_world->contract("SudoLinearCurve")) + "," + q(bob)
                                              + ",\"0\"," + dec(wad("0.1")) + "," + dec(wad("0.01")) + "," + dec(wad("1")) + ",[]]");
        QVERIFY(!fee_on_token);
        QVERIFY(fee_on_token.error().message().find("Only Trade Pools can have nonzero fee") != std::string::npos);
        auto unlisted = m_world->send("bob", m_factory, create,
                                      "[" + q(token_pool->collection) + "," + q(bob) + "," + q(Address()) + ",\"2\",\"0\",\"0\",\"0\",[]]");
        QVERIFY(!unlisted);
        QVERIFY(unlisted.error().message().find("Bonding curve not whitelisted") != std::string::npos);
        auto bad_delta = m_world->send("bob", m_factory, create,
                                       "[" + q(token_pool->collection) + "," + q(m_world->contract("SudoExponentialCurve")) + "," + q(Address())
                                           + ",\"2\"," + dec(wad("1")) + ",\"0\"," + dec(wad("1")) + ",[]]");
        QVERIFY(!bad_delta);
        QVERIFY(bad_delta.error().message().find("Invalid delta for curve") != std::string::npos);
    }

    void ownerManagesLiquidity()
    {
        // bob's own TRADE pool in the first collection: he withdraws its NFT and ETH, and re-prices it.
        const Address bob = m_world->address_of("bob");
        const auto& pairs = m_world->manifest().pairs;
        const auto mine = std::find_if(pairs.begin(), pairs.end(), [&](const auto& p) { return p.owner == bob; });
        QVERIFY(mine != pairs.end());
        auto held = m_world->read(mine->pair, "getAllHeldIds()", "[]", "(uint256[])");
        VERIFY_OK(held);
        QCOMPARE((*held)[0].size(), std::size_t(1));
        QCOMPARE((*held)[0][0].get<std::string>(), std::to_string(m_world->actor("bob").account.index * 100 + 2));
        VERIFY_OK(m_world->send("bob", mine->pair, "changeSpotPrice(uint128)", "[" + dec(wad("7")) + "]"));
        QCOMPARE(m_world->read_u256(mine->pair, "spotPrice()"), wad("7"));
        VERIFY_OK(m_world->send("bob", mine->pair, "withdrawERC721(address,uint256[])", "[" + q(mine->collection) + ",[" + (*held)[0][0].dump() + "]]"));
        const U256 pool_eth = m_world->eth_balance(mine->pair);
        const U256 before = m_world->eth_balance(bob);
        auto withdrawn = m_world->send("bob", mine->pair, "withdrawAllETH()");
        VERIFY_OK(withdrawn);
        QCOMPARE(m_world->eth_balance(bob) + tests::DemoWorldFixture::gas_cost(*withdrawn) - before, pool_eth);
        QCOMPARE(m_world->read(mine->pair, "getAllHeldIds()", "[]", "(uint256[])")->at(0).size(), std::size_t(0));
    }

private:
    std::unique_ptr<tests::DemoWorldFixture> m_world;
    Address m_factory;
};

NFTTERM_TEST_GUILESS(NftAmmTest)
#include "nft_amm_test.moc"
