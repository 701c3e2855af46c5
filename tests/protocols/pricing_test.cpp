#include "../support/demo_world_fixture.hpp"
#include "../support/verify_ok.hpp"

#include <protocols/devnet/market_simulator.hpp>
#include <protocols/positions/monitor.hpp>
#include <protocols/pricing/trade_stats.hpp>

#include <QTest>

#include "../support/test_registry.hpp"

#include <unistd.h>

using namespace nftterm;
using namespace nftterm::protocols;
using namespace nftterm::protocols::positions;
using pricing::Trade;
using wallet::Address;
using wallet::U256;
using tests::dec;
using tests::wad;

namespace {

constexpr const char* kQuoteTypes = "(uint8,uint256,uint256,uint256,uint256)";

std::string q(const Address& address)
{
    return "\"" + address.to_hex() + "\"";
}

U256 u(const nlohmann::json& value)
{
    return *U256::from_dec(value.get<std::string>());
}

Trade trade_at(std::uint64_t timestamp, const char* eth)
{
    Trade trade;
    trade.timestamp = timestamp;
    trade.price = wad(eth);
    trade.count = 1;
    return trade;
}

const pricing::CollectionPrices& prices_of(const Snapshot& snapshot, const Address& collection)
{
    for (const auto& prices : snapshot.prices)
        if (prices.collection == collection) return prices;
    throw std::runtime_error("no prices for " + collection.to_hex());
}

}  // namespace

