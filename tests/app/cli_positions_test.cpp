#include "../support/loopback.hpp"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "../support/test_registry.hpp"

/// `nftterm-cli positions` against a devnet started by `devnet up`: the
/// JSON contract, the table, and bad input.
class CliPositionsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        const auto [code, out, err] = cli({QStringLiteral("devnet"), QStringLiteral("up"), QStringLiteral("--port"),
                                           QString::number(nftterm::tests::free_loopback_port()), QStringLiteral("--state-dir"), m_state.path()});
        QVERIFY2(code == 0, qPrintable(err));
        m_manifest = m_state.path() + QStringLiteral("/manifest.json");
        const auto accounts = QJsonDocument::fromJson(out.toUtf8()).object().value(QStringLiteral("accounts")).toArray();
        for (const auto& account : accounts)
            if (account.toObject().value(QStringLiteral("name")).toString() == QStringLiteral("alice")) m_alice = account.toObject().value(QStringLiteral("address")).toString();
        QVERIFY(!m_alice.isEmpty());
    }
    void cleanupTestCase() { cli({QStringLiteral("devnet"), QStringLiteral("down"), QStringLiteral("--state-dir"), m_state.path()}); }

    void jsonHasOneObjectPerPositionWithTheContractFields()
    {
        const auto [code, out, err] = positions({QStringLiteral("--account"), m_alice, QStringLiteral("--json")});
        QVERIFY2(code == 0, qPrintable(err));
        const auto array = QJsonDocument::fromJson(out.toUtf8()).array();
        QCOMPARE(array.size(), 12);
        QMap<QString, int> per_protocol;
        for (const auto& entry : array) {
            const auto position = entry.toObject();
            for (const char* field : {"id", "protocol", "collection", "tokenId", "collateralValue", "debt", "healthFactor", "marginRatio",
                                      "liquidationPrice", "maturity", "priceSource", "priceAgeSeconds", "exitValue"})
                QVERIFY2(position.contains(QLatin1String(field)), field);
            const QString protocol = position.value(QStringLiteral("protocol")).toString();
            ++per_protocol[protocol];
            // What selling into the pools would fetch, beside the valuation of the protocol (none for perps).
            if (protocol == QStringLiteral("benddao")) QVERIFY(position.value(QStringLiteral("exitValue")).toString().size() > 15);
            if (protocol == QStringLiteral("perp")) QVERIFY(position.value(QStringLiteral("exitValue")).isNull());
            // healthFactor: an 18-decimal integer string where the protocol defines one, else null.
            if (protocol == QStringLiteral("benddao")) {
                QVERIFY(position.value(QStringLiteral("healthFactor")).isString());
                QVERIFY(position.value(QStringLiteral("healthFactor")).toString().size() > 15);
                QVERIFY(position.value(QStringLiteral("tokenId")).isString());
            } else {
                QVERIFY(position.value(QStringLiteral("healthFactor")).isNull());
            }
            if (protocol == QStringLiteral("perp")) QVERIFY(position.value(QStringLiteral("marginRatio")).isString());
            if (protocol == QStringLiteral("nftfi")) QVERIFY(position.value(QStringLiteral("maturity")).toDouble() > 1.7e9);
            QCOMPARE(position.value(QStringLiteral("account")).toString(), m_alice);
        }
        QCOMPARE(per_protocol.value(QStringLiteral("nftfi")), 3);
        QCOMPARE(per_protocol.value(QStringLiteral("benddao")), 3);
        QCOMPARE(per_protocol.value(QStringLiteral("sudoswap")), 3);
        QCOMPARE(per_protocol.value(QStringLiteral("perp")), 3);
    }

    void discoveryIsRememberedBetweenRuns()
    {
        const QString cache = m_state.path() + QStringLiteral("/discovery.json");
        const auto [code, out, err] = positions({QStringLiteral("--account"), m_alice, QStringLiteral("--json"), QStringLiteral("--cache"), cache});
        QVERIFY2(code == 0, qPrintable(err));
        QVERIFY(QFile::exists(cache));
        QCOMPARE(QFile::permissions(cache) & (QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::WriteOther), QFileDevice::Permissions());
        // The second run starts from the file and finds the same positions.
        const auto [code2, out2, err2] = positions({QStringLiteral("--account"), m_alice, QStringLiteral("--json"), QStringLiteral("--cache"), cache});
        QVERIFY2(code2 == 0, qPrintable(err2));
        const auto ids = [](const QString& text) {
            QStringList out;
            for (const auto& entry : QJsonDocument::fromJson(text.toUtf8()).array()) out << entry.toObject().value(QStringLiteral("id")).toString();
            return out;
        };
        QCOMPARE(ids(out2), ids(out));
        // Without --cache the default lives in the data folder; --no-cache writes nothing.
        QVERIFY(std::get<0>(positions({QStringLiteral("--account"), m_alice})) == 0);
        QVERIFY(!QDir(m_state.path() + QStringLiteral("/data/discovery")).isEmpty());
        QVERIFY(std::get<0>(positions({QStringLiteral("--account"), m_alice, QStringLiteral("--no-cache")})) == 0);
        // A damaged cache is reported and left alone; the run still answers.
        QFile damaged(cache);
        QVERIFY(damaged.open(QIODevice::WriteOnly));
        damaged.write("{\"version\":");
        damaged.close();
        const auto [code3, out3, err3] = positions({QStringLiteral("--account"), m_alice, QStringLiteral("--json"), QStringLiteral("--cache"), cache});
        QCOMPARE(code3, 0);
        QVERIFY(err3.contains(QStringLiteral("not readable")));
        QCOMPARE(ids(out3), ids(out));
    }

    void tableForPeople()
    {
        const auto [code, out, err] = positions({QStringLiteral("--account"), m_alice});
        QVERIFY2(code == 0, qPrintable(err));
        QVERIFY(out.contains(QStringLiteral("12 positions")));
        QVERIFY(out.contains(QStringLiteral("HF ")));
        QVERIFY(out.contains(QStringLiteral("MR ")));
    }

    void anAccountWithoutPositionsIsNotAnError()
    {
        const auto [code, out, err] = positions({QStringLiteral("--account"), QStringLiteral("0x000000000000000000000000000000000000dEaD"), QStringLiteral("--json")});
        QVERIFY2(code == 0, qPrintable(err));
        QCOMPARE(QJsonDocument::fromJson(out.toUtf8()).array().size(), 0);
    }

    void badInputIsExplained()
    {
        // A registry for another deployment: contracts without code.
        QFile manifest(m_manifest);
        QVERIFY(manifest.open(QIODevice::ReadOnly));
        auto document = QJsonDocument::fromJson(manifest.readAll()).object();
        auto contracts = document.value(QStringLiteral("contracts")).toObject();
        contracts.insert(QStringLiteral("BendLendPool"), QStringLiteral("0x1111111111111111111111111111111111111111"));
        document.insert(QStringLiteral("contracts"), contracts);
        const QString wrong = write(QStringLiteral("wrong.json"), QJsonDocument(document).toJson());
        auto [c1, o1, e1] = positions({QStringLiteral("--account"), m_alice}, wrong);
        QCOMPARE(c1, 1);
        QVERIFY2(e1.contains(QStringLiteral("BendLendPool")) && e1.contains(QStringLiteral("no code")), qPrintable(e1));
        // A registry for another chain.
        document.insert(QStringLiteral("chain_id"), 1);
        const QString other_chain = write(QStringLiteral("chain.json"), QJsonDocument(document).toJson());
        auto [c2, o2, e2] = positions({QStringLiteral("--account"), m_alice}, other_chain);
        QCOMPARE(c2, 1);
        QVERIFY2(e2.contains(QStringLiteral("chain")), qPrintable(e2));
        // Not JSON; a bad address; no account.
        auto [c3, o3, e3] = positions({QStringLiteral("--account"), m_alice}, write(QStringLiteral("garbage.json"), "{not json"));
        QCOMPARE(c3, 1);
        QVERIFY(e3.contains(QStringLiteral("registry")));
        auto [c4, o4, e4] = positions({QStringLiteral("--account"), QStringLiteral("0x1234")});
        QCOMPARE(c4, 2);
        auto [c5, o5, e5] = positions({});
        QCOMPARE(c5, 2);
        QVERIFY(e5.contains(QStringLiteral("--account")));
    }

    void watchStreamsALinePerBlock()
    {
        QProcess watch;
        watch.setProcessEnvironment(environment());
        watch.start(QStringLiteral(NFTTERM_CLI), {QStringLiteral("watch"), QStringLiteral("--registry"), m_manifest, QStringLiteral("--account"), m_alice,
                                                  QStringLiteral("--json"), QStringLiteral("--interval-ms"), QStringLiteral("100")});
        QVERIFY(watch.waitForStarted());
        QVERIFY(watch.waitForReadyRead(20000));
        while (!watch.canReadLine()) QVERIFY(watch.waitForReadyRead(5000));
        const auto line = QJsonDocument::fromJson(watch.readLine()).object();
        QVERIFY(line.value(QStringLiteral("block")).toInt() > 0);
        QCOMPARE(line.value(QStringLiteral("positions")).toArray().size(), 12);
        // Each collection's prices from every source, and what changed since the previous line (all of it, for the first).
        const auto collections = line.value(QStringLiteral("collections")).toArray();
        QCOMPARE(collections.size(), 3);
        for (const auto& entry : collections) {
            const auto prices = entry.toObject();
            for (const char* source : {"oracle", "feed", "bestBid"}) {
                const auto quote = prices.value(QLatin1String(source)).toObject();
                QVERIFY2(quote.value(QStringLiteral("price")).toString().size() > 15, source);
                QVERIFY2(quote.contains(QStringLiteral("ageSeconds")) && quote.contains(QStringLiteral("stale")), source);
            }
        }
        const auto changes = line.value(QStringLiteral("changes")).toArray();
        QCOMPARE(changes.size(), 12);
        QCOMPARE(changes.first().toObject().value(QStringLiteral("kind")).toString(), QStringLiteral("added"));
        watch.terminate();  // SIGTERM: the loop ends and the process exits cleanly
        QVERIFY(watch.waitForFinished(10000));
        QCOMPARE(watch.exitCode(), 0);
        auto [code, out, err] = cli({QStringLiteral("watch"), QStringLiteral("--registry"), m_manifest, QStringLiteral("--account"), m_alice,
                                     QStringLiteral("--interval-ms"), QStringLiteral("soon")});
        QCOMPARE(code, 2);
    }

    void stressTable()
    {
        const auto [code, out, err] = cli({QStringLiteral("stress"), QStringLiteral("--registry"), m_manifest, QStringLiteral("--account"), m_alice,
                                           QStringLiteral("--json")});
        QVERIFY2(code == 0, qPrintable(err));
        const auto result = QJsonDocument::fromJson(out.toUtf8()).object();
        const auto rows = result.value(QStringLiteral("stress")).toArray();
        QCOMPARE(rows.size(), 3);
        QCOMPARE(rows.at(0).toObject().value(QStringLiteral("shockPercent")).toInt(), 10);
        QCOMPARE(rows.at(2).toObject().value(QStringLiteral("shockPercent")).toInt(), 50);
        QVERIFY(rows.at(2).toObject().value(QStringLiteral("loss")).toString().toDouble() >
                rows.at(0).toObject().value(QStringLiteral("loss")).toString().toDouble());
        const auto summary = result.value(QStringLiteral("summary")).toObject();
        for (const char* field : {"totalCollateral", "totalDebt", "worstHealthFactor", "weightedHealthFactor", "worstMarginRatio", "costPerDay"})
            QVERIFY2(summary.contains(QLatin1String(field)), field);
        auto [c2, o2, e2] = cli({QStringLiteral("stress"), QStringLiteral("--registry"), m_manifest, QStringLiteral("--account"), m_alice,
                                 QStringLiteral("--shock"), QStringLiteral("150")});
        QCOMPARE(c2, 2);
    }

    void topUpLandsAtThePredictedHealth()
    {
        // alice's key in a keystore of her own (anvil's published test key #1).
        const QString key = write(QStringLiteral("alice.key"), "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
        const QString password = write(QStringLiteral("password.txt"), "correct horse");
        const QString store = m_state.path() + QStringLiteral("/store");
        const auto [c0, imported, e0] = cli({QStringLiteral("wallet"), QStringLiteral("import"), QStringLiteral("--private-key-file"), key,
                                             QStringLiteral("--password-file"), password, QStringLiteral("--store"), store, QStringLiteral("--light-kdf")});
        QVERIFY2(c0 == 0, qPrintable(e0));
        const QString keystore = QJsonDocument::fromJson(imported.toUtf8()).object().value(QStringLiteral("keystore")).toString();
        QVERIFY2(QFile::exists(keystore), qPrintable(imported));

        // The weakest pool loan of alice's.
        const auto [c1, listed, e1] = positions({QStringLiteral("--account"), m_alice, QStringLiteral("--json")});
        QString id;
        double lowest = 1e30;
        for (const auto& entry : QJsonDocument::fromJson(listed.toUtf8()).array()) {
            const auto p = entry.toObject();
            if (p.value(QStringLiteral("protocol")).toString() != QStringLiteral("benddao") || p.value(QStringLiteral("state")).toString() != QStringLiteral("active")) continue;
            const double hf = p.value(QStringLiteral("healthFactor")).toString().toDouble();
            if (hf < lowest) {
                lowest = hf;
                id = p.value(QStringLiteral("id")).toString();
            }
        }
        QVERIFY(!id.isEmpty());
        const QStringList topup = {QStringLiteral("topup"), QStringLiteral("--registry"), m_manifest, QStringLiteral("--position"), id,
                                   QStringLiteral("--target-health"), QStringLiteral("1.6"), QStringLiteral("--keystore"), keystore,
                                   QStringLiteral("--journal"), m_state.path() + QStringLiteral("/journal.jsonl")};
        const QString url = QJsonDocument::fromJson(read(m_manifest)).object().value(QStringLiteral("rpc_url")).toString();
        const QString nonce_before = nonce(url);

        // A wrong password: a clear error and nothing signed.
        const QString wrong = write(QStringLiteral("wrong.txt"), "battery staple");
        auto [c2, o2, e2] = cli(topup + QStringList{QStringLiteral("--password-file"), wrong, QStringLiteral("--yes")});
        QCOMPARE(c2, 1);
        QVERIFY2(e2.contains(QStringLiteral("password")), qPrintable(e2));
        QCOMPARE(nonce(url), nonce_before);
        // Not confirmed (no terminal, no --yes): nothing signed.
        auto [c3, o3, e3] = cli(topup + QStringList{QStringLiteral("--password-file"), password});
        QCOMPARE(c3, 1);
        QVERIFY2(e3.contains(QStringLiteral("--yes")), qPrintable(e3));
        QCOMPARE(nonce(url), nonce_before);

        auto [c4, out, e4] = cli(topup + QStringList{QStringLiteral("--password-file"), password, QStringLiteral("--yes")});
        QVERIFY2(c4 == 0, qPrintable(e4));
        const auto result = QJsonDocument::fromJson(out.toUtf8()).object();
        // The plan's prediction, redone for the block the repay landed in, is the health the pool now reports.
        QCOMPARE(result.value(QStringLiteral("after")).toString(), result.value(QStringLiteral("predictedAtLanding")).toString());
        QVERIFY(result.value(QStringLiteral("after")).toString().toDouble() >= 1.6e18);
        QCOMPARE(result.value(QStringLiteral("transactions")).toArray().size(), 1);
        QVERIFY(e4.contains(QStringLiteral("repay ")));
        QVERIFY(nonce(url) != nonce_before);
        m_keystore = keystore;
        m_password = password;
    }

    void repayAndCloseLandAndTheirPositionsAreGone()
    {
        QVERIFY2(!m_keystore.isEmpty(), "needs the keystore of topUpLandsAtThePredictedHealth");
        const auto [c0, listed, e0] = positions({QStringLiteral("--account"), m_alice, QStringLiteral("--json")});
        QString loan, perp;
        for (const auto& entry : QJsonDocument::fromJson(listed.toUtf8()).array()) {
            const auto p = entry.toObject();
            const QString protocol = p.value(QStringLiteral("protocol")).toString();
            if (protocol == QStringLiteral("benddao") && p.value(QStringLiteral("state")).toString() == QStringLiteral("active")) loan = p.value(QStringLiteral("id")).toString();
            if (protocol == QStringLiteral("perp")) perp = p.value(QStringLiteral("id")).toString();
        }
        QVERIFY(!loan.isEmpty() && !perp.isEmpty());
        const QStringList signer = {QStringLiteral("--registry"), m_manifest, QStringLiteral("--keystore"), m_keystore, QStringLiteral("--password-file"),
                                    m_password, QStringLiteral("--journal"), m_state.path() + QStringLiteral("/journal.jsonl"), QStringLiteral("--yes")};

        auto [c1, repaid, e1] = cli(QStringList{QStringLiteral("repay"), QStringLiteral("--position"), loan} + signer);
        QVERIFY2(c1 == 0, qPrintable(e1));
        const auto repay = QJsonDocument::fromJson(repaid.toUtf8()).object();
        QCOMPARE(repay.value(QStringLiteral("action")).toString(), QStringLiteral("repay"));
        QVERIFY(repay.value(QStringLiteral("closed")).toBool());
        QVERIFY2(e1.contains(QStringLiteral("repay all of loan #")), qPrintable(e1));

        // A limit of 0 bps would accept no move at all: refused before anything is read or signed.
        auto [c2, o2, e2] = cli(QStringList{QStringLiteral("close"), QStringLiteral("--position"), perp, QStringLiteral("--max-slippage-bps"), QStringLiteral("0")} + signer);
        QCOMPARE(c2, 2);
        QVERIFY2(e2.contains(QStringLiteral("--max-slippage-bps")), qPrintable(e2));
        auto [c3, closed, e3] = cli(QStringList{QStringLiteral("close"), QStringLiteral("--position"), perp, QStringLiteral("--max-slippage-bps"), QStringLiteral("100")} + signer);
        QVERIFY2(c3 == 0, qPrintable(e3));
        const auto close = QJsonDocument::fromJson(closed.toUtf8()).object();
        QVERIFY(close.value(QStringLiteral("closed")).toBool());
        QVERIFY(!close.value(QStringLiteral("quoteLimit")).toString().isEmpty());

        const auto [c4, after, e4] = positions({QStringLiteral("--account"), m_alice, QStringLiteral("--json")});
        QVERIFY(!after.contains(loan));
        QVERIFY(!after.contains(perp));
    }

private:
    QByteArray read(const QString& path)
    {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }

    QString nonce(const QString& url)
    {
        const auto [code, out, err] = cli({QStringLiteral("rpc"), QStringLiteral("--rpc-url"), url, QStringLiteral("eth_getTransactionCount"),
                                           QStringLiteral("[\"") + m_alice + QStringLiteral("\",\"latest\"]")});
        return out.trimmed();
    }

    std::tuple<int, QString, QString> positions(QStringList args, const QString& registry = {})
    {
        args.prepend(registry.isEmpty() ? m_manifest : registry);
        args.prepend(QStringLiteral("--registry"));
        args.prepend(QStringLiteral("positions"));
        return cli(args);
    }

    QString write(const QString& name, const QByteArray& content)
    {
        const QString path = m_state.path() + QLatin1Char('/') + name;
        QFile file(path);
        if (file.open(QIODevice::WriteOnly)) file.write(content);
        return path;
    }

    /// The CLI with its data folder (and so its discovery cache) inside the temporary folder of the test.
    QProcessEnvironment environment() const
    {
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("NFTTERM_DATA_DIR"), m_state.path() + QStringLiteral("/data"));
        return env;
    }

    std::tuple<int, QString, QString> cli(const QStringList& args)
    {
        QProcess process;
        process.setProcessEnvironment(environment());
        process.start(QStringLiteral(NFTTERM_CLI), args);
        process.waitForFinished(120000);
        return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
    }

    QTemporaryDir m_state;
    QString m_manifest;
    QString m_alice;
    QString m_keystore, m_password;
};

NFTTERM_TEST_GUILESS(CliPositionsTest)
#include "cli_positions_test.moc"
