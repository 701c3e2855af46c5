#include <wallet/keys/keystore.hpp>
#include <wallet/tx/transaction.hpp>

#include <nlohmann/json.hpp>

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "../support/test_registry.hpp"

#include <sys/stat.h>

using namespace nftterm::wallet;
using nlohmann::json;

namespace {

struct Run {
    int exit_code = -1;
    std::string out;
    std::string err;
};

}  // namespace

/// Drives the real nftterm-cli binary: the JSON contract and its errors.
class CliWalletTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { QVERIFY(m_dir.isValid()); }

    void derivesAddressFromMnemonic()
    {
        const QString words = write(QStringLiteral("m.txt"), "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about\n");
        const Run r = cli({QStringLiteral("wallet"), QStringLiteral("derive"), QStringLiteral("--mnemonic-file"), words,
                           QStringLiteral("--path"), QStringLiteral("m/44'/60'/0'/0/0")});
        QCOMPARE(r.exit_code, 0);
        QCOMPARE(json::parse(r.out)["address"].get<std::string>(), std::string("0x9858EfFD232B4033E47d90003D41EC34EcaEda94"));
    }

    void importsSignsAndDecodes()
    {
        const QString key = write(QStringLiteral("key.txt"), "4646464646464646464646464646464646464646464646464646464646464646\n");
        const QString password = write(QStringLiteral("pw.txt"), "s3cret\n");
        const Run imported = cli({QStringLiteral("wallet"), QStringLiteral("import"), QStringLiteral("--private-key-file"), key,
                                  QStringLiteral("--password-file"), password, QStringLiteral("--label"), QStringLiteral("eip155"),
                                  QStringLiteral("--light-kdf")});
        QCOMPARE(imported.exit_code, 0);
        const json entry = json::parse(imported.out);
        QCOMPARE(entry["address"].get<std::string>(), std::string("0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F"));
        const std::string keystore_file = entry["keystore"];
        struct stat info {};
        QCOMPARE(::stat(keystore_file.c_str(), &info), 0);
        QCOMPARE(info.st_mode & 0777, 0600u);
        // The key itself appears nowhere in what the CLI printed.
        QVERIFY(imported.out.find("46464646") == std::string::npos);

        const Run list = cli({QStringLiteral("wallet"), QStringLiteral("list")});
        QCOMPARE(list.exit_code, 0);
        QCOMPARE(json::parse(list.out).at(0)["label"].get<std::string>(), std::string("eip155"));

        const QString tx = write(QStringLiteral("tx.json"),
                                 R"({"type":"0x0","chainId":"1","nonce":"9","gasPrice":"20000000000","gas":"21000",)"
                                 R"("to":"0x3535353535353535353535353535353535353535","value":"1000000000000000000","data":"0x"})");
        const Run signed_tx = cli({QStringLiteral("wallet"), QStringLiteral("sign-tx"), QStringLiteral("--keystore"),
                                   QString::fromStdString(keystore_file), QStringLiteral("--password-file"), password,
                                   QStringLiteral("--tx-json"), tx});
        QCOMPARE(signed_tx.exit_code, 0);
        const json out = json::parse(signed_tx.out);
        // The EIP-155 example's signed transaction.
        QVERIFY(out["raw"].get<std::string>().starts_with("0xf86c098504a817c800825208943535"));
        QCOMPARE(out["from"].get<std::string>(), std::string("0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F"));

        const Run decoded = cli({QStringLiteral("wallet"), QStringLiteral("decode-tx"), QStringLiteral("--raw"),
                                 QString::fromStdString(out["raw"].get<std::string>())});
        QCOMPARE(decoded.exit_code, 0);
        QCOMPARE(json::parse(decoded.out)["from"].get<std::string>(), out["from"].get<std::string>());
        QCOMPARE(json::parse(decoded.out)["hash"].get<std::string>(), out["hash"].get<std::string>());
    }

    void signTxRefusesAnotherAccountsTransaction()
    {
        const QString key = write(QStringLiteral("key.txt"), "4646464646464646464646464646464646464646464646464646464646464646\n");
        const QString tx = write(QStringLiteral("tx.json"),
                                 R"({"type":"0x0","chainId":"1","nonce":"9","gasPrice":"20000000000","gas":"21000","from":"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",)"
                                 R"("to":"0x3535353535353535353535353535353535353535","value":"1000000000000000000","data":"0x"})");
        const Run refused = cli({QStringLiteral("wallet"), QStringLiteral("sign-tx"), QStringLiteral("--private-key-file"), key, QStringLiteral("--tx-json"), tx});
        QCOMPARE(refused.exit_code, 2);
        QVERIFY(refused.out.empty());
        QVERIFY2(refused.err.find("nothing was signed") != std::string::npos && refused.err.find("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266") != std::string::npos,
                 refused.err.c_str());
        // Its own "from" signs.
        const QString own = write(QStringLiteral("own.json"),
                                  R"({"type":"0x0","chainId":"1","nonce":"9","gasPrice":"20000000000","gas":"21000","from":"0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F",)"
                                  R"("to":"0x3535353535353535353535353535353535353535","value":"1000000000000000000","data":"0x"})");
        const Run signed_tx = cli({QStringLiteral("wallet"), QStringLiteral("sign-tx"), QStringLiteral("--private-key-file"), key, QStringLiteral("--tx-json"), own});
        QCOMPARE(signed_tx.exit_code, 0);
        QVERIFY(json::parse(signed_tx.out)["raw"].get<std::string>().starts_with("0xf86c098504a817c800825208943535"));
    }

    void signsMessagesAndTypedData()
    {
        const QString key = write(QStringLiteral("key.txt"), "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
        const QString message = write(QStringLiteral("msg.txt"), "Hello World");
        const Run r = cli({QStringLiteral("wallet"), QStringLiteral("sign-message"), QStringLiteral("--private-key-file"), key,
                           QStringLiteral("--message-file"), message});
        QCOMPARE(r.exit_code, 0);
        const json out = json::parse(r.out);
        QCOMPARE(out["digest"].get<std::string>(), std::string("0xa1de988600a42c4b4ab089b619297c17d53cffae5d5120d82d8a92d0bb3b78f2"));
        auto signature = RecoverableSignature::from_rsv(*bytes_from_hex(out["signature"].get<std::string>()));
        QVERIFY(signature);
        auto pub = recover_public_key(*Hash32::from_hex(out["digest"].get<std::string>()), *signature);
        QCOMPARE(address_of(*pub).to_hex(), std::string("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"));
    }

    void failsWithOneLineAndNonZeroExit_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("needle");
        QTest::newRow("unknown command") << QStringList{QStringLiteral("wallet"), QStringLiteral("frobnicate")} << QStringLiteral("unknown");
        QTest::newRow("bad raw tx") << QStringList{QStringLiteral("wallet"), QStringLiteral("decode-tx"), QStringLiteral("--raw"), QStringLiteral("0x02c0")}
                                    << QStringLiteral("EIP-1559");
        QTest::newRow("missing key") << QStringList{QStringLiteral("wallet"), QStringLiteral("sign-message"), QStringLiteral("--message-file"), QStringLiteral("/nonexistent")}
                                     << QStringLiteral("cannot open");
        QTest::newRow("typo option") << QStringList{QStringLiteral("wallet"), QStringLiteral("list"), QStringLiteral("--stroe"), QStringLiteral("x")}
                                     << QStringLiteral("--stroe");
    }
    void failsWithOneLineAndNonZeroExit()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, needle);
        const Run r = cli(args);
        QVERIFY(r.exit_code != 0);
        QVERIFY(r.out.empty());
        QCOMPARE(std::count(r.err.begin(), r.err.end(), '\n'), std::ptrdiff_t(1));
        QVERIFY2(r.err.find(needle.toStdString()) != std::string::npos, r.err.c_str());
    }

    void wrongPasswordSignsNothing()
    {
        auto key = PrivateKey::generate();
        const QString keystore_file = write(QStringLiteral("k.json"), *keystore::encrypt(*key, as_view("right"), keystore::ScryptParams::light()));
        const QString wrong = write(QStringLiteral("wrong.txt"), "wrong");
        const QString tx = write(QStringLiteral("tx.json"), R"({"chainId":"1","nonce":"0","gas":"21000","maxFeePerGas":"2","maxPriorityFeePerGas":"1"})");
        const Run r = cli({QStringLiteral("wallet"), QStringLiteral("sign-tx"), QStringLiteral("--keystore"), keystore_file,
                           QStringLiteral("--password-file"), wrong, QStringLiteral("--tx-json"), tx});
        QCOMPARE(r.exit_code, 1);
        QVERIFY(r.out.empty());
        QVERIFY2(r.err.find("wrong password") != std::string::npos, r.err.c_str());
    }

private:
    QString write(const QString& name, const std::string& content)
    {
        QFile file(m_dir.filePath(name));
        file.open(QIODevice::WriteOnly | QIODevice::Truncate);
        file.write(content.data(), static_cast<qint64>(content.size()));
        return file.fileName();
    }

    Run cli(QStringList args)
    {
        args << QStringLiteral("--store") << m_dir.filePath(QStringLiteral("store"));
        QProcess process;
        process.start(QStringLiteral(NFTTERM_CLI), args);
        process.closeWriteChannel();
        process.waitForFinished(60000);
        return {process.exitCode(), process.readAllStandardOutput().toStdString(), process.readAllStandardError().toStdString()};
    }

    QTemporaryDir m_dir;
};

NFTTERM_TEST_GUILESS(CliWalletTest)
#include "cli_wallet_test.moc"
