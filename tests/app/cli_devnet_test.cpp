#include "../support/loopback.hpp"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "../support/test_registry.hpp"

/// `nftterm-cli devnet up|down` from nothing to a seeded world, checked
/// through the CLI's own rpc and abi commands.
class CliDevnetTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void cleanupTestCase() { cli({QStringLiteral("devnet"), QStringLiteral("down"), QStringLiteral("--state-dir"), m_state.path()}); }

    void upDeploysAndSeedsTheWorld()
    {
        m_port = QString::number(nftterm::tests::free_loopback_port());
        const auto [code, out, err] = cli({QStringLiteral("devnet"), QStringLiteral("up"), QStringLiteral("--port"), m_port,
                                           QStringLiteral("--state-dir"), m_state.path()});
        QVERIFY2(code == 0, qPrintable(err));
        m_manifest = QJsonDocument::fromJson(out.toUtf8()).object();
        QCOMPARE(m_manifest.value(QStringLiteral("chain_id")).toInt(), 31337);
        const QString url = m_manifest.value(QStringLiteral("rpc_url")).toString();
        QCOMPARE(url, QStringLiteral("http://127.0.0.1:") + m_port);
        const auto contracts = m_manifest.value(QStringLiteral("contracts")).toObject();
        for (const char* name : {"Multicall3", "WETH9", "dUSD", "DAPE", "PXPK", "MCAT", "NFTfiDirectLoanFixedOffer", "NFTOracle",
                                 "BendLendPool", "BendReserveOracle", "SudoPairFactory", "SudoLinearCurve", "SudoExponentialCurve",
                                 "SudoXykCurve", "PerpClearingHouse", "PerpAmmDAPE"}) {
            const QString address = contracts.value(QLatin1String(name)).toString();
            QVERIFY2(address.startsWith(QStringLiteral("0x")), name);
            const auto [c, code_hex, e] = rpc(url, QStringLiteral("eth_getCode"), QStringLiteral("[\"") + address + QStringLiteral("\",\"latest\"]"));
            QCOMPARE(c, 0);
            QVERIFY2(code_hex.trimmed().size() > 100, name);
        }
        // Every seeded loan is live on chain with the borrower the manifest names.
        const auto loans = m_manifest.value(QStringLiteral("loans")).toArray();
        QVERIFY(loans.size() >= 6);
        int p2p_loans = 0;
        for (const auto& entry : loans) {
            const auto loan = entry.toObject();
            if (loan.value(QStringLiteral("protocol")).toString() != QStringLiteral("nftfi")) continue;
            ++p2p_loans;
            const auto [c1, call_data, e1] = cli({QStringLiteral("abi"), QStringLiteral("encode"), QStringLiteral("--sig"), QStringLiteral("loanIdToLoan(uint32)"),
                                                  QStringLiteral("--args-json"), QStringLiteral("[") + QString::number(loan.value(QStringLiteral("loan_id")).toInt()) + QStringLiteral("]")});
            QCOMPARE(c1, 0);
            const auto [c2, result, e2] = rpc(url, QStringLiteral("eth_call"),
                                              QStringLiteral("[{\"to\":\"") + contracts.value(QStringLiteral("NFTfiDirectLoanFixedOffer")).toString()
                                                  + QStringLiteral("\",\"input\":\"") + call_data.trimmed() + QStringLiteral("\"},\"latest\"]"));
            QVERIFY2(c2 == 0, qPrintable(e2));
            const auto [c3, decoded, e3] = cli({QStringLiteral("abi"), QStringLiteral("decode"), QStringLiteral("--types"),
                                                QStringLiteral("(uint256,uint256,uint256,address,uint32,uint16,uint16,address,uint64,address,address)"),
                                                QStringLiteral("--data"), result.trimmed().remove(QLatin1Char('"'))});
            QVERIFY2(c3 == 0, qPrintable(e3));
            const auto fields = QJsonDocument::fromJson(decoded.toUtf8()).array();
            QCOMPARE(fields.at(10).toString(), loan.value(QStringLiteral("borrower")).toString());
            QCOMPARE(fields.at(9).toString(), loan.value(QStringLiteral("collection")).toString());
            QCOMPARE(fields.at(8).toString().toLongLong() + fields.at(4).toString().toLongLong(),
                     loan.value(QStringLiteral("maturity")).toVariant().toLongLong());
        }
        QCOMPARE(p2p_loans, 9);
        // Pool loans: the pool knows each one under the NFT the manifest names.
        int pool_loans = 0;
        for (const auto& entry : loans) {
            const auto loan = entry.toObject();
            if (loan.value(QStringLiteral("protocol")).toString() != QStringLiteral("benddao")) continue;
            ++pool_loans;
            const auto id = call(url, contracts.value(QStringLiteral("BendLendPool")).toString(), QStringLiteral("getCollateralLoanId(address,uint256)"),
                                 QStringLiteral("[\"") + loan.value(QStringLiteral("collection")).toString() + QStringLiteral("\",")
                                     + QString::number(loan.value(QStringLiteral("token_id")).toInt()) + QStringLiteral("]"),
                                 QStringLiteral("(uint256)"));
            QCOMPARE(id.at(0).toString().toInt(), loan.value(QStringLiteral("loan_id")).toInt());
        }
        QCOMPARE(pool_loans, 9);
        // Every pair trades the collection the manifest names; every perp position is open.
        const auto pairs = m_manifest.value(QStringLiteral("pairs")).toArray();
        QVERIFY(pairs.size() >= 12);
        for (const auto& entry : pairs) {
            const auto pair = entry.toObject();
            const auto nft = call(url, pair.value(QStringLiteral("pair")).toString(), QStringLiteral("nft()"), QStringLiteral("[]"), QStringLiteral("(address)"));
            QCOMPARE(nft.at(0).toString(), pair.value(QStringLiteral("collection")).toString());
        }
        const auto perps = m_manifest.value(QStringLiteral("perps")).toArray();
        QCOMPARE(perps.size(), 9);
        for (const auto& entry : perps) {
            const auto perp = entry.toObject();
            const auto position = call(url, contracts.value(QStringLiteral("PerpClearingHouse")).toString(), QStringLiteral("getPosition(address,address)"),
                                       QStringLiteral("[\"") + perp.value(QStringLiteral("amm")).toString() + QStringLiteral("\",\"")
                                           + perp.value(QStringLiteral("trader")).toString() + QStringLiteral("\"]"),
                                       QStringLiteral("(((int256),(uint256),(uint256),(int256),uint256,uint256))"));
            const qlonglong size_sign = position.at(0).toArray().at(0).toArray().at(0).toString().startsWith(QLatin1Char('-')) ? -1 : 1;
            QCOMPARE(size_sign, perp.value(QStringLiteral("side")).toString() == QStringLiteral("long") ? 1 : -1);
        }
    }

    void secondUpReusesTheRunningDevnet()
    {
        const QString url = m_manifest.value(QStringLiteral("rpc_url")).toString();
        const auto [c0, before, e0] = rpc(url, QStringLiteral("eth_blockNumber"), QStringLiteral("[]"));
        const auto [code, out, err] = cli({QStringLiteral("devnet"), QStringLiteral("up"), QStringLiteral("--port"), m_port,
                                           QStringLiteral("--state-dir"), m_state.path()});
        QVERIFY2(code == 0, qPrintable(err));
        QCOMPARE(QJsonDocument::fromJson(out.toUtf8()).object(), m_manifest);
        const auto [c1, after, e1] = rpc(url, QStringLiteral("eth_blockNumber"), QStringLiteral("[]"));
        QCOMPARE(after, before);
    }

    void simulateMovesTheMarket()
    {
        const QString url = m_manifest.value(QStringLiteral("rpc_url")).toString();
        const auto contracts = m_manifest.value(QStringLiteral("contracts")).toObject();
        const auto [code, out, err] = cli({QStringLiteral("devnet"), QStringLiteral("simulate"), QStringLiteral("--state-dir"), m_state.path(),
                                           QStringLiteral("--steps"), QStringLiteral("3"), QStringLiteral("--seed"), QStringLiteral("4")});
        QVERIFY2(code == 0, qPrintable(err));
        const auto lines = out.trimmed().split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 3);
        QJsonObject last;
        for (int i = 0; i < lines.size(); ++i) {
            last = QJsonDocument::fromJson(lines[i].toUtf8()).object();
            QCOMPARE(last.value(QStringLiteral("step")).toInt(), i + 1);
            QCOMPARE(last.value(QStringLiteral("prices")).toObject().size(), 3);
            QVERIFY(last.value(QStringLiteral("errors")).toArray().isEmpty());
        }
        // The oracle holds the floor the last step reported.
        const auto price = call(url, contracts.value(QStringLiteral("NFTOracle")).toString(), QStringLiteral("getAssetPrice(address)"),
                                QStringLiteral("[\"") + contracts.value(QStringLiteral("DAPE")).toString() + QStringLiteral("\"]"), QStringLiteral("(uint256)"));
        QCOMPARE(price.at(0).toString(), last.value(QStringLiteral("prices")).toObject().value(QStringLiteral("DAPE")).toString());

        // A timed run stops by itself.
        const auto [c2, timed, e2] = cli({QStringLiteral("devnet"), QStringLiteral("simulate"), QStringLiteral("--state-dir"), m_state.path(),
                                          QStringLiteral("--seconds"), QStringLiteral("2"), QStringLiteral("--interval-ms"), QStringLiteral("500")});
        QVERIFY2(c2 == 0, qPrintable(e2));
        QVERIFY(timed.trimmed().split(QLatin1Char('\n')).size() >= 2);
        // Bad input: a clear message, nothing sent.
        const auto [c3, o3, e3] = cli({QStringLiteral("devnet"), QStringLiteral("simulate"), QStringLiteral("--state-dir"), m_state.path(),
                                       QStringLiteral("--steps"), QStringLiteral("many")});
        QCOMPARE(c3, 2);
        QVERIFY(e3.contains(QStringLiteral("whole numbers")));
        QTemporaryDir empty;
        const auto [c4, o4, e4] = cli({QStringLiteral("devnet"), QStringLiteral("simulate"), QStringLiteral("--state-dir"), empty.path()});
        QCOMPARE(c4, 1);
        QVERIFY2(e4.contains(QStringLiteral("devnet up")), qPrintable(e4));
    }

    void anAnvilOnPathIsFoundAndAMissingOneSaysHowToInstallIt()
    {
        // An installed nftterm-cli has no build tree: a bare NFTTERM_ANVIL (or the default) is looked up on PATH.
        QTemporaryDir state;
        const QString port = QString::number(nftterm::tests::free_loopback_port());
        const QString npm_bin = QFileInfo(QStringLiteral(NFTTERM_ANVIL)).absolutePath();
        const auto [missing, o1, e1] = cli({QStringLiteral("devnet"), QStringLiteral("up"), QStringLiteral("--port"), port,
                                            QStringLiteral("--state-dir"), state.path()},
                                           {{QStringLiteral("NFTTERM_ANVIL"), QStringLiteral("anvil")}, {QStringLiteral("PATH"), QStringLiteral("/usr/bin:/bin")}});
        QCOMPARE(missing, 1);
        QVERIFY2(e1.contains(QStringLiteral("no anvil on PATH")) && e1.contains(QStringLiteral("npm install -g @foundry-rs/anvil-linux-amd64")),
                 qPrintable(e1));
        QVERIFY(!QFileInfo::exists(state.filePath(QStringLiteral("manifest.json"))));
        const auto [found, o2, e2] = cli({QStringLiteral("devnet"), QStringLiteral("up"), QStringLiteral("--port"), port,
                                          QStringLiteral("--state-dir"), state.path()},
                                         {{QStringLiteral("NFTTERM_ANVIL"), QStringLiteral("anvil")},
                                          {QStringLiteral("PATH"), npm_bin + QStringLiteral(":/usr/bin:/bin")}});
        QVERIFY2(found == 0, qPrintable(e2));
        QCOMPARE(QJsonDocument::fromJson(o2.toUtf8()).object().value(QStringLiteral("chain_id")).toInt(), 31337);
        cli({QStringLiteral("devnet"), QStringLiteral("down"), QStringLiteral("--state-dir"), state.path()});
    }

    void downStopsIt()
    {
        const auto [code, out, err] = cli({QStringLiteral("devnet"), QStringLiteral("down"), QStringLiteral("--state-dir"), m_state.path()});
        QCOMPARE(code, 0);
        QVERIFY2(QJsonDocument::fromJson(out.toUtf8()).object().value(QStringLiteral("stopped")).toInt() > 0, qPrintable(out));
        const auto [c1, o1, e1] = rpc(m_manifest.value(QStringLiteral("rpc_url")).toString(), QStringLiteral("eth_blockNumber"), QStringLiteral("[]"));
        QCOMPARE(c1, 1);
        QVERIFY(e1.contains(QStringLiteral("refused")));
    }