/// Collection prices from every source against the contracts and against
/// swaps that really happened: oracle and feed as their views answer, the
/// best bid as the pools quote it, trades as the swaps paid, the exit value
/// as selling really fetches, staleness after time passes.
class PricingTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        m_world = std::make_unique<tests::DemoWorldFixture>();
        QVERIFY2(m_world->ready(), m_world->error().c_str());
        m_registry = m_world->registry();
        m_dir = std::filesystem::temp_directory_path() / ("nftterm-pricing-test-" + std::to_string(::getpid()));
        std::filesystem::create_directories(m_dir);
    }
    void cleanupTestCase() { std::filesystem::remove_all(m_dir); }
    void init() { m_world->snapshot(); }
    void cleanup() { m_world->revert(); }

    void tradeStatsRejectOutliersAndWeighByTime()
    {
        // Window [800, 5000]: a kept trade before it sets the price at its start; the 100 ETH sale is an outlier.
        const std::vector<Trade> trades = {trade_at(500, "10.4"), trade_at(1000, "10"), trade_at(2000, "11"), trade_at(3000, "12"),
                                           trade_at(3500, "100"), trade_at(4000, "9")};
        const auto stats = pricing::trade_stats(trades, 5000, 4200);
        // In the window: 10, 11, 12, 100, 9 → median 11; deviations 1, 0, 1, 89, 2 → MAD 1 ETH; 89 > 5 × 1 is rejected.
        QCOMPARE(stats.trades, std::size_t(5));
        QCOMPARE(stats.rejected, std::size_t(1));
        QCOMPARE(*stats.floor, wad("9"));
        QCOMPARE(*stats.median, wad("10"));  // lower middle of 9, 10, 11, 12
        // 10.4 for 200 s, 10, 11 and 12 for 1000 s each, 9 for the last 1000 s (the outlier never counts).
        const U256 weighted = wad("10.4") * U256(200) + wad("10") * U256(1000) + wad("11") * U256(1000) + wad("12") * U256(1000) + wad("9") * U256(1000);
        QCOMPARE(*stats.twap, weighted / U256(4200));
        QCOMPARE(stats.last_trade_time, std::uint64_t(4000));
    }

    void tradeStatsWhenPricesAgree()
    {
        // All trades at one price: the deviation floor is 1 % of the median, so 2 % off stays and 10 % off goes.
        const std::vector<Trade> trades = {trade_at(100, "20"), trade_at(200, "20"), trade_at(300, "20"), trade_at(400, "20.4"), trade_at(500, "22")};
        const auto stats = pricing::trade_stats(trades, 600, 1000);
        QCOMPARE(stats.rejected, std::size_t(1));
        QCOMPARE(*stats.floor, wad("20"));
        const auto none = pricing::trade_stats(trades, 100000, 1000);
        QCOMPARE(none.trades, std::size_t(0));
        QVERIFY(!none.floor && !none.twap && !none.median);
    }

    void oracleAndFeedAsTheirViewsAnswer()
    {
        Monitor monitor(m_world->client(), m_registry, traders());
        VERIFY_OK(monitor.discover());
        auto snapshot = monitor.refresh();
        VERIFY_OK(snapshot);
        QCOMPARE((*snapshot)->prices.size(), std::size_t(3));
        for (const auto& [symbol, feed] : m_world->manifest().feeds) {
            const Address collection = m_world->contract(symbol);
            const auto& prices = prices_of(**snapshot, collection);
            QVERIFY(prices.oracle && prices.feed);
            QCOMPARE(prices.oracle->price, m_world->read_u256(m_world->contract("NFTOracle"), "getAssetPrice(address)", "[" + q(collection) + "]"));
            QCOMPARE(prices.oracle->updated_at,
                     *m_world->read_u256(m_world->contract("NFTOracle"), "getLatestTimestamp(address)", "[" + q(collection) + "]").to_u64());
            auto round = m_world->read(feed, "latestRoundData()", "[]", "(uint80,int256,uint256,uint256,uint80)");
            VERIFY_OK(round);
            QCOMPARE(prices.feed->price, u((*round)[1]));  // 18 decimals: the answer is already in wei
            QCOMPARE(prices.feed->updated_at, *u((*round)[3]).to_u64());
            QCOMPARE(prices.feed->age_seconds, (*snapshot)->block.timestamp - prices.feed->updated_at);
            QVERIFY(!prices.oracle->stale && !prices.feed->stale);
        }
        // Two days without updates: the feed is stale by its heartbeat; BendDAO's oracle only when its admin flags it.
        m_world->advance(2 * 24 * 3600);
        auto later = monitor.refresh();
        VERIFY_OK(later);
        for (const auto& prices : (*later)->prices) {
            QVERIFY(!prices.oracle->stale);
            QVERIFY(prices.feed->stale);
            QVERIFY(prices.oracle->age_seconds >= 2 * 24 * 3600);
        }
        std::string all;
        for (const auto& prices : (*later)->prices) all += (all.empty() ? "" : ",") + q(prices.collection);
        VERIFY_OK(m_world->send("deployer", m_world->contract("NFTOracle"), "setPriceStale(address[],bool)", "[[" + all + "],true]"));
        auto flagged = monitor.refresh();
        VERIFY_OK(flagged);
        for (const auto& prices : (*flagged)->prices) QVERIFY(prices.oracle->stale);
        for (const auto& position : (*flagged)->positions)
            if (position.key.protocol == Protocol::BendDao) QVERIFY(position.price_stale);
    }

    void bestBidIsTheBestQuoteAPoolCanPay()
    {
        Monitor monitor(m_world->client(), m_registry, traders());
        for (int round = 0; round < 2; ++round) {
            VERIFY_OK(monitor.discover());
            auto snapshot = monitor.refresh();
            VERIFY_OK(snapshot);
            for (const auto& [symbol, feed] : m_world->manifest().feeds) {
                const Address collection = m_world->contract(symbol);
                std::optional<std::pair<U256, Address>> best;
                for (const auto& pair : m_world->manifest().pairs) {
                    if (pair.collection != collection || pair.pool_type == "NFT") continue;
                    auto quote = m_world->read(pair.pair, "getSellNFTQuote(uint256)", "[\"1\"]", kQuoteTypes);
                    VERIFY_OK(quote);
                    if ((*quote)[0].get<std::string>() != "0") continue;
                    const U256 output = u((*quote)[3]);
                    if (m_world->eth_balance(pair.pair) < output + u((*quote)[4])) continue;
                    if (!best || output > best->first) best = {output, pair.pair};
                }
                const auto& prices = prices_of(**snapshot, collection);
                QVERIFY(best.has_value());
                QVERIFY(prices.best_bid.has_value());
                QCOMPARE(prices.best_bid->price, best->first);
                QCOMPARE(*prices.best_bid_pair, best->second);
                QCOMPARE(prices.best_bid->block, (*snapshot)->block.number);
            }
            // The market moves (trades, re-pricing), and the bids with it.
            auto simulator = devnet::MarketSimulator::create(m_world->client(), m_world->manifest(), 11, m_dir / "sim.jsonl");
            VERIFY_OK(simulator);
            for (int step = 0; step < 5; ++step) VERIFY_OK((*simulator)->step());
        }
    }

    void tradesArePricedAsTheSwapsPaid()
    {
        Monitor monitor(m_world->client(), m_registry, traders());
        VERIFY_OK(monitor.discover());
        const Address collection = m_world->contract("PXPK");
        const Address seller = m_world->address_of("carol");
        const Address buyer = m_world->address_of("bob");
        std::map<std::string, std::pair<U256, std::uint32_t>> paid;  // transaction → (per NFT, count)
        std::uint64_t next_id = 8000;
        for (const auto& pair : m_world->manifest().pairs) {
            if (pair.collection != collection) continue;
            if (pair.pool_type != "NFT") {
                // Sell two NFTs where the pool can pay for them, else one.
                auto two = m_world->read(pair.pair, "getSellNFTQuote(uint256)", "[\"2\"]", kQuoteTypes);
                VERIFY_OK(two);
                const std::uint32_t count = u((*two)[3]) + u((*two)[4]) <= m_world->eth_balance(pair.pair) ? 2 : 1;
                std::string ids = "[";
                for (std::uint32_t i = 0; i < count; ++i) {
                    VERIFY_OK(m_world->send("deployer", collection, "mint(address,uint256)", "[" + q(seller) + ",\"" + std::to_string(next_id) + "\"]"));
                    ids += (i ? ",\"" : "\"") + std::to_string(next_id++) + "\"";
                }
                ids += "]";
                VERIFY_OK(m_world->send("carol", collection, "setApprovalForAll(address,bool)", "[" + q(pair.pair) + ",true]"));
                const U256 before = m_world->eth_balance(seller);
                auto sold = m_world->send("carol", pair.pair, "swapNFTsForToken(uint256[],uint256,address,bool,address)",
                                          "[" + ids + ",\"0\"," + q(seller) + ",false," + q(Address()) + "]");
                VERIFY_OK(sold);
                const U256 received = m_world->eth_balance(seller) + tests::DemoWorldFixture::gas_cost(*sold) - before;
                paid[sold->transaction_hash.to_hex()] = {received / U256(count), count};
            }
            if (pair.pool_type != "TOKEN" && m_world->read_u256(collection, "balanceOf(address)", "[" + q(pair.pair) + "]") > U256(0)) {
                auto quote = m_world->read(pair.pair, "getBuyNFTQuote(uint256)", "[\"1\"]", kQuoteTypes);
                VERIFY_OK(quote);
                if ((*quote)[0].get<std::string>() != "0") continue;
                const U256 before = m_world->eth_balance(buyer);
                auto bought = m_world->send("bob", pair.pair, "swapTokenForAnyNFTs(uint256,uint256,address,bool,address)",
                                            "[\"1\"," + dec(u((*quote)[3])) + "," + q(buyer) + ",false," + q(Address()) + "]",
                                            u((*quote)[3]) + wad("1"));
                VERIFY_OK(bought);
                const U256 spent = before - m_world->eth_balance(buyer) - tests::DemoWorldFixture::gas_cost(*bought);
                paid[bought->transaction_hash.to_hex()] = {spent, 1};
            }
        }
        QVERIFY(paid.size() >= 4);
        VERIFY_OK(monitor.discover());
        std::size_t matched = 0;
        for (const auto& trade : monitor.market().tape()->trades()) {
            const auto found = paid.find(trade.transaction.to_hex());
            if (found == paid.end()) continue;
            QCOMPARE(trade.collection, collection);
            QCOMPARE(trade.count, found->second.second);
            QCOMPARE(trade.price, found->second.first);
            ++matched;
        }
        for (const auto& [hash, what] : paid) {
            bool found = false;
            for (const auto& trade : monitor.market().tape()->trades()) found = found || trade.transaction.to_hex() == hash;
            if (!found) qWarning("no trade for %s (%s per NFT, %u NFTs)", hash.c_str(), what.first.to_dec().c_str(), what.second);
        }
        QCOMPARE(matched, paid.size());
        // And they make the trade figures of the collection.
        auto snapshot = monitor.refresh();
        VERIFY_OK(snapshot);
        const auto& prices = prices_of(**snapshot, collection);
        QVERIFY(prices.trades >= paid.size());
        QVERIFY(prices.trade_floor && prices.trade_median && prices.trade_twap);
        QVERIFY(!prices.trade_floor->stale);
    }

    void exitValueIsWhatSellingFetches()
    {
        Monitor monitor(m_world->client(), m_registry, traders());
        VERIFY_OK(monitor.discover());
        auto snapshot = monitor.refresh();
        VERIFY_OK(snapshot);
        const Address collection = m_world->contract("DAPE");
        const auto& prices = prices_of(**snapshot, collection);
        for (const auto& position : (*snapshot)->positions)
            if (position.collection == collection && (position.key.protocol == Protocol::BendDao || position.key.protocol == Protocol::Nftfi))
                QCOMPARE(*position.exit_value, prices.best_bid->price);
        const auto predicted = prices.exit_value(3);
        QVERIFY(predicted.has_value());
        QVERIFY(*predicted < prices.best_bid->price * U256(3));  // each sale lowers the bid it hit

        // Sell three NFTs, each into the pool with the best bid at that moment, and add up what they fetched.
        const Address seller = m_world->address_of("carol");
        U256 fetched;
        for (std::uint64_t id = 8100; id < 8103; ++id) {
            std::optional<std::pair<U256, Address>> best;
            for (const auto& pair : m_world->manifest().pairs) {
                if (pair.collection != collection || pair.pool_type == "NFT") continue;
                auto quote = m_world->read(pair.pair, "getSellNFTQuote(uint256)", "[\"1\"]", kQuoteTypes);
                VERIFY_OK(quote);
                if ((*quote)[0].get<std::string>() != "0" || m_world->eth_balance(pair.pair) < u((*quote)[3]) + u((*quote)[4])) continue;
                if (!best || u((*quote)[3]) > best->first) best = {u((*quote)[3]), pair.pair};
            }
            QVERIFY(best.has_value());
            VERIFY_OK(m_world->send("deployer", collection, "mint(address,uint256)", "[" + q(seller) + ",\"" + std::to_string(id) + "\"]"));
            VERIFY_OK(m_world->send("carol", collection, "setApprovalForAll(address,bool)", "[" + q(best->second) + ",true]"));
            const U256 before = m_world->eth_balance(seller);
            auto sold = m_world->send("carol", best->second, "swapNFTsForToken(uint256[],uint256,address,bool,address)",
                                      "[[\"" + std::to_string(id) + "\"],\"0\"," + q(seller) + ",false," + q(Address()) + "]");
            VERIFY_OK(sold);
            fetched = fetched + (m_world->eth_balance(seller) + tests::DemoWorldFixture::gas_cost(*sold) - before);
        }
        QCOMPARE(*predicted, fetched);
    }

    void aNodeWithoutOldStatesStillPricesEverything()
    {
        // A node that keeps only recent states (like a non-archive node): the pairs' parameters
        // at their creation blocks are gone, so the tape reads them as of now and goes on from there.
        tests::DemoWorldFixture pruned("--prune-history 8");
        QVERIFY2(pruned.ready(), pruned.error().c_str());
        const auto registry = *registry_from_json(devnet::manifest_to_json(pruned.manifest()));
        Monitor monitor(pruned.client(), registry, {pruned.address_of("alice")});
        VERIFY_OK(monitor.discover());
        auto snapshot = monitor.refresh();
        VERIFY_OK(snapshot);
        QCOMPARE((*snapshot)->positions.size(), std::size_t(12));
        QCOMPARE((*snapshot)->prices.size(), std::size_t(3));
        for (const auto& prices : (*snapshot)->prices) QVERIFY(prices.oracle && prices.best_bid);
    }

private:
    std::vector<Address> traders() const
    {
        return {m_world->address_of("alice"), m_world->address_of("bob"), m_world->address_of("carol")};
    }

    std::unique_ptr<tests::DemoWorldFixture> m_world;
    Registry m_registry;
    std::filesystem::path m_dir;
};

NFTTERM_TEST_GUILESS(PricingTest)
#include "pricing_test.moc"
