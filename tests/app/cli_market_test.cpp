#include "../support/demo_world_fixture.hpp"

#include <protocols/actions/amm_trade.hpp>
#include <protocols/devnet/demo_world.hpp>
#include <protocols/eth/rpc/eth_api.hpp>
#include <protocols/eth/tx/sender.hpp>
#include <protocols/eth/tx/tx_journal.hpp>
#include <protocols/positions/registry.hpp>
#include <protocols/pricing/order_book.hpp>
#include <wallet/signer/signer.hpp>

#include <QFile>
#include <cmath>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "../support/test_registry.hpp"

#include <map>
#include <set>

using namespace nftterm;
using wallet::Address;
using wallet::U256;

namespace {

std::string q(const Address& address)
{
    return "\"" + address.to_hex() + "\"";
}

}  // namespace

/// The market commands against the devnet's pools: the book is what the
/// pairs' own quote views say, level by level.
class CliMarketTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        m_world = std::make_unique<tests::DemoWorldFixture>();
        QVERIFY2(m_world->ready(), m_world->error().c_str());
        QVERIFY(m_world->write_manifest(m_dir.filePath(QStringLiteral("manifest.json")).toStdString()));
    }
    void init() { m_world->snapshot(); }
    void cleanup() { m_world->revert(); }

    void theBookIsWhatEachPoolsQuoteViewsSayLevelByLevel()
    {
        auto [code, out, err] = cli({QStringLiteral("book"), QStringLiteral("--collection"), QStringLiteral("DAPE"), QStringLiteral("--depth"),
                                     QStringLiteral("40"), QStringLiteral("--json")});
        QVERIFY2(code == 0, qPrintable(err));
        const auto book = QJsonDocument::fromJson(out.toUtf8()).object();
        QCOMPARE(book.value(QStringLiteral("collection")).toString(), QString::fromStdString(m_world->contract("DAPE").to_hex()));
        for (const char* side : {"asks", "bids"}) {
            const bool asks = std::string(side) == "asks";
            const auto levels = book.value(QLatin1String(side)).toArray();
            QVERIFY2(levels.size() > 5, side);
            std::map<std::string, std::uint64_t> taken;  // per pair, NFTs the levels so far took
            U256 cumulative, previous = asks ? U256(0) : U256::max();
            int count = 0;
            for (const auto& entry : levels) {
                const auto level = entry.toObject();
                const auto pair = *Address::from_hex(level.value(QStringLiteral("pair")).toString().toStdString());
                const U256 price = *U256::from_dec(level.value(QStringLiteral("price")).toString().toStdString());
                const std::uint64_t k = ++taken[pair.to_hex()];
                // The pair's own view: what k NFTs cost (or pay) less what k − 1 did.
                const auto quote = [&](std::uint64_t n) {
                    if (n == 0) return U256(0);
                    auto view = m_world->read(pair, asks ? "getBuyNFTQuote(uint256)" : "getSellNFTQuote(uint256)", "[\"" + std::to_string(n) + "\"]",
                                              "(uint8,uint256,uint256,uint256,uint256)");
                    return view && (*view)[0].get<std::string>() == "0" ? *U256::from_dec((*view)[3].get<std::string>()) : U256::max();
                };
                QCOMPARE(price.to_dec(), (quote(k) - quote(k - 1)).to_dec());
                // Asks only from NFTs the pair holds; bids only while its ETH pays seller and protocol fee.
                if (asks) {
                    QVERIFY(m_world->read_u256(m_world->contract("DAPE"), "balanceOf(address)", "[" + q(pair) + "]") >= U256(k));
                } else {
                    auto view = m_world->read(pair, "getSellNFTQuote(uint256)", "[\"" + std::to_string(k) + "\"]", "(uint8,uint256,uint256,uint256,uint256)");
                    QVERIFY(*U256::from_dec((*view)[3].get<std::string>()) + *U256::from_dec((*view)[4].get<std::string>()) <= m_world->eth_balance(pair));
                }
                QVERIFY(asks ? price >= previous : price <= previous);
                previous = price;
                cumulative = cumulative + price;
                QCOMPARE(level.value(QStringLiteral("cumulativeCost")).toString(), QString::fromStdString(cumulative.to_dec()));
                QCOMPARE(level.value(QStringLiteral("cumulativeCount")).toInt(), ++count);
            }
            QVERIFY2(taken.size() > 1, "the book merges several pools");
        }
        QCOMPARE(book.value(QStringLiteral("bestAsk")).toString(), book.value(QStringLiteral("asks")).toArray().first().toObject().value(QStringLiteral("price")).toString());
    }

    void aRoutedBuyCostsExactlyThePlanAndLeavesEachPairAtItsPlannedPrice()
    {
        const Address alice = m_world->address_of("alice");
        const Address dape = m_world->contract("DAPE");
        const QString key = write(QStringLiteral("alice.key"), "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
        const QStringList buy{QStringLiteral("buy"), QStringLiteral("--collection"), QStringLiteral("DAPE"), QStringLiteral("--count"), QStringLiteral("12"),
                              QStringLiteral("--private-key-file"), key, QStringLiteral("--journal"), m_dir.filePath(QStringLiteral("journal.jsonl")),
                              QStringLiteral("--yes")};
        const auto nonce_before = protocols::eth::get_transaction_count(m_world->client(), alice, protocols::eth::BlockTag::latest());
        QVERIFY(nonce_before.has_value());

        // A limit below the route's total: refused before anything is signed.
        auto [c0, o0, e0] = cli(buy + QStringList{QStringLiteral("--max-total"), QStringLiteral("100")});
        QCOMPARE(c0, 1);
        QVERIFY2(e0.contains(QStringLiteral("above --max-total")) && e0.contains(QStringLiteral("nothing is signed")), qPrintable(e0));
        QCOMPARE(*protocols::eth::get_transaction_count(m_world->client(), alice, protocols::eth::BlockTag::latest()), *nonce_before);

        const U256 eth_before = m_world->eth_balance(alice);
        const U256 nfts_before = m_world->read_u256(dape, "balanceOf(address)", "[" + q(alice) + "]");
        auto [code, out, err] = cli(buy);
        QVERIFY2(code == 0, qPrintable(err));
        const auto result = QJsonDocument::fromJson(out.toUtf8()).object();
        const U256 total = *U256::from_dec(result.value(QStringLiteral("total")).toString().toStdString());
        // Paid: exactly the planned total plus the gas of its transactions (by their receipts).
        U256 gas;
        for (const auto& entry : result.value(QStringLiteral("transactions")).toArray()) {
            const auto hash = wallet::TxHash::from_hex(entry.toObject().value(QStringLiteral("hash")).toString().toStdString());
            auto receipt = protocols::eth::get_receipt(m_world->client(), *hash);
            QVERIFY(receipt && receipt->has_value());
            gas = gas + tests::DemoWorldFixture::gas_cost(**receipt);
        }
        QCOMPARE((eth_before - m_world->eth_balance(alice)).to_dec(), (total + gas).to_dec());
        QCOMPARE(m_world->read_u256(dape, "balanceOf(address)", "[" + q(alice) + "]"), nfts_before + U256(12));
        // Every pair at the spot price the plan said, by its own view; the route used pools of different curves.
        std::set<std::string> curves;
        const auto swaps = result.value(QStringLiteral("swaps")).toArray();
        QVERIFY(swaps.size() >= 2);
        for (const auto& entry : swaps) {
            const auto swap = entry.toObject();
            const auto pair = *Address::from_hex(swap.value(QStringLiteral("pair")).toString().toStdString());
            QCOMPARE(QString::fromStdString(m_world->read_u256(pair, "spotPrice()").to_dec()), swap.value(QStringLiteral("newSpotPrice")).toString());
            auto curve = m_world->read(pair, "bondingCurve()", "[]", "(address)");
            QVERIFY(curve.has_value());
            curves.insert((*curve)[0].get<std::string>());
        }
        QVERIFY2(curves.size() >= 2, "the route crosses pools of different curves");
    }

    void aMarketThatMovedMakesTheSwapRevertWithThePairsReasonAndNothingIsLost()
    {
        auto registry = protocols::positions::registry_from_json(protocols::devnet::manifest_to_json(m_world->manifest()));
        QVERIFY(registry.has_value());
        const Address alice = m_world->address_of("alice");
        auto pools = protocols::pricing::read_collection_pools(m_world->client(), *registry, m_world->contract("DAPE"));
        QVERIFY(pools.has_value());
        // A pool that holds several NFTs: after bob's buy it still sells, one curve step dearer.
        std::erase_if(pools->pools, [](const protocols::pricing::PoolState& pool) { return !pool.asks() || pool.nft_count < 2; });
        QVERIFY(!pools->pools.empty());
        pools->pools.resize(1);
        auto plan = protocols::actions::plan_buy(*pools, 1, std::nullopt, alice);
        QVERIFY(plan.has_value());
        // bob takes that NFT first: the pair's price moves up.
        const auto& swap = plan->swaps.front();
        QVERIFY(m_world->send("bob", swap.pair, "swapTokenForAnyNFTs(uint256,uint256,address,bool,address)",
                              "[\"1\",\"" + swap.total.to_dec() + "\"," + q(m_world->address_of("bob")) + ",false,\"0x0000000000000000000000000000000000000000\"]",
                              swap.total)
                    .has_value());
        const U256 eth_before = m_world->eth_balance(alice);
        const auto nonce_before = protocols::eth::get_transaction_count(m_world->client(), alice, protocols::eth::BlockTag::latest());
        auto journal = protocols::eth::TxJournal::open(m_dir.filePath(QStringLiteral("moved.jsonl")).toStdString());
        QVERIFY(journal.has_value());
        protocols::eth::NonceManager nonces(m_world->client());
        protocols::eth::SendPolicy policy;
        policy.chain_id = registry->chain_id;
        protocols::eth::Sender sender(m_world->client(), *m_world->actor("alice").signer, **journal, nonces, policy);
        auto sent = sender.send(plan->calls.front().send_request());
        QVERIFY(!sent);
        QVERIFY2(sent.error().message().find("In too many tokens") != std::string::npos, sent.error().message().c_str());
        QCOMPARE(m_world->eth_balance(alice), eth_before);
        QCOMPARE(*protocols::eth::get_transaction_count(m_world->client(), alice, protocols::eth::BlockTag::latest()), *nonce_before);
        QVERIFY((*journal)->entries().empty());
    }

    void aRoutedSellPaysExactlyThePlan()
    {
        const Address alice = m_world->address_of("alice");
        const Address dape = m_world->contract("DAPE");
        const QString key = write(QStringLiteral("alice.key"), "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
        const QString journal = m_dir.filePath(QStringLiteral("sell.jsonl"));
        // alice buys three, then sells them: her last three DAPE by the collection's own enumeration.
        auto [cb, ob, eb] = cli({QStringLiteral("buy"), QStringLiteral("--collection"), QStringLiteral("DAPE"), QStringLiteral("--count"), QStringLiteral("3"),
                                 QStringLiteral("--private-key-file"), key, QStringLiteral("--journal"), journal, QStringLiteral("--yes")});
        QVERIFY2(cb == 0, qPrintable(eb));
        const U256 held = m_world->read_u256(dape, "balanceOf(address)", "[" + q(alice) + "]");
        QVERIFY(held >= U256(3));
        QStringList sell{QStringLiteral("sell"), QStringLiteral("--collection"), QStringLiteral("DAPE"), QStringLiteral("--private-key-file"), key,
                         QStringLiteral("--journal"), journal, QStringLiteral("--yes")};
        std::vector<std::string> ids;
        for (U256 i = held - U256(3); i < held; i = i + U256(1)) {
            ids.push_back(m_world->read_u256(dape, "tokenOfOwnerByIndex(address,uint256)", "[" + q(alice) + ",\"" + i.to_dec() + "\"]").to_dec());
            sell << QStringLiteral("--token-id") << QString::fromStdString(ids.back());
        }
        const auto nonce_before = protocols::eth::get_transaction_count(m_world->client(), alice, protocols::eth::BlockTag::latest());
        // Asking more than the bids pay: refused before anything is signed.
        auto [c0, o0, e0] = cli(sell + QStringList{QStringLiteral("--min-total"), QStringLiteral("1000")});
        QCOMPARE(c0, 1);
        QVERIFY2(e0.contains(QStringLiteral("below --min-total")), qPrintable(e0));
        QCOMPARE(*protocols::eth::get_transaction_count(m_world->client(), alice, protocols::eth::BlockTag::latest()), *nonce_before);
        // Someone else's NFT is refused.
        auto [c1, o1, e1] = cli({QStringLiteral("sell"), QStringLiteral("--collection"), QStringLiteral("DAPE"), QStringLiteral("--private-key-file"), key,
                                 QStringLiteral("--token-id"), QStringLiteral("201"), QStringLiteral("--yes")});
        QCOMPARE(c1, 1);
        QVERIFY2(e1.contains(QStringLiteral("is not")), qPrintable(e1));

        const U256 eth_before = m_world->eth_balance(alice);
        auto [code, out, err] = cli(sell);
        QVERIFY2(code == 0, qPrintable(err));
        const auto result = QJsonDocument::fromJson(out.toUtf8()).object();
        const U256 total = *U256::from_dec(result.value(QStringLiteral("total")).toString().toStdString());
        U256 gas;
        for (const auto& entry : result.value(QStringLiteral("transactions")).toArray()) {
            auto receipt = protocols::eth::get_receipt(m_world->client(), *wallet::TxHash::from_hex(entry.toObject().value(QStringLiteral("hash")).toString().toStdString()));
            QVERIFY(receipt && receipt->has_value());
            gas = gas + tests::DemoWorldFixture::gas_cost(**receipt);
        }
        QCOMPARE((m_world->eth_balance(alice) + gas - eth_before).to_dec(), total.to_dec());
        QCOMPARE(m_world->read_u256(dape, "balanceOf(address)", "[" + q(alice) + "]"), held - U256(3));
        for (const auto& entry : result.value(QStringLiteral("swaps")).toArray()) {
            const auto swap = entry.toObject();
            const auto pair = *Address::from_hex(swap.value(QStringLiteral("pair")).toString().toStdString());
            QCOMPARE(QString::fromStdString(m_world->read_u256(pair, "spotPrice()").to_dec()), swap.value(QStringLiteral("newSpotPrice")).toString());
        }
    }

    void specificNftsAreBoughtFromThePoolsThatHoldThem()
    {
        const Address alice = m_world->address_of("alice");
        const Address dape = m_world->contract("DAPE");
        const QString key = write(QStringLiteral("alice.key"), "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
        // One NFT from each of two pools, by their own getAllHeldIds.
        auto [cb, book_text, eb] = cli({QStringLiteral("book"), QStringLiteral("--collection"), QStringLiteral("DAPE"), QStringLiteral("--depth"), QStringLiteral("40"),
                                        QStringLiteral("--json")});
        QVERIFY2(cb == 0, qPrintable(eb));
        std::vector<std::pair<Address, std::string>> wanted;
        for (const auto& entry : QJsonDocument::fromJson(book_text.toUtf8()).object().value(QStringLiteral("asks")).toArray()) {
            const auto pair = *Address::from_hex(entry.toObject().value(QStringLiteral("pair")).toString().toStdString());
            if (std::any_of(wanted.begin(), wanted.end(), [&](const auto& w) { return w.first == pair; }) || wanted.size() == 2) continue;
            auto held = m_world->read(pair, "getAllHeldIds()", "[]", "(uint256[])");
            QVERIFY(held && !(*held)[0].empty());
            wanted.emplace_back(pair, (*held)[0].back().get<std::string>());
        }
        QCOMPARE(wanted.size(), std::size_t(2));
        QStringList buy{QStringLiteral("buy"), QStringLiteral("--collection"), QStringLiteral("DAPE"), QStringLiteral("--private-key-file"), key,
                        QStringLiteral("--journal"), m_dir.filePath(QStringLiteral("ids.jsonl")), QStringLiteral("--yes")};
        for (const auto& [pair, id] : wanted) buy << QStringLiteral("--token-id") << QString::fromStdString(id);
        const U256 eth_before = m_world->eth_balance(alice);
        auto [code, out, err] = cli(buy);
        QVERIFY2(code == 0, qPrintable(err));
        const auto result = QJsonDocument::fromJson(out.toUtf8()).object();
        U256 gas;
        for (const auto& entry : result.value(QStringLiteral("transactions")).toArray()) {
            auto receipt = protocols::eth::get_receipt(m_world->client(), *wallet::TxHash::from_hex(entry.toObject().value(QStringLiteral("hash")).toString().toStdString()));
            QVERIFY(receipt && receipt->has_value());
            gas = gas + tests::DemoWorldFixture::gas_cost(**receipt);
        }
        QCOMPARE((eth_before - m_world->eth_balance(alice)).to_dec(), (*U256::from_dec(result.value(QStringLiteral("total")).toString().toStdString()) + gas).to_dec());
        for (const auto& [pair, id] : wanted) {
            auto owner = m_world->read(dape, "ownerOf(uint256)", "[\"" + id + "\"]", "(address)");
            QVERIFY(owner.has_value());
            QCOMPARE(Address::from_hex((*owner)[0].get<std::string>())->to_hex(), alice.to_hex());
        }
        // An NFT no pool sells is refused.
        auto [c2, o2, e2] = cli({QStringLiteral("buy"), QStringLiteral("--collection"), QStringLiteral("DAPE"), QStringLiteral("--private-key-file"), key,
                                 QStringLiteral("--token-id"), QString::fromStdString(wanted.front().second), QStringLiteral("--yes")});
        QCOMPARE(c2, 1);
        QVERIFY2(e2.contains(QStringLiteral("not for sale")), qPrintable(e2));
    }

    void aPoolOfOnesOwnIsCreatedFundedRepricedAndEmptiedAsPlanned()
    {
        const Address alice = m_world->address_of("alice");
        const Address dape = m_world->contract("DAPE");
        const QString key = write(QStringLiteral("alice.key"), "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
        const QString journal = m_dir.filePath(QStringLiteral("pool.jsonl"));
        const QStringList signer{QStringLiteral("--private-key-file"), key, QStringLiteral("--journal"), journal, QStringLiteral("--yes")};
        auto [cb, ob, eb] = cli(QStringList{QStringLiteral("buy"), QStringLiteral("--collection"), QStringLiteral("DAPE"), QStringLiteral("--count"), QStringLiteral("2")} + signer);
        QVERIFY2(cb == 0, qPrintable(eb));
        const U256 held = m_world->read_u256(dape, "balanceOf(address)", "[" + q(alice) + "]");
        QStringList ids;
        for (U256 i = held - U256(2); i < held; i = i + U256(1))
            ids << QString::fromStdString(m_world->read_u256(dape, "tokenOfOwnerByIndex(address,uint256)", "[" + q(alice) + ",\"" + i.to_dec() + "\"]").to_dec());
        // Each step's JSON says what the pool will be; the pair's own views say what it is.
        const auto step = [&](const QStringList& args) {
            auto [code, out, err] = cli(QStringList{QStringLiteral("pool")} + args + QStringList{QStringLiteral("--collection"), QStringLiteral("DAPE")} + signer);
            if (code != 0) qWarning("%s", qPrintable(err));
            const auto result = QJsonDocument::fromJson(out.toUtf8()).object();
            const Address pair = *Address::from_hex(result.value(QStringLiteral("pair")).toString().toStdString());
            const auto predicted = result.value(QStringLiteral("predicted")).toObject();
            const auto check = [&](const char* key, const std::string& actual) {
                if (predicted.value(QLatin1String(key)).toString().toStdString() != actual)
                    qWarning("%s: predicted %s, the pair says %s", key, qPrintable(predicted.value(QLatin1String(key)).toString()), actual.c_str());
                return predicted.value(QLatin1String(key)).toString().toStdString() == actual;
            };
            const bool ok = code == 0 && check("spotPrice", m_world->read_u256(pair, "spotPrice()").to_dec()) && check("delta", m_world->read_u256(pair, "delta()").to_dec()) &&
                            check("fee", m_world->read_u256(pair, "fee()").to_dec()) && check("ethBalance", m_world->eth_balance(pair).to_dec()) &&
                            predicted.value(QStringLiteral("nftCount")).toInt() == int(m_world->read_u256(dape, "balanceOf(address)", "[" + q(pair) + "]").to_u64().value_or(0)) &&
                            result.value(QStringLiteral("after")).toObject() == predicted;
            return std::pair{ok, pair};
        };
        const auto [created, pair] = step({QStringLiteral("create"), QStringLiteral("--type"), QStringLiteral("trade"), QStringLiteral("--curve"), QStringLiteral("linear"),
                                           QStringLiteral("--spot"), QStringLiteral("25"), QStringLiteral("--delta"), QStringLiteral("0.5"), QStringLiteral("--fee"), QStringLiteral("1"),
                                           QStringLiteral("--deposit-eth"), QStringLiteral("30"), QStringLiteral("--token-id"), ids[0], QStringLiteral("--token-id"), ids[1]});
        QVERIFY(created);
        auto owner = m_world->read(pair, "owner()", "[]", "(address)");
        QCOMPARE(Address::from_hex((*owner)[0].get<std::string>())->to_hex(), alice.to_hex());
        QCOMPARE(m_world->read_u256(pair, "spotPrice()").to_dec(), std::string("25000000000000000000"));
        const QString p = QString::fromStdString(pair.to_hex());
        QVERIFY(step({QStringLiteral("reprice"), QStringLiteral("--pair"), p, QStringLiteral("--spot"), QStringLiteral("26"), QStringLiteral("--fee"), QStringLiteral("2")}).first);
        QCOMPARE(m_world->read_u256(pair, "fee()").to_dec(), std::string("20000000000000000"));
        QVERIFY(step({QStringLiteral("withdraw"), QStringLiteral("--pair"), p, QStringLiteral("--eth"), QStringLiteral("10"), QStringLiteral("--token-id"), ids[0]}).first);
        QCOMPARE(m_world->eth_balance(pair).to_dec(), std::string("20000000000000000000"));
        QVERIFY(step({QStringLiteral("deposit"), QStringLiteral("--pair"), p, QStringLiteral("--eth"), QStringLiteral("5"), QStringLiteral("--token-id"), ids[0]}).first);
        QCOMPARE(m_world->read_u256(dape, "balanceOf(address)", "[" + q(pair) + "]"), U256(2));

        // As a position: its trading P&L against having held what went in (30 − 10 + 5 ETH, 2 − 1 + 1 NFTs),
        // the NFTs at the oracle's floor. Nothing traded yet: zero. Then someone buys one of its NFTs.
        const auto pool_pnl = [&] {
            auto [code, out, err] = cli({QStringLiteral("positions"), QStringLiteral("--no-cache"), QStringLiteral("--account"), QString::fromStdString(alice.to_hex()),
                                         QStringLiteral("--json")});
            for (const auto& entry : QJsonDocument::fromJson(out.toUtf8()).array())
                if (entry.toObject().value(QStringLiteral("id")).toString().compare(QStringLiteral("sudoswap:") + p, Qt::CaseInsensitive) == 0)
                    return entry.toObject().value(QStringLiteral("pnl")).toString();
            return QString(QStringLiteral("no row: ") + err);
        };
        const auto held_as_deposited = [&] {
            const U256 eth_in = *U256::parse_units("25", 18);
            const U256 floor = m_world->read_u256(m_world->contract("NFTOracle"), "getAssetPrice(address)", "[" + q(dape) + "]");
            const U256 eth_now = m_world->eth_balance(pair);
            const U256 nfts_now = m_world->read_u256(dape, "balanceOf(address)", "[" + q(pair) + "]");
            // (eth_now − eth_in) + (nfts_now − 2) × floor, signed.
            const tests::Int256 value = tests::Int256(eth_now.native()) - tests::Int256(eth_in.native()) + (tests::Int256(nfts_now.native()) - 2) * tests::Int256(floor.native());
            return QString::fromStdString(value.str());
        };
        QCOMPARE(pool_pnl(), QStringLiteral("0"));
        const QString bob_key = write(QStringLiteral("bob.key"), "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");
        auto [cs, os, es] = cli({QStringLiteral("buy"), QStringLiteral("--collection"), QStringLiteral("DAPE"), QStringLiteral("--token-id"), ids[1],
                                 QStringLiteral("--private-key-file"), bob_key, QStringLiteral("--journal"), m_dir.filePath(QStringLiteral("bob.jsonl")), QStringLiteral("--yes")});
        QVERIFY2(cs == 0, qPrintable(es));
        QCOMPARE(m_world->read_u256(dape, "balanceOf(address)", "[" + q(pair) + "]"), U256(1));
        QCOMPARE(pool_pnl(), held_as_deposited());
        QVERIFY(pool_pnl() != QStringLiteral("0"));
        // Someone else's pool is refused before signing.
        auto [cr, orr, er] = cli({QStringLiteral("pool"), QStringLiteral("reprice"), QStringLiteral("--collection"), QStringLiteral("DAPE"), QStringLiteral("--pair"), p,
                                  QStringLiteral("--spot"), QStringLiteral("1"), QStringLiteral("--private-key-file"), bob_key, QStringLiteral("--yes")});
        QCOMPARE(cr, 1);
        QVERIFY2(er.contains(QStringLiteral("nothing is signed")), qPrintable(er));
    }

    void aPoolThatSendsItsProceedsElsewhereReportsThePnlOfItsTrades()
    {
        // A seeded DAPE TOKEN pool whose bids pay out of the pair and whose NFTs go to its owner.
        QStringList accounts;
        for (const auto& account : m_world->manifest().accounts) accounts << QStringLiteral("--account") << QString::fromStdString(account.address.to_hex());
        const Address dape = m_world->contract("DAPE");
        const auto pools = [&] {
            auto [code, out, err] = cli(QStringList{QStringLiteral("positions"), QStringLiteral("--no-cache"), QStringLiteral("--json")} + accounts);
            QMap<QString, QJsonObject> out_pools;
            for (const auto& entry : QJsonDocument::fromJson(out.toUtf8()).array()) {
                const auto p = entry.toObject();
                if (p.value(QStringLiteral("protocol")).toString() == QStringLiteral("sudoswap")) out_pools[p.value(QStringLiteral("id")).toString()] = p;
            }
            return out_pools;
        };
        QString id;
        Address pair;
        for (const auto& p : pools()) {
            const QString recipient = p.value(QStringLiteral("assetRecipient")).toString();
            const QString address = p.value(QStringLiteral("id")).toString().mid(9);
            if (p.value(QStringLiteral("state")).toString() == QStringLiteral("TOKEN pool") && Address::from_hex(p.value(QStringLiteral("collection")).toString().toStdString()) == dape &&
                recipient.compare(address, Qt::CaseInsensitive) != 0 && m_world->eth_balance(*Address::from_hex(address.toStdString())) > *U256::parse_units("40", 18)) {
                id = p.value(QStringLiteral("id")).toString();
                pair = *Address::from_hex(address.toStdString());
            }
        }
        QVERIFY2(!id.isEmpty(), "the demo world has a funded DAPE TOKEN pool paying another recipient");
        const QString before_text = pools()[id].value(QStringLiteral("pnl")).toString();
        const bool negative = before_text.startsWith(u'-');
        const auto before_magnitude = U256::from_dec(before_text.mid(negative ? 1 : 0).toStdString());
        QVERIFY2(before_magnitude.has_value(), qPrintable(before_text));
        const tests::Int256 pnl_before = tests::Int256(before_magnitude->native()) * (negative ? -1 : 1);
        // alice buys one DAPE, then sells it into that pair directly.
        const Address alice = m_world->address_of("alice");
        const QString key = write(QStringLiteral("alice.key"), "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
        auto [cb, ob, eb] = cli({QStringLiteral("buy"), QStringLiteral("--collection"), QStringLiteral("DAPE"), QStringLiteral("--count"), QStringLiteral("1"),
                                 QStringLiteral("--private-key-file"), key, QStringLiteral("--journal"), m_dir.filePath(QStringLiteral("a.jsonl")), QStringLiteral("--yes")});
        QVERIFY2(cb == 0, qPrintable(eb));
        const U256 held = m_world->read_u256(dape, "balanceOf(address)", "[" + q(alice) + "]");
        const U256 token = m_world->read_u256(dape, "tokenOfOwnerByIndex(address,uint256)", "[" + q(alice) + ",\"" + (held - U256(1)).to_dec() + "\"]");
        QVERIFY(m_world->send("alice", dape, "setApprovalForAll(address,bool)", "[" + q(pair) + ",true]").has_value());
        const Address factory = m_world->contract("SudoPairFactory");
        const U256 alice_before = m_world->eth_balance(alice);
        const U256 factory_before = m_world->eth_balance(factory);
        auto sold = m_world->send("alice", pair, "swapNFTsForToken(uint256[],uint256,address,bool,address)",
                                  "[[\"" + token.to_dec() + "\"],\"0\"," + q(alice) + ",false,\"0x0000000000000000000000000000000000000000\"]");
        QVERIFY2(sold.has_value(), sold ? "" : sold.error().message().c_str());
        const U256 received = m_world->eth_balance(alice) + tests::DemoWorldFixture::gas_cost(*sold) - alice_before;
        const U256 protocol_fee = m_world->eth_balance(factory) - factory_before;
        const U256 floor = m_world->read_u256(m_world->contract("NFTOracle"), "getAssetPrice(address)", "[" + q(dape) + "]");
        // The pool paid what alice got plus the protocol fee, and holds one more NFT (at its owner) worth the floor.
        const tests::Int256 expected = pnl_before - tests::Int256(received.native()) - tests::Int256(protocol_fee.native()) + tests::Int256(floor.native());
        const QString after = pools()[id].value(QStringLiteral("pnl")).toString();
        QCOMPARE(after, QString::fromStdString(expected.str()));
        QVERIFY(received > U256(0));
    }

    void aPerpOpensIncreasesReducesAndReversesToExactlyThePlannedSize()
    {
        // The keeper has no perp yet: WETH in, then a 3× long on DAPE. The Amm is first made older than its
        // 15-minute TWAP window, as a live market is: in a younger one the TWAP averages over seconds, and the
        // plan's estimate of it (at the plan block) moves with each second before landing.
        m_world->advance(20 * 60);
        const auto& keeper = m_world->actor("keeper");
        QVERIFY(m_world->send("keeper", m_world->contract("WETH9"), "deposit()", "[]", *U256::parse_units("50", 18)).has_value());
        const QString key = write(QStringLiteral("keeper.key"), wallet::to_hex(keeper.key.view()).c_str());
        const QStringList signer{QStringLiteral("--private-key-file"), key, QStringLiteral("--journal"), m_dir.filePath(QStringLiteral("perp.jsonl")), QStringLiteral("--yes")};
        const auto trade = [&](const char* side, const char* margin, const char* leverage) {
            auto [code, out, err] = cli(QStringList{QStringLiteral("perp"), QStringLiteral("open"), QStringLiteral("--collection"), QStringLiteral("DAPE"), QStringLiteral("--side"),
                                                    QLatin1String(side), QStringLiteral("--margin"), QLatin1String(margin), QStringLiteral("--leverage"), QLatin1String(leverage)} + signer);
            if (code != 0) qWarning("%s", qPrintable(err));
            return std::pair{code, QJsonDocument::fromJson(out.toUtf8()).object()};
        };
        const Address house = m_world->contract("PerpClearingHouse");
        const Address amm = *Address::from_hex(m_world->manifest().amms.at("DAPE").to_hex());
        const auto size_on_chain = [&] {
            auto stored = m_world->read(house, "getPosition(address,address)", "[" + q(amm) + "," + q(keeper.account.address) + "]",
                                        "(((int256),(uint256),(uint256),(int256),uint256,uint256))");
            return stored ? QString::fromStdString((*stored)[0][0][0].get<std::string>()) : QString();
        };
        const auto ratio_on_chain = [&] {
            auto ratio = m_world->read(house, "getMarginRatio(address,address)", "[" + q(amm) + "," + q(keeper.account.address) + "]", "((int256))");
            return ratio ? QString::fromStdString((*ratio)[0][0].get<std::string>()) : QString();
        };
        const auto monitored_liquidation_price = [&] {
            auto [code, out, err] = cli({QStringLiteral("positions"), QStringLiteral("--no-cache"), QStringLiteral("--account"),
                                         QString::fromStdString(keeper.account.address.to_hex()), QStringLiteral("--json")});
            for (const auto& entry : QJsonDocument::fromJson(out.toUtf8()).array())
                if (entry.toObject().value(QStringLiteral("protocol")).toString() == QStringLiteral("perp"))
                    return entry.toObject().value(QStringLiteral("liquidationPrice")).toString();
            return QString(QStringLiteral("no perp row: ") + err);
        };
        // What the plan said the clearing house would store and answer at the landing block, against what it does.
        const auto landed_as_planned = [&](const QJsonObject& result) {
            const auto predicted = result.value(QStringLiteral("predicted")).toObject();
            const auto after = result.value(QStringLiteral("after")).toObject();
            QCOMPARE(size_on_chain(), predicted.value(QStringLiteral("size")).toString());
            QCOMPARE(after.value(QStringLiteral("margin")).toString(), predicted.value(QStringLiteral("margin")).toString());
            QCOMPARE(after.value(QStringLiteral("openNotional")).toString(), predicted.value(QStringLiteral("openNotional")).toString());
            // The spot side of getMarginRatio is exact; the TWAP side is the plan block's estimate, a few seconds older.
            if (predicted.value(QStringLiteral("marginRatioBy")).toString() == QStringLiteral("spot"))
                QCOMPARE(ratio_on_chain(), predicted.value(QStringLiteral("marginRatio")).toString());
            else
                QVERIFY2(std::abs(ratio_on_chain().toDouble() - predicted.value(QStringLiteral("marginRatio")).toString().toDouble()) < 1e15,
                         qPrintable(ratio_on_chain() + QStringLiteral(" on chain, predicted ") + predicted.value(QStringLiteral("marginRatio")).toString() + QStringLiteral(" ") + result.value(QStringLiteral("kind")).toString()));
            // The liquidation price shown before signing is the one the monitor shows after.
            QCOMPARE(monitored_liquidation_price(), predicted.value(QStringLiteral("liquidationPrice")).toString());
        };
        auto [c1, opened] = trade("long", "2", "3");
        QCOMPARE(c1, 0);
        QCOMPARE(opened.value(QStringLiteral("kind")).toString(), QStringLiteral("open"));
        // Margin 2 for a notional of 6: one third at entry. Bought at the reserves after the trade, the size sells back
        // for its notional less the rounding, so the spot mark sets getMarginRatio, just under one third.
        QCOMPARE(opened.value(QStringLiteral("predicted")).toObject().value(QStringLiteral("initialMarginRatio")).toString(), QStringLiteral("333333333333333333"));
        QCOMPARE(opened.value(QStringLiteral("predicted")).toObject().value(QStringLiteral("marginRatioBy")).toString(), QStringLiteral("spot"));
        landed_as_planned(opened);
        QCOMPARE(ratio_on_chain(), opened.value(QStringLiteral("after")).toObject().value(QStringLiteral("marginRatio")).toString());

        auto [c2, increased] = trade("long", "1", "2");
        QCOMPARE(c2, 0);
        QCOMPARE(increased.value(QStringLiteral("kind")).toString(), QStringLiteral("increase"));
        landed_as_planned(increased);
        auto [c3, reduced] = trade("short", "1", "2");
        QCOMPARE(c3, 0);
        QCOMPARE(reduced.value(QStringLiteral("kind")).toString(), QStringLiteral("reduce"));
        landed_as_planned(reduced);
        // The other side for more than the position: closed, then the rest opened short, to the planned size.
        auto [c4, reversed] = trade("short", "5", "3");
        QCOMPARE(c4, 0);
        QCOMPARE(reversed.value(QStringLiteral("kind")).toString(), QStringLiteral("reverse"));
        QVERIFY(reversed.value(QStringLiteral("predicted")).toObject().value(QStringLiteral("size")).toString().startsWith(u'-'));
        landed_as_planned(reversed);
        // An excessive leverage is refused before signing.
        const QString before = size_on_chain();
        auto [c5, wild] = trade("long", "1", "50");
        QCOMPARE(c5, 1);
        QCOMPARE(size_on_chain(), before);
    }

private:
    QString write(const QString& name, const char* text)
    {
        QFile file(m_dir.filePath(name));
        if (!file.open(QIODevice::WriteOnly)) return {};
        file.write(text);
        return file.fileName();
    }

    std::tuple<int, QString, QString> cli(const QStringList& args)
    {
        QProcess process;
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("NFTTERM_DATA_DIR"), m_dir.filePath(QStringLiteral("data")));
        process.setProcessEnvironment(env);
        process.start(QStringLiteral(NFTTERM_CLI), args + QStringList{QStringLiteral("--registry"), m_dir.filePath(QStringLiteral("manifest.json")),
                                                                     QStringLiteral("--rpc-url"), QString::fromStdString(m_world->url())});
        process.waitForFinished(120000);
        return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
    }

    std::unique_ptr<tests::DemoWorldFixture> m_world;
    QTemporaryDir m_dir;
};

NFTTERM_TEST_GUILESS(CliMarketTest)
#include "cli_market_test.moc"
