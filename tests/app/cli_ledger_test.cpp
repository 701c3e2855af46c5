#include "../support/demo_world_fixture.hpp"
#include "../support/ledger_simulator.hpp"

#include <protocols/devnet/demo_world.hpp>
#include <protocols/eth/rpc/eth_api.hpp>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "../support/test_registry.hpp"

using namespace nftterm;
using wallet::DerivationPath;

namespace {

// The devnet's accounts come from anvil's published test mnemonic: on a Ledger with that seed,
// m/44'/60'/0'/0/1 is alice.
constexpr const char* kAnvilMnemonic = "test test test test test test test test test test test junk";
const QString kAlicePath = QStringLiteral("m/44'/60'/0'/0/1");

}  // namespace

/// The CLI's Ledger path against the device simulator over Speculos's TCP
/// protocol: account discovery, a hardware account in the store, and a
/// top-up of alice's pool loan signed on the device, on the devnet.
class CliLedgerTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        m_world = std::make_unique<tests::DemoWorldFixture>();
        QVERIFY2(m_world->ready(), m_world->error().c_str());
        QVERIFY(m_world->write_manifest(m_dir.filePath(QStringLiteral("manifest.json")).toStdString()));
        QVERIFY(m_device.listen());
    }
    void init()
    {
        m_world->snapshot();
        m_device.approve = true;
    }
    void cleanup() { m_world->revert(); }

    void accountsAreTheDevicesAddressesAndOneCanBeAdded()
    {
        auto [code, out, err] = cli({QStringLiteral("wallet"), QStringLiteral("ledger"), QStringLiteral("accounts"), QStringLiteral("--count"), QStringLiteral("3")});
        QVERIFY2(code == 0, qPrintable(err));
        const auto bip44 = QJsonDocument::fromJson(out.toUtf8()).array();
        QCOMPARE(bip44.size(), 3);
        QCOMPARE(bip44[1].toObject().value(QStringLiteral("path")).toString(), kAlicePath);
        QCOMPARE(bip44[1].toObject().value(QStringLiteral("address")).toString(), QString::fromStdString(m_world->address_of("alice").to_hex()));
        auto [c2, live, e2] = cli({QStringLiteral("wallet"), QStringLiteral("ledger"), QStringLiteral("accounts"), QStringLiteral("--scheme"),
                                   QStringLiteral("live"), QStringLiteral("--start"), QStringLiteral("1"), QStringLiteral("--count"), QStringLiteral("2")});
        QVERIFY2(c2 == 0, qPrintable(e2));
        const auto ledger_live = QJsonDocument::fromJson(live.toUtf8()).array();
        QCOMPARE(ledger_live.size(), 2);
        QCOMPARE(ledger_live[0].toObject().value(QStringLiteral("path")).toString(), QStringLiteral("m/44'/60'/1'/0/0"));
        QCOMPARE(ledger_live[0].toObject().value(QStringLiteral("address")).toString(),
                 QString::fromStdString(m_device.address(DerivationPath::ledger_live(1)).to_hex()));
        auto [c3, o3, e3] = cli({QStringLiteral("wallet"), QStringLiteral("ledger"), QStringLiteral("accounts"), QStringLiteral("--count"), QStringLiteral("0")});
        QCOMPARE(c3, 2);

        // A hardware account in the store: the path and the address, no secret.
        auto [c4, added, e4] = cli({QStringLiteral("wallet"), QStringLiteral("ledger"), QStringLiteral("add"), QStringLiteral("--path"), kAlicePath,
                                    QStringLiteral("--label"), QStringLiteral("alice on ledger")});
        QVERIFY2(c4 == 0, qPrintable(e4));
        auto [c5, listed, e5] = cli({QStringLiteral("wallet"), QStringLiteral("list")});
        QVERIFY2(c5 == 0, qPrintable(e5));
        const auto accounts = QJsonDocument::fromJson(listed.toUtf8()).array();
        QCOMPARE(accounts.size(), 1);
        QCOMPARE(accounts[0].toObject().value(QStringLiteral("kind")).toString(), QStringLiteral("ledger"));
        QCOMPARE(accounts[0].toObject().value(QStringLiteral("path")).toString(), kAlicePath);
        QCOMPARE(accounts[0].toObject().value(QStringLiteral("address")).toString(), QString::fromStdString(m_world->address_of("alice").to_hex()));
        QVERIFY(!read(m_dir.filePath(QStringLiteral("data/accounts.json"))).contains("junk"));
    }

    void messagesAndTypedDataAreSignedOnTheDeviceWithTheKeystoresJson()
    {
        QFile message(m_dir.filePath(QStringLiteral("message.txt")));
        QVERIFY(message.open(QIODevice::WriteOnly));
        message.write("lend me 10 WETH");
        message.close();
        auto [code, out, err] = cli({QStringLiteral("wallet"), QStringLiteral("sign-message"), QStringLiteral("--ledger"), QStringLiteral("--ledger-path"), kAlicePath,
                                     QStringLiteral("--message-file"), message.fileName(), QStringLiteral("--yes")});
        QVERIFY2(code == 0, qPrintable(err));
        const auto signed_message = QJsonDocument::fromJson(out.toUtf8()).object();
        QCOMPARE(signed_message.value(QStringLiteral("address")).toString(), QString::fromStdString(m_world->address_of("alice").to_hex()));
        const auto rsv = wallet::bytes_from_hex(signed_message.value(QStringLiteral("signature")).toString().toStdString());
        const auto digest = wallet::Hash32::from_hex(signed_message.value(QStringLiteral("digest")).toString().toStdString());
        QVERIFY(rsv && digest);
        const auto recovered = wallet::recover_public_key(*digest, *wallet::RecoverableSignature::from_rsv(*rsv));
        QVERIFY(recovered.has_value());
        QCOMPARE(wallet::address_of(*recovered), m_world->address_of("alice"));

        QFile typed(m_dir.filePath(QStringLiteral("typed.json")));
        QVERIFY(typed.open(QIODevice::WriteOnly));
        typed.write(R"({"types": {"EIP712Domain": [{"name": "name", "type": "string"}, {"name": "chainId", "type": "uint256"}],
                                  "Offer": [{"name": "principal", "type": "uint256"}, {"name": "nft", "type": "address"}]},
                        "primaryType": "Offer", "domain": {"name": "NFTfi", "chainId": 31337},
                        "message": {"principal": "10000000000000000000", "nft": "0x5FbDB2315678afecb367f032d93F642f64180aa3"}})");
        typed.close();
        auto [c2, out2, e2] = cli({QStringLiteral("wallet"), QStringLiteral("sign-typed-data"), QStringLiteral("--ledger"), QStringLiteral("--ledger-path"),
                                   kAlicePath, QStringLiteral("--data-json"), typed.fileName(), QStringLiteral("--yes")});
        QVERIFY2(c2 == 0, qPrintable(e2));
        QVERIFY2(e2.contains(QStringLiteral("fields")), qPrintable(e2));
        const auto signed_typed = QJsonDocument::fromJson(out2.toUtf8()).object();
        const auto typed_rsv = wallet::bytes_from_hex(signed_typed.value(QStringLiteral("signature")).toString().toStdString());
        const auto typed_digest = wallet::Hash32::from_hex(signed_typed.value(QStringLiteral("digest")).toString().toStdString());
        QVERIFY(typed_rsv && typed_digest);
        const auto typed_key = wallet::recover_public_key(*typed_digest, *wallet::RecoverableSignature::from_rsv(*typed_rsv));
        QVERIFY(typed_key.has_value());
        QCOMPARE(wallet::address_of(*typed_key), m_world->address_of("alice"));
    }

    void aRejectionOnTheDeviceSignsNothing()
    {
        const QString id = alice_weakest_loan();
        QVERIFY(!id.isEmpty());
        const auto nonce_before = protocols::eth::get_transaction_count(m_world->client(), m_world->address_of("alice"), protocols::eth::BlockTag::latest());
        QVERIFY(nonce_before.has_value());
        m_device.approve = false;
        const QString journal = m_dir.filePath(QStringLiteral("rejected.jsonl"));
        auto [code, out, err] = cli(topup(id, journal));
        QCOMPARE(code, 1);
        QVERIFY2(err.contains(QStringLiteral("rejected on the device")), qPrintable(err));
        QVERIFY2(err.contains(QStringLiteral("Confirm on your Ledger")), qPrintable(err));
        QVERIFY(read(journal).trimmed().isEmpty());
        QCOMPARE(*protocols::eth::get_transaction_count(m_world->client(), m_world->address_of("alice"), protocols::eth::BlockTag::latest()), *nonce_before);
    }

    void aTopUpSignedOnTheDeviceLandsAtThePredictedHealth()
    {
        const QString id = alice_weakest_loan();
        QVERIFY(!id.isEmpty());
        const int signed_before = m_device.signatures();
        auto [code, out, err] = cli(topup(id, m_dir.filePath(QStringLiteral("journal.jsonl"))));
        QVERIFY2(code == 0, qPrintable(err));
        const auto result = QJsonDocument::fromJson(out.toUtf8()).object();
        QCOMPARE(result.value(QStringLiteral("after")).toString(), result.value(QStringLiteral("predictedAtLanding")).toString());
        QVERIFY(result.value(QStringLiteral("after")).toString().toDouble() >= 1.6e18);
        QCOMPARE(m_device.signatures(), signed_before + 1);
        // The pool's own view agrees.
        const auto parts = id.split(u':');
        const auto view = m_world->read(*wallet::Address::from_hex(parts[1].toStdString()), "getNftDebtData(address,uint256)",
                                        "[\"" + parts[2].toStdString() + "\",\"" + parts[3].toStdString() + "\"]", "(uint256,address,uint256,uint256,uint256,uint256)");
        QVERIFY(view.has_value());
        QCOMPARE(QString::fromStdString((*view)[5].get<std::string>()), result.value(QStringLiteral("after")).toString());
    }

