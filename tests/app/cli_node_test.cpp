#include "../support/anvil_node.hpp"
#include "../support/loopback.hpp"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

#include "../support/test_registry.hpp"

using nftterm::tests::AnvilNode;

namespace {

/// Writes `content` to `name` in `dir`; returns the path.
QString write_file(const QTemporaryDir& dir, const QString& name, const char* content)
{
    QFile file(dir.filePath(name));
    if (file.open(QIODevice::WriteOnly)) file.write(content);
    return file.fileName();
}

QString q(const std::string& text)
{
    return QString::fromStdString(text);
}

}  // namespace

/// Drives the CLI commands that talk to a node, against a real anvil.
class CliNodeTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        m_node = std::make_unique<AnvilNode>();
        QVERIFY2(m_node->running(), m_node->error().c_str());
    }
    void cleanupTestCase() { m_node.reset(); }

    void rpcPrintsTheResult()
    {
        const auto [code, out, err] = cli({QStringLiteral("rpc"), QStringLiteral("--rpc-url"), q(m_node->url()), QStringLiteral("eth_getBalance"),
                                           QStringLiteral(R"(["0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266","latest"])")});
        QCOMPARE(code, 0);
        QCOMPARE(out, QStringLiteral("\"0x21e19e0c9bab2400000\"\n"));
    }

    void rpcFallsBackToEthRpcUrl()
    {
        const auto [code, out, err] = cli({QStringLiteral("rpc"), QStringLiteral("eth_chainId")}, q(m_node->url()));
        QCOMPARE(code, 0);
        QCOMPARE(out, QStringLiteral("\"0x7a69\"\n"));
    }

    void rpcFailsOverToTheNextUrl()
    {
        const QString dead = QStringLiteral("http://127.0.0.1:") + QString::number(nftterm::tests::free_loopback_port());
        const auto [code, out, err] = cli({QStringLiteral("rpc"), QStringLiteral("--rpc-url"), dead, QStringLiteral("--rpc-url"),
                                           q(m_node->url()), QStringLiteral("eth_chainId")});
        QCOMPARE(code, 0);
        QCOMPARE(out, QStringLiteral("\"0x7a69\"\n"));
    }

    void rpcErrorsAreClear()
    {
        const auto [code, out, err] = cli({QStringLiteral("rpc"), QStringLiteral("eth_chainId")});
        QCOMPARE(code, 2);
        QVERIFY2(err.contains(QStringLiteral("ETH_RPC_URL")), qPrintable(err));

        const auto [code2, out2, err2] = cli({QStringLiteral("rpc"), QStringLiteral("--rpc-url"), q(m_node->url()), QStringLiteral("--chain-id"),
                                              QStringLiteral("1"), QStringLiteral("eth_chainId")});
        QCOMPARE(code2, 1);
        QVERIFY2(err2.contains(QStringLiteral("not chain 1")), qPrintable(err2));

        const auto [code3, out3, err3] = cli({QStringLiteral("rpc"), QStringLiteral("--rpc-url"), q(m_node->url()), QStringLiteral("eth_getBalance"),
                                              QStringLiteral(R"(["0x12"])")});
        QCOMPARE(code3, 1);
        QVERIFY2(err3.contains(QStringLiteral("JSON-RPC error")) && err3.contains(QStringLiteral("eth_getBalance")), qPrintable(err3));
        QVERIFY(out3.isEmpty());
    }

    void remotePlainHttpNeedsTheUsersWord()
    {
        const auto [code, out, err] = cli({QStringLiteral("rpc"), QStringLiteral("--rpc-url"), QStringLiteral("http://192.0.2.1:8545/v2/SECRETKEY"),
                                           QStringLiteral("eth_chainId")});
        QCOMPARE(code, 1);
        QVERIFY2(err.contains(QStringLiteral("--allow-insecure-http")), qPrintable(err));
        QVERIFY2(!err.contains(QStringLiteral("SECRETKEY")), qPrintable(err));
        const auto [code2, out2, err2] = cli({QStringLiteral("rpc"), QStringLiteral("--rpc-url"), QStringLiteral("file:///etc/passwd"),
                                              QStringLiteral("eth_chainId")});
        QCOMPARE(code2, 1);
        QVERIFY2(err2.contains(QStringLiteral("only http:// and https://")), qPrintable(err2));
    }

    void sendRefusesFeesAboveTheCeiling()
    {
        QTemporaryDir data;
        m_data_dir = data.path();
        const QString key = write_file(data, QStringLiteral("key"), "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d\n");
        const auto [code, out, err] = cli({QStringLiteral("send"), QStringLiteral("--rpc-url"), q(m_node->url()), QStringLiteral("--private-key-file"),
                                           key, QStringLiteral("--to"), QStringLiteral("0x90F79bf6EB2c4f870365E785982E1f101E93b906"),
                                           QStringLiteral("--value"), QStringLiteral("1 gwei"), QStringLiteral("--max-fee-per-gas"), QStringLiteral("1wei")});
        QCOMPARE(code, 1);
        QVERIFY2(err.contains(QStringLiteral("above your ceiling")) && err.contains(QStringLiteral("nothing was signed")), qPrintable(err));
        QFile journal(data.filePath(QStringLiteral("transactions.jsonl")));
        QVERIFY(!journal.exists() || journal.size() == 0);
        const auto [code2, out2, err2] = cli({QStringLiteral("send"), QStringLiteral("--rpc-url"), q(m_node->url()), QStringLiteral("--chain-id"),
                                              QStringLiteral("31337"), QStringLiteral("--private-key-file"), key, QStringLiteral("--to"),
                                              QStringLiteral("0x90F79bf6EB2c4f870365E785982E1f101E93b906"), QStringLiteral("--max-fee"), QStringLiteral("1 gwei")});
        QCOMPARE(code2, 1);
        QVERIFY2(err2.contains(QStringLiteral("per transaction")), qPrintable(err2));
        m_data_dir.clear();
    }

    void sendSignsSendsAndWaits()
    {
        QTemporaryDir data;
        m_data_dir = data.path();
        const QString key = write_file(data, QStringLiteral("key"), "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d\n");
        const QString password = write_file(data, QStringLiteral("password"), "correct horse\n");
        // The key goes into a keystore first, as a user would keep it.
        const auto [code0, out0, err0] = cli({QStringLiteral("wallet"), QStringLiteral("import"), QStringLiteral("--private-key-file"), key,
                                              QStringLiteral("--password-file"), password, QStringLiteral("--light-kdf")});
        QCOMPARE(code0, 0);
        const QString keystore = QJsonDocument::fromJson(out0.toUtf8()).object().value(QStringLiteral("keystore")).toString();

        const QString recipient = QStringLiteral("0x90F79bf6EB2c4f870365E785982E1f101E93b906");
        const auto [code, out, err] = cli({QStringLiteral("send"), QStringLiteral("--rpc-url"), q(m_node->url()), QStringLiteral("--keystore"), keystore,
                                           QStringLiteral("--password-file"), password, QStringLiteral("--to"), recipient,
                                           QStringLiteral("--value"), QStringLiteral("1.25 ether"), QStringLiteral("--wait")});
        QVERIFY2(code == 0, qPrintable(err));
        const auto result = QJsonDocument::fromJson(out.toUtf8()).object();
        QCOMPARE(result.value(QStringLiteral("status")).toString(), QStringLiteral("mined"));
        QCOMPARE(result.value(QStringLiteral("from")).toString(), QStringLiteral("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"));
        QCOMPARE(result.value(QStringLiteral("value")).toString(), QStringLiteral("1250000000000000000"));
        QCOMPARE(result.value(QStringLiteral("gas_used")).toInt(), 21000);
        QVERIFY(QFile::exists(data.filePath(QStringLiteral("transactions.jsonl"))));
        // The node agrees: the recipient has 10,000 + 1.25 ether.
        const auto [code2, balance, err2] = cli({QStringLiteral("rpc"), QStringLiteral("--rpc-url"), q(m_node->url()), QStringLiteral("eth_getBalance"),
                                                 QStringLiteral("[\"") + recipient + QStringLiteral("\",\"latest\"]")});
        QCOMPARE(code2, 0);
        QCOMPARE(balance.trimmed(), QStringLiteral("\"0x21e2b39ae1b437d0000\""));
        m_data_dir.clear();
    }

    void sendRefusesWhatWouldFail()
    {
        QTemporaryDir data;
        m_data_dir = data.path();
        const QString key = write_file(data, QStringLiteral("key"), "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d\n");
        const auto [code, out, err] = cli({QStringLiteral("send"), QStringLiteral("--rpc-url"), q(m_node->url()), QStringLiteral("--private-key-file"),
                                           key, QStringLiteral("--to"), QStringLiteral("0x90F79bf6EB2c4f870365E785982E1f101E93b906"),
                                           QStringLiteral("--value"), QStringLiteral("1000000 ether")});
        QCOMPARE(code, 1);
        QVERIFY(out.isEmpty());
        QVERIFY2(err.contains(QStringLiteral("nsufficient funds")), qPrintable(err));
        // Nothing was signed, so nothing was written down.
        QFile journal(data.filePath(QStringLiteral("transactions.jsonl")));
        QVERIFY(!journal.exists() || journal.size() == 0);

        const auto [code2, out2, err2] = cli({QStringLiteral("send"), QStringLiteral("--rpc-url"), q(m_node->url()), QStringLiteral("--private-key-file"),
                                              key, QStringLiteral("--to"), QStringLiteral("0x90f79bf6eb2c4f870365e785982e1f101e93B906")});
        QCOMPARE(code2, 2);
        QVERIFY2(err2.contains(QStringLiteral("checksum")), qPrintable(err2));
        m_data_dir.clear();
    }

    void txSpeedUpAndStatusFromTheCommandLine()
    {
        AnvilNode stuck_node("--no-mining");
        QVERIFY2(stuck_node.running(), stuck_node.error().c_str());
        QTemporaryDir data;
        m_data_dir = data.path();
        const QString key = write_file(data, QStringLiteral("key"), "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d\n");
        const QString url = q(stuck_node.url());
        const auto [code, out, err] = cli({QStringLiteral("send"), QStringLiteral("--rpc-url"), url, QStringLiteral("--private-key-file"), key,
                                           QStringLiteral("--to"), QStringLiteral("0x90F79bf6EB2c4f870365E785982E1f101E93b906"),
                                           QStringLiteral("--value"), QStringLiteral("1 gwei")});
        QVERIFY2(code == 0, qPrintable(err));
        const QString original = QJsonDocument::fromJson(out.toUtf8()).object().value(QStringLiteral("hash")).toString();
        const auto [code2, out2, err2] = cli({QStringLiteral("tx"), QStringLiteral("speed-up"), original, QStringLiteral("--rpc-url"), url,
                                              QStringLiteral("--private-key-file"), key});
        QVERIFY2(code2 == 0, qPrintable(err2));
        const auto faster = QJsonDocument::fromJson(out2.toUtf8()).object();
        QCOMPARE(faster.value(QStringLiteral("replaces")).toString(), original);
        stuck_node.rpc("anvil_mine", R"(["0x1"])");
        const auto [code3, out3, err3] = cli({QStringLiteral("tx"), QStringLiteral("status"), original, QStringLiteral("--rpc-url"), url});
        QVERIFY2(code3 == 0, qPrintable(err3));
        QCOMPARE(QJsonDocument::fromJson(out3.toUtf8()).object().value(QStringLiteral("status")).toString(), QStringLiteral("replaced"));
        const auto [code4, out4, err4] = cli({QStringLiteral("tx"), QStringLiteral("list")});
        QCOMPARE(code4, 0);
        const auto entries = QJsonDocument::fromJson(out4.toUtf8()).array();
        QCOMPARE(entries.size(), 2);
        QCOMPARE(entries[1].toObject().value(QStringLiteral("state")).toString(), QStringLiteral("mined"));
        m_data_dir.clear();
    }

private:
    std::tuple<int, QString, QString> cli(const QStringList& args, const QString& eth_rpc_url = {})
    {
        QProcess process;
        auto environment = QProcessEnvironment::systemEnvironment();
        if (!m_data_dir.isEmpty()) environment.insert(QStringLiteral("NFTTERM_DATA_DIR"), m_data_dir);
        environment.remove(QStringLiteral("ETH_RPC_URL"));
        if (!eth_rpc_url.isEmpty()) environment.insert(QStringLiteral("ETH_RPC_URL"), eth_rpc_url);
        process.setProcessEnvironment(environment);
        process.start(QStringLiteral(NFTTERM_CLI), args);
        process.waitForFinished(60000);
        return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
    }

    std::unique_ptr<AnvilNode> m_node;
    QString m_data_dir;
};

NFTTERM_TEST_GUILESS(CliNodeTest)
#include "cli_node_test.moc"
