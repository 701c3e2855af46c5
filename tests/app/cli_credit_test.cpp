#include "../support/demo_world_fixture.hpp"
#include "../support/test_registry.hpp"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace nftterm;
using wallet::Address;
using wallet::U256;

namespace {

std::string q(const Address& address)
{
    return "\"" + address.to_hex() + "\"";
}

U256 number(const QJsonValue& value)
{
    return U256::from_dec(value.toString().toStdString()).value_or(U256::max());
}

}  // namespace

/// The credit commands against the devnet's lending pool: a borrow sized for
/// a health factor lands at the pool's own health factor, the one the
/// monitor then shows; what the LTV does not allow is refused before signing.
class CliCreditTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        m_world = std::make_unique<tests::DemoWorldFixture>();
        QVERIFY2(m_world->ready(), m_world->error().c_str());
        QVERIFY(m_world->write_manifest(m_dir.filePath(QStringLiteral("manifest.json")).toStdString()));
        QFile key(m_dir.filePath(QStringLiteral("alice.key")));
        QVERIFY(key.open(QIODevice::WriteOnly));
        key.write("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
    }
    void init() { m_world->snapshot(); }
    void cleanup() { m_world->revert(); }

    void aBorrowToATargetHealthLandsAtThePoolsOwnHealthFactor()
    {
        const Address alice = m_world->address_of("alice");
        const Address dape = m_world->contract("DAPE");
        const Address pool = m_world->contract("BendLendPool");
        // An NFT of her own, bought from the pools.
        auto [cb, ob, eb] = cli({QStringLiteral("buy"), QStringLiteral("--collection"), QStringLiteral("DAPE"), QStringLiteral("--count"), QStringLiteral("1")}, true);
        QVERIFY2(cb == 0, qPrintable(eb));
        const U256 held = m_world->read_u256(dape, "balanceOf(address)", "[" + q(alice) + "]");
        const U256 token = m_world->read_u256(dape, "tokenOfOwnerByIndex(address,uint256)", "[" + q(alice) + ",\"" + (held - U256(1)).to_dec() + "\"]");
        const QString id = QString::fromStdString(token.to_dec());
        const U256 weth_before = m_world->weth_balance(alice);

        auto [code, out, err] = cli({QStringLiteral("borrow"), QStringLiteral("--collection"), QStringLiteral("DAPE"), QStringLiteral("--token-id"), id,
                                     QStringLiteral("--target-health"), QStringLiteral("1.5")}, true);
        QVERIFY2(code == 0, qPrintable(err));
        QVERIFY2(err.contains(QStringLiteral("health factor after")) && err.contains(QStringLiteral("borrow APR")), qPrintable(err));
        const auto result = QJsonDocument::fromJson(out.toUtf8()).object();
        QVERIFY(result.value(QStringLiteral("newLoan")).toBool());
        const auto after = result.value(QStringLiteral("after")).toObject();
        // The pool's own health at the landing block is the plan's, redone for that block's time, and at the target.
        QCOMPARE(after.value(QStringLiteral("healthFactor")).toString(), after.value(QStringLiteral("predictedHealthFactor")).toString());
        const U256 health = number(after.value(QStringLiteral("healthFactor")));
        const U256 target = *U256::parse_units("1.5", 18);
        QVERIFY2(health >= target && health < target + target / U256(100000), qPrintable(after.value(QStringLiteral("healthFactor")).toString()));
        // The pool holds the NFT, alice holds the WETH, and getNftDebtData says so.
        auto owner = m_world->read(dape, "ownerOf(uint256)", "[\"" + token.to_dec() + "\"]", "(address)");
        QVERIFY(owner.has_value());
        QCOMPARE(Address::from_hex((*owner)[0].get<std::string>())->to_hex(), pool.to_hex());
        QCOMPARE(m_world->weth_balance(alice), weth_before + number(result.value(QStringLiteral("amount"))));
        auto debt = m_world->read(pool, "getNftDebtData(address,uint256)", "[" + q(dape) + ",\"" + token.to_dec() + "\"]",
                                  "(uint256,address,uint256,uint256,uint256,uint256)");
        QVERIFY(debt.has_value());
        QCOMPARE(QString::fromStdString((*debt)[5].get<std::string>()), after.value(QStringLiteral("healthFactor")).toString());
        // The monitor shows the same health for the new loan (nothing has been mined since).
        auto [cp, op, ep] = cli({QStringLiteral("positions"), QStringLiteral("--no-cache"), QStringLiteral("--account"), QString::fromStdString(alice.to_hex()),
                                 QStringLiteral("--json")});
        QVERIFY2(cp == 0, qPrintable(ep));
        QString shown;
        for (const auto& entry : QJsonDocument::fromJson(op.toUtf8()).array())
            if (entry.toObject().value(QStringLiteral("protocol")).toString() == QStringLiteral("benddao") &&
                entry.toObject().value(QStringLiteral("tokenId")).toString() == id)
                shown = entry.toObject().value(QStringLiteral("healthFactor")).toString();
        QCOMPARE(shown, after.value(QStringLiteral("healthFactor")).toString());

        // Past the LTV: refused before signing, with the most it could borrow; nothing sent.
        const U256 nonce = nonce_of(alice);
        auto [cr, orr, er] = cli({QStringLiteral("borrow"), QStringLiteral("--collection"), QStringLiteral("DAPE"), QStringLiteral("--token-id"), id,
                                  QStringLiteral("--amount"), QStringLiteral("1000")}, true);
        QCOMPARE(cr, 1);
        QVERIFY2(er.contains(QStringLiteral("loan-to-value")) && er.contains(QStringLiteral("nothing is signed")), qPrintable(er));
        QCOMPARE(nonce_of(alice), nonce);

        // More on the same loan: lands where the plan said, at that block's time.
        auto [cm, om, em] = cli({QStringLiteral("borrow"), QStringLiteral("--collection"), QStringLiteral("DAPE"), QStringLiteral("--token-id"), id,
                                 QStringLiteral("--amount"), QStringLiteral("0.5")}, true);
        QVERIFY2(cm == 0, qPrintable(em));
        const auto more = QJsonDocument::fromJson(om.toUtf8()).object();
        QVERIFY(!more.value(QStringLiteral("newLoan")).toBool());
        const auto more_after = more.value(QStringLiteral("after")).toObject();
        QCOMPARE(more_after.value(QStringLiteral("healthFactor")).toString(), more_after.value(QStringLiteral("predictedHealthFactor")).toString());
        QVERIFY(number(more_after.value(QStringLiteral("healthFactor"))) < health);
    }

    void anNftNotHeldIsRefusedBeforeSigning()
    {
        const Address alice = m_world->address_of("alice");
        const U256 nonce = nonce_of(alice);
        // DAPE #201 is bob's pledge (the demo seeds his loan on it), #300 carol's P2P collateral: neither is alice's to borrow on.
        const Address dape = m_world->contract("DAPE");
        for (const char* token : {"201", "300"}) {
            auto owner = m_world->read(dape, "ownerOf(uint256)", std::string("[\"") + token + "\"]", "(address)");
            QVERIFY(owner.has_value() && Address::from_hex((*owner)[0].get<std::string>()) != alice);
        }
        auto [code, out, err] = cli({QStringLiteral("borrow"), QStringLiteral("--collection"), QStringLiteral("DAPE"), QStringLiteral("--token-id"),
                                     QStringLiteral("201"), QStringLiteral("--amount"), QStringLiteral("1")}, true);
        QCOMPARE(code, 1);
        QVERIFY2(err.contains(QStringLiteral("not the borrowing account's")) && err.contains(QStringLiteral("nothing is signed")), qPrintable(err));
        auto [c2, o2, e2] = cli({QStringLiteral("borrow"), QStringLiteral("--collection"), QStringLiteral("DAPE"), QStringLiteral("--token-id"),
                                 QStringLiteral("300"), QStringLiteral("--amount"), QStringLiteral("1")}, true);
        QCOMPARE(c2, 1);
        QVERIFY2(e2.contains(QStringLiteral("not by the borrowing account")), qPrintable(e2));
        QCOMPARE(nonce_of(alice), nonce);
    }

private:
    U256 nonce_of(const Address& account)
    {
        auto count = m_world->client().call("eth_getTransactionCount", "[\"" + account.to_hex() + "\",\"latest\"]");
        return count ? U256::from_hex(nlohmann::json::parse(*count).get<std::string>()).value_or(U256(0)) : U256::max();
    }

    std::tuple<int, QString, QString> cli(QStringList args, bool signs = false)
    {
        if (signs)
            args << QStringLiteral("--private-key-file") << m_dir.filePath(QStringLiteral("alice.key")) << QStringLiteral("--journal")
                 << m_dir.filePath(QStringLiteral("alice.jsonl")) << QStringLiteral("--yes");
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

NFTTERM_TEST_GUILESS(CliCreditTest)
#include "cli_credit_test.moc"