private:
    /// eth_call through the CLI's abi and rpc commands; the outputs as a JSON array.
    QJsonArray call(const QString& url, const QString& to, const QString& signature, const QString& args_json, const QString& output_types)
    {
        const auto [c1, data, e1] = cli({QStringLiteral("abi"), QStringLiteral("encode"), QStringLiteral("--sig"), signature,
                                         QStringLiteral("--args-json"), args_json});
        if (c1 != 0) qWarning("abi encode: %s", qPrintable(e1));
        const auto [c2, result, e2] = rpc(url, QStringLiteral("eth_call"),
                                          QStringLiteral("[{\"to\":\"") + to + QStringLiteral("\",\"input\":\"") + data.trimmed()
                                              + QStringLiteral("\"},\"latest\"]"));
        if (c2 != 0) qWarning("eth_call: %s", qPrintable(e2));
        const auto [c3, decoded, e3] = cli({QStringLiteral("abi"), QStringLiteral("decode"), QStringLiteral("--types"), output_types,
                                            QStringLiteral("--data"), result.trimmed().remove(QLatin1Char('"'))});
        if (c3 != 0) qWarning("abi decode: %s", qPrintable(e3));
        return QJsonDocument::fromJson(decoded.toUtf8()).array();
    }

    std::tuple<int, QString, QString> rpc(const QString& url, const QString& method, const QString& params)
    {
        return cli({QStringLiteral("rpc"), QStringLiteral("--rpc-url"), url, QStringLiteral("--timeout-ms"), QStringLiteral("2000"), method, params});
    }

    std::tuple<int, QString, QString> cli(const QStringList& args, const QList<QPair<QString, QString>>& environment = {})
    {
        QProcess process;
        if (!environment.isEmpty()) {
            auto variables = QProcessEnvironment::systemEnvironment();
            for (const auto& [name, value] : environment) variables.insert(name, value);
            process.setProcessEnvironment(variables);
        }
        process.start(QStringLiteral(NFTTERM_CLI), args);
        process.waitForFinished(120000);
        return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
    }

    QTemporaryDir m_state;
    QString m_port;
    QJsonObject m_manifest;
};

NFTTERM_TEST_GUILESS(CliDevnetTest)
#include "cli_devnet_test.moc"
