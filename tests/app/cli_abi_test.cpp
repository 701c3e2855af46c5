#include <QProcess>
#include <QTest>

#include "../support/test_registry.hpp"

/// Drives `nftterm-cli abi` as a user's script would.
class CliAbiTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void encodesTheSpecExample()
    {
        // Solidity ABI spec: baz(uint32,bool) with 69, true.
        const auto [code, out, err] = cli({QStringLiteral("encode"), QStringLiteral("--sig"), QStringLiteral("baz(uint32,bool)"),
                                           QStringLiteral("--args-json"), QStringLiteral("[69, true]")});
        QCOMPARE(code, 0);
        QCOMPARE(out, QStringLiteral("0xcdcd77c0") + QString(62, u'0') + QStringLiteral("45") + QString(63, u'0') + QStringLiteral("1\n"));
    }

    void decodesCalldataWithIntegersAsDecimalStrings()
    {
        const QString data = QStringLiteral("0xa9059cbb00000000000000000000000070997970c51812dc3a010c7d01b50e0d17dc79c8"
                                            "0000000000000000000000000000000000000000000000000de0b6b3a7640000");
        const auto [code, out, err] = cli({QStringLiteral("decode-calldata"), QStringLiteral("--sig"),
                                           QStringLiteral("transfer(address,uint256)"), QStringLiteral("--data"), data});
        QCOMPARE(code, 0);
        QVERIFY(out.contains(QStringLiteral("\"0x70997970C51812dc3A010C7d01b50e0d17dc79C8\"")));
        QVERIFY(out.contains(QStringLiteral("\"1000000000000000000\"")));
    }

    void roundTripsNestedTuples()
    {
        const auto [code, encoded, err] = cli({QStringLiteral("encode"), QStringLiteral("--sig"), QStringLiteral("f(uint256,(address,bytes)[])"),
                                               QStringLiteral("--args-json"),
                                               QStringLiteral(R"(["7", [["0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "0xbeef"]]])")});
        QCOMPARE(code, 0);
        const auto [code2, decoded, err2] = cli({QStringLiteral("decode-calldata"), QStringLiteral("--sig"),
                                                 QStringLiteral("f(uint256,(address,bytes)[])"), QStringLiteral("--data"), encoded.trimmed()});
        QCOMPARE(code2, 0);
        QVERIFY(decoded.contains(QStringLiteral("\"7\"")));
        QVERIFY(decoded.contains(QStringLiteral("\"0xbeef\"")));
    }

    void failsClearly()
    {
        const auto [code, out, err] = cli({QStringLiteral("decode-calldata"), QStringLiteral("--sig"), QStringLiteral("transfer(address,uint256)"),
                                           QStringLiteral("--data"), QStringLiteral("0xdeadbeef")});
        QCOMPARE(code, 1);
        QVERIFY(out.isEmpty());
        QVERIFY2(err.contains(QStringLiteral("selector")), qPrintable(err));
        const auto [code2, out2, err2] = cli({QStringLiteral("encode"), QStringLiteral("--sig"), QStringLiteral("f(uint8)"),
                                              QStringLiteral("--args-json"), QStringLiteral("[256]")});
        QCOMPARE(code2, 1);
        QVERIFY2(err2.contains(QStringLiteral("uint8")), qPrintable(err2));
    }

private:
    std::tuple<int, QString, QString> cli(QStringList args)
    {
        args.prepend(QStringLiteral("abi"));
        QProcess process;
        process.start(QStringLiteral(NFTTERM_CLI), args);
        process.waitForFinished(30000);
        return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
    }
};

NFTTERM_TEST_GUILESS(CliAbiTest)
#include "cli_abi_test.moc"