private:
    QStringList topup(const QString& id, const QString& journal) const
    {
        return {QStringLiteral("topup"), QStringLiteral("--registry"), m_dir.filePath(QStringLiteral("manifest.json")), QStringLiteral("--rpc-url"),
                QString::fromStdString(m_world->url()), QStringLiteral("--no-cache"), QStringLiteral("--position"), id, QStringLiteral("--target-health"),
                QStringLiteral("1.6"), QStringLiteral("--ledger"), QStringLiteral("--ledger-path"), kAlicePath, QStringLiteral("--journal"), journal,
                QStringLiteral("--yes")};
    }

    QString alice_weakest_loan()
    {
        auto [code, out, err] = cli({QStringLiteral("positions"), QStringLiteral("--registry"), m_dir.filePath(QStringLiteral("manifest.json")),
                                     QStringLiteral("--rpc-url"), QString::fromStdString(m_world->url()), QStringLiteral("--no-cache"), QStringLiteral("--account"),
                                     QString::fromStdString(m_world->address_of("alice").to_hex()), QStringLiteral("--json")});
        QString id;
        double lowest = 1e30;
        for (const auto& entry : QJsonDocument::fromJson(out.toUtf8()).array()) {
            const auto p = entry.toObject();
            if (p.value(QStringLiteral("protocol")).toString() != QStringLiteral("benddao") || p.value(QStringLiteral("state")).toString() != QStringLiteral("active"))
                continue;
            const double hf = p.value(QStringLiteral("healthFactor")).toString().toDouble();
            if (hf < lowest) {
                lowest = hf;
                id = p.value(QStringLiteral("id")).toString();
            }
        }
        return id;
    }

    std::tuple<int, QString, QString> cli(const QStringList& args)
    {
        QProcess process;
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("NFTTERM_DATA_DIR"), m_dir.filePath(QStringLiteral("data")));
        env.insert(QStringLiteral("NFTTERM_LEDGER_TRANSPORT"), QString::fromStdString(m_device.transport_spec()));
        process.setProcessEnvironment(env);
        process.start(QStringLiteral(NFTTERM_CLI), args);
        process.waitForFinished(120000);
        return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
    }

    static QByteArray read(const QString& file)
    {
        QFile in(file);
        return in.open(QIODevice::ReadOnly) ? in.readAll() : QByteArray();
    }

    std::unique_ptr<tests::DemoWorldFixture> m_world;
    tests::LedgerSimulator m_device{kAnvilMnemonic};
    QTemporaryDir m_dir;
};

NFTTERM_TEST_GUILESS(CliLedgerTest)
#include "cli_ledger_test.moc"
