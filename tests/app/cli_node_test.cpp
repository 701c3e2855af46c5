#include "../support/anvil_node.hpp"
#include "../support/loopback.hpp"

#include <QProcess>
#include <QProcessEnvironment>
#include <QTest>

using nftterm::tests::AnvilNode;

namespace {

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

private:
    std::tuple<int, QString, QString> cli(const QStringList& args, const QString& eth_rpc_url = {})
    {
        QProcess process;
        auto environment = QProcessEnvironment::systemEnvironment();
        environment.remove(QStringLiteral("ETH_RPC_URL"));
        if (!eth_rpc_url.isEmpty()) environment.insert(QStringLiteral("ETH_RPC_URL"), eth_rpc_url);
        process.setProcessEnvironment(environment);
        process.start(QStringLiteral(NFTTERM_CLI), args);
        process.waitForFinished(60000);
        return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
    }

    std::unique_ptr<AnvilNode> m_node;
};

QTEST_GUILESS_MAIN(CliNodeTest)
#include "cli_node_test.moc"
