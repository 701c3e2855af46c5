#include "../support/demo_world_fixture.hpp"

#include <protocols/devnet/demo_world.hpp>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "../support/test_registry.hpp"

#include <map>

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
        QFile manifest(m_dir.filePath(QStringLiteral("manifest.json")));
        QVERIFY(manifest.open(QIODevice::WriteOnly));
        manifest.write(QByteArray::fromStdString(protocols::devnet::manifest_to_json(m_world->manifest())));
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

private:
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
