#include "../support/anvil_node.hpp"
#include "../support/demo_world_fixture.hpp"
#include "../support/fault_server.hpp"

#include <protocols/devnet/demo_world.hpp>
#include <protocols/devnet/seeding.hpp>
#include <protocols/eth/rpc/eth_api.hpp>
#include <protocols/positions/monitor.hpp>

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include "../support/test_registry.hpp"

#include <mutex>

using namespace nftterm;
using wallet::Address;
using wallet::U256;

namespace {

std::string q(const Address& address)
{
    return "\"" + address.to_hex() + "\"";
}

/// The webhook receiver: keeps every body it was sent.
struct Receiver {
    std::mutex mutex;
    QStringList bodies;
    tests::FaultServer server{[this](const std::string& body) {
        std::lock_guard lock(mutex);
        bodies << QString::fromStdString(body).trimmed();
        return std::string("ok");
    }};
    QStringList received()
    {
        std::lock_guard lock(mutex);
        return bodies;
    }
};

}  // namespace

/// `nftterm-cli alerts`, the headless watcher, against a devnet: an oracle
/// crash alerts once per position on stdout, the webhook and the command
/// hook alike; later blocks at the same price stay quiet; the recovery
/// resolves; a webhook that never answers does not hold the lines back.
class CliAlertsTest : public QObject {
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

    void aCrashAlertsOnceEverywhereAndTheRecoveryResolves()
    {
        Receiver webhook;
        const QString exec_file = m_dir.filePath(QStringLiteral("exec.jsonl"));
        QProcess watcher;
        start(watcher, {QStringLiteral("--webhook"), QString::fromStdString(webhook.server.url() + "/hook"), QStringLiteral("--exec"),
                        QStringLiteral("cat >> ") + exec_file});
        // The demo world starts with weak loans: the first block already alerts. The burst is read to its end.
        QVERIFY(next_line(watcher));
        QVERIFY(read_until(watcher, [](const QJsonObject&) { return false; }, 3000));

        const U256 price = crash_dape(55);
        // The crash's critical health alerts, each exactly once.
        QSet<QString> crashed;
        const auto collect = [&](const QJsonObject& line) {
            if (line.value(QStringLiteral("rule")).toString() == QStringLiteral("health") && line.value(QStringLiteral("severity")).toString() == QStringLiteral("critical")
                && line.value(QStringLiteral("state")).toString() == QStringLiteral("firing"))
                crashed << line.value(QStringLiteral("id")).toString();
            return !crashed.isEmpty();
        };
        // The block's first critical line, then the rest of that block (printed together).
        QVERIFY(read_until(watcher, collect, 30000) && !crashed.isEmpty());
        QVERIFY(read_until(watcher, [&](const QJsonObject& line) { collect(line); return false; }, 1500));

        // Ten more blocks at the crashed price, then the recovery: nothing for the crashed loans in between.
        for (int i = 0; i < 10; ++i) QVERIFY(m_world->client().call("evm_mine", "[]").has_value());
        QVERIFY(m_world->send("deployer", m_world->contract("NFTOracle"), "setAssetData(address,uint256)",
                              "[" + q(m_world->contract("DAPE")) + ",\"" + price.to_dec() + "\"]").has_value());
        // One event each: resolved, or down to a warning where the old price leaves it under the re-arm level.
        QMap<QString, QJsonObject> after;
        QVERIFY(read_until(watcher, [&](const QJsonObject& line) {
            const QString id = line.value(QStringLiteral("id")).toString();
            if (crashed.contains(id)) {
                if (after.contains(id)) qWarning("a second event for %s", qPrintable(id));
                after.insert(id, line);
            }
            return after.size() == crashed.size();
        }, 30000));
        QCOMPARE(QSet<QString>(after.keyBegin(), after.keyEnd()), crashed);
        int resolved = 0;
        for (const auto& line : after) {
            const bool gone = line.value(QStringLiteral("state")).toString() == QStringLiteral("resolved");
            resolved += gone;
            QVERIFY2(gone || line.value(QStringLiteral("severity")).toString() == QStringLiteral("warning"), qPrintable(line.value(QStringLiteral("message")).toString()));
        }
        QVERIFY(resolved > 0);
        // The webhook and the command got every line stdout printed, in order.
        QVERIFY(read_until(watcher, [](const QJsonObject&) { return false; }, 2000));
        QTRY_COMPARE_WITH_TIMEOUT(webhook.received(), m_lines, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(exec_lines(exec_file) == m_lines, 10000);
        watcher.terminate();
        QVERIFY(watcher.waitForFinished(10000));
        QCOMPARE(watcher.exitStatus(), QProcess::NormalExit);
        QCOMPARE(watcher.exitCode(), 0);
    }

    void aWebhookThatNeverAnswersHoldsNothingBack()
    {
        tests::FaultServer hung(tests::FaultServer::Mode::Hang);
        QProcess watcher;
        start(watcher, {QStringLiteral("--webhook"), QString::fromStdString(hung.url())});
        QVERIFY(next_line(watcher));
        crash_dape(55);
        int critical = 0;
        QVERIFY(read_until(watcher, [&](const QJsonObject& line) {
            critical += line.value(QStringLiteral("severity")).toString() == QStringLiteral("critical");
            return critical > 0;
        }, 30000));
        QVERIFY(read_until(watcher, [](const QJsonObject&) { return false; }, 1500));
        // Every line is out while the receiver still holds the first request open.
        QVERIFY(critical > 0);
        QVERIFY(m_lines.size() > 1);
        QVERIFY(hung.requests() <= 1);
        watcher.terminate();
        QVERIFY(watcher.waitForFinished(15000));
        QCOMPARE(watcher.exitCode(), 0);
    }

    void anAutoTopUpActsOnceWithinItsCapsAndNotInADryRun()
    {
        // alice's DAPE #101 pool loan starts under 1.2: the rule acts on the first block.
        const std::string loan = alice_dape_loan();
        QVERIFY(!loan.empty());
        const QString rules = write_rules("auto.json", loan, "8");
        const QString key = write_alice_key();

        // A dry run plans and says so; nothing changes on chain.
        const double before = health_of(loan);
        {
            QProcess dry;
            start(dry, {QStringLiteral("--auto-top-up"), rules, QStringLiteral("--dry-run")});
            QVERIFY(read_until(dry, [](const QJsonObject& line) {
                return line.value(QStringLiteral("rule")).toString() == QStringLiteral("auto-top-up");
            }, 30000));
            QVERIFY2(m_lines.last().contains(QStringLiteral("dry run: would top up")), qPrintable(m_lines.last()));
            dry.terminate();
            QVERIFY(dry.waitForFinished(10000));
            QCOMPARE(health_of(loan), before);
        }

        QProcess watcher;
        start(watcher, {QStringLiteral("--auto-top-up"), rules, QStringLiteral("--private-key-file"), key, QStringLiteral("--journal"),
                        m_dir.filePath(QStringLiteral("journal.jsonl"))});
        QVERIFY(read_until(watcher, [](const QJsonObject& line) { return line.value(QStringLiteral("rule")).toString() == QStringLiteral("auto-top-up"); }, 30000));
        QVERIFY2(m_lines.last().contains(QStringLiteral("landed in block")), qPrintable(m_lines.last()));
        // At the target by the contract's own view (interest moves it in the fifth decimal).
        QVERIFY2(std::abs(health_of(loan) - 1.5) < 1e-3, qPrintable(QString::number(health_of(loan))));

        // DAPE falls 30 %: below the trigger again, but today's cap cannot pay it: an alert, not a second top-up.
        const double topped = health_of(loan);
        crash_dape(70);
        QVERIFY(read_until(watcher, [](const QJsonObject& line) { return line.value(QStringLiteral("rule")).toString() == QStringLiteral("auto-top-up"); }, 30000));
        const auto refused = QJsonDocument::fromJson(m_lines.last().toUtf8()).object();
        QCOMPARE(refused.value(QStringLiteral("severity")).toString(), QStringLiteral("critical"));
        QVERIFY2(refused.value(QStringLiteral("message")).toString().contains(QStringLiteral("a day")), qPrintable(m_lines.last()));
        QVERIFY(health_of(loan) < topped);
        // Ten more blocks: still one action, one refusal.
        for (int i = 0; i < 10; ++i) QVERIFY(m_world->client().call("evm_mine", "[]").has_value());
        QVERIFY(read_until(watcher, [](const QJsonObject&) { return false; }, 2000));
        int actions = 0;
        for (const auto& line : m_lines) actions += line.contains(QStringLiteral("\"rule\":\"auto-top-up\""));
        QCOMPARE(actions, 2);
        watcher.terminate();
        QVERIFY(watcher.waitForFinished(10000));
        QCOMPARE(watcher.exitCode(), 0);
    }

    void anAutoTopUpHoldsWhileASecondEndpointSeesTheLoanHealthy()
    {
        const std::string loan = alice_dape_loan();
        QVERIFY(!loan.empty());
        const QString rules = write_rules("held.json", loan, "100");
        const QString key = write_alice_key();

        // A second node forked from the first, where DAPE's price doubles; the first mines an empty block to the same height.
        auto head = protocols::eth::block_number(m_world->client());
        QVERIFY(head.has_value());
        tests::AnvilNode fork("--fork-url " + m_world->url() + " --fork-block-number " + std::to_string(*head));
        QVERIFY2(fork.running(), fork.error().c_str());
        protocols::eth::RpcClientOptions fork_options;
        fork_options.urls = {fork.url()};
        protocols::eth::RpcClient fork_client(fork_options);
        protocols::devnet::detail::World fork_world(fork_client, m_dir.filePath(QStringLiteral("fork.jsonl")).toStdString());
        const Address oracle = m_world->contract("NFTOracle");
        const Address dape = m_world->contract("DAPE");
        const U256 price = m_world->read_u256(oracle, "getAssetPrice(address)", "[" + q(dape) + "]");
        auto raised = fork_world.call(m_world->actor("deployer"), oracle, "setAssetData(address,uint256)", "[" + q(dape) + ",\"" + (price * U256(2)).to_dec() + "\"]");
        QVERIFY2(raised.has_value(), raised ? "" : raised.error().message().c_str());
        QVERIFY(m_world->client().call("evm_mine", "[]").has_value());
        const double before = health_of(loan);
        QVERIFY(before < 1.2);

        QProcess watcher;
        start(watcher, {QStringLiteral("--rpc-url"), QString::fromStdString(fork.url()), QStringLiteral("--auto-top-up"), rules,
                        QStringLiteral("--private-key-file"), key, QStringLiteral("--journal"), m_dir.filePath(QStringLiteral("held.jsonl"))});
        QVERIFY(read_until(watcher, [](const QJsonObject& line) { return line.value(QStringLiteral("rule")).toString() == QStringLiteral("auto-top-up"); }, 30000));
        QVERIFY2(m_lines.last().contains(QStringLiteral("held")) && m_lines.last().contains(QStringLiteral("until the endpoints agree")), qPrintable(m_lines.last()));
        // The loan's alert is no more than a warning and says why; the node alert names the disagreement.
        bool warned = false, disagree = false;
        for (const auto& text : m_lines) {
            const auto line = QJsonDocument::fromJson(text.toUtf8()).object();
            if (line.value(QStringLiteral("id")).toString() == QStringLiteral("health:") + QString::fromStdString(loan)) {
                QCOMPARE(line.value(QStringLiteral("severity")).toString(), QStringLiteral("warning"));
                QCOMPARE(line.value(QStringLiteral("confirmation")).toString(), QStringLiteral("contradicted"));
                warned = true;
            }
            disagree |= line.value(QStringLiteral("id")).toString() == QStringLiteral("endpoints-disagree:node");
        }
        QVERIFY(warned);
        QVERIFY(disagree);
        // Five more polls: nothing is signed, and the hold is said once.
        QVERIFY(read_until(watcher, [](const QJsonObject&) { return false; }, 1500));
        int holds = 0;
        for (const auto& line : m_lines) holds += line.contains(QStringLiteral("\"rule\":\"auto-top-up\""));
        QCOMPARE(holds, 1);
        QCOMPARE(health_of(loan), before);
        watcher.terminate();
        QVERIFY(watcher.waitForFinished(10000));
        QCOMPARE(watcher.exitCode(), 0);
    }

    void aTakeProfitClosesItsPerpOnceAndADryRunDoesNot()
    {
        // alice's DAPE perp, and its mark as the monitor reads it.
        auto registry = protocols::positions::registry_from_json(protocols::devnet::manifest_to_json(m_world->manifest()));
        QVERIFY(registry.has_value());
        protocols::positions::Monitor monitor(m_world->client(), *registry, {m_world->address_of("alice")});
        QVERIFY(monitor.discover().has_value());
        auto snapshot = monitor.refresh();
        QVERIFY(snapshot.has_value());
        std::optional<protocols::positions::Position> perp;
        for (const auto& p : (*snapshot)->positions)
            if (p.key.protocol == protocols::positions::Protocol::Perp && p.collection == m_world->contract("DAPE")) perp = p;
        QVERIFY(perp && perp->size && perp->price);
        // A take-profit already crossed: at or below the mark for a long, at or above it for a short.
        const U256 one = *U256::parse_units("1", 18);
        const std::string level = (perp->size->negative ? *perp->price + one : *perp->price - one).format_units(18);
        QFile file(m_dir.filePath(QStringLiteral("triggers.json")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray::fromStdString(R"({"triggers": [{"position": ")" + perp->key.id() + R"(", "takeProfit": ")" + level + R"(", "maxSlippageBps": 200}]})"));
        file.close();
        const auto size = [&] {
            auto stored = m_world->read(perp->key.contract, "getPosition(address,address)", "[" + q(perp->key.market) + "," + q(perp->key.account) + "]",
                                        "(((int256),(uint256),(uint256),(int256),uint256,uint256))");
            return stored ? (*stored)[0][0][0].get<std::string>() : std::string("?");
        };
        const std::string before = size();
        const auto is_trigger = [](const QJsonObject& line) { return line.value(QStringLiteral("rule")).toString() == QStringLiteral("take-profit"); };
        {
            QProcess dry;
            start(dry, {QStringLiteral("--triggers"), file.fileName(), QStringLiteral("--dry-run")});
            QVERIFY(read_until(dry, is_trigger, 30000));
            QVERIFY2(m_lines.last().contains(QStringLiteral("dry run")), qPrintable(m_lines.last()));
            dry.terminate();
            QVERIFY(dry.waitForFinished(10000));
            QCOMPARE(size(), before);
        }
        QProcess watcher;
        start(watcher, {QStringLiteral("--triggers"), file.fileName(), QStringLiteral("--private-key-file"), write_alice_key(), QStringLiteral("--journal"),
                        m_dir.filePath(QStringLiteral("triggers.jsonl"))});
        QVERIFY(read_until(watcher, is_trigger, 30000));
        QVERIFY2(m_lines.last().contains(QStringLiteral("closed it")), qPrintable(m_lines.last()));
        QCOMPARE(size(), std::string("0"));
        // More blocks: nothing more is done for it.
        for (int i = 0; i < 5; ++i) QVERIFY(m_world->client().call("evm_mine", "[]").has_value());
        QVERIFY(read_until(watcher, [](const QJsonObject&) { return false; }, 1500));
        int actions = 0;
        for (const auto& line : m_lines) actions += line.contains(QStringLiteral("\"rule\":\"take-profit\""));
        QCOMPARE(actions, 1);
        watcher.terminate();
        QVERIFY(watcher.waitForFinished(10000));
        QCOMPARE(watcher.exitCode(), 0);
    }

    void badOptionsAreRefusedInWords()
    {
        QProcess watcher;
        QFile rules(m_dir.filePath(QStringLiteral("rules.json")));
        QVERIFY(rules.open(QIODevice::WriteOnly));
        rules.write(R"({"healthWarnng": "1.3"})");
        rules.close();
        start(watcher, {QStringLiteral("--rules"), rules.fileName()});
        QVERIFY(watcher.waitForFinished(10000));
        QCOMPARE(watcher.exitCode(), 2);
        QVERIFY(watcher.readAllStandardError().contains("unknown key \"healthWarnng\""));
        QProcess notify;
        start(notify, {QStringLiteral("--notify"), QStringLiteral("email")});
        QVERIFY(notify.waitForFinished(10000));
        QCOMPARE(notify.exitCode(), 2);
    }

private:
    void start(QProcess& process, QStringList extra)
    {
        m_lines.clear();
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("NFTTERM_DATA_DIR"), m_dir.filePath(QStringLiteral("data")));
        process.setProcessEnvironment(env);
        QStringList args{QStringLiteral("alerts"), QStringLiteral("--registry"), m_dir.filePath(QStringLiteral("manifest.json")),
                         QStringLiteral("--rpc-url"), QString::fromStdString(m_world->url()), QStringLiteral("--json"), QStringLiteral("--no-cache"),
                         QStringLiteral("--interval-ms"), QStringLiteral("100")};
        for (const char* who : {"alice", "bob", "carol"}) args << QStringLiteral("--account") << QString::fromStdString(m_world->address_of(who).to_hex());
        process.start(QStringLiteral(NFTTERM_CLI), args + extra);
        QVERIFY(process.waitForStarted());
    }

    /// The next line of JSON on stdout (kept in m_lines).
    std::optional<QJsonObject> next_line(QProcess& process, int timeout_ms = 30000)
    {
        while (!process.canReadLine())
            if (!process.waitForReadyRead(timeout_ms)) return std::nullopt;
        const QByteArray line = process.readLine().trimmed();
        m_lines << QString::fromUtf8(line);
        return QJsonDocument::fromJson(line).object();
    }

    /// Reads lines until `done` says so, or until none came for `quiet_ms` (then true: the burst is over).
    bool read_until(QProcess& process, const std::function<bool(const QJsonObject&)>& done, int quiet_ms)
    {
        while (auto line = next_line(process, quiet_ms))
            if (done(*line)) return true;
        // What the watcher said on stderr meanwhile, for a failure that follows.
        if (const QByteArray said = process.readAllStandardError(); !said.isEmpty()) qWarning("watcher: %s", said.constData());
        return process.state() == QProcess::Running;
    }

    /// DAPE's oracle price falls to `percent` %; returns the price before.
    U256 crash_dape(unsigned percent)
    {
        const Address oracle = m_world->contract("NFTOracle");
        const Address dape = m_world->contract("DAPE");
        const U256 price = m_world->read_u256(oracle, "getAssetPrice(address)", "[" + q(dape) + "]");
        const auto sent = m_world->send("deployer", oracle, "setAssetData(address,uint256)",
                                        "[" + q(dape) + ",\"" + (price / U256(100) * U256(percent)).to_dec() + "\"]");
        if (!sent) qWarning("%s", sent.error().message().c_str());
        return price;
    }

    /// An auto top-up rules file for `loan`: below 1.2, back to 1.5, at most 100 a top-up and `per_day` a day.
    QString write_rules(const char* name, const std::string& loan, const char* per_day)
    {
        QFile rules(m_dir.filePath(QString::fromLatin1(name)));
        if (!rules.open(QIODevice::WriteOnly)) return {};
        rules.write(QByteArray::fromStdString(R"({"positions": [{"position": ")" + loan + R"(", "trigger": "1.2", "target": "1.5", "maxPerAction": "100", "maxPerDay": ")" +
                                              per_day + R"("}]})"));
        return rules.fileName();
    }

    /// alice's key (anvil's published account 1) in a file, for --private-key-file.
    QString write_alice_key()
    {
        QFile key(m_dir.filePath(QStringLiteral("alice.key")));
        if (!key.open(QIODevice::WriteOnly)) return {};
        key.write("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d\n");
        return key.fileName();
    }

    /// alice's weakest active DAPE pool loan, as `positions --json` names it.
    std::string alice_dape_loan()
    {
        auto registry = protocols::positions::registry_from_json(protocols::devnet::manifest_to_json(m_world->manifest()));
        if (!registry) return {};
        protocols::positions::Monitor monitor(m_world->client(), *registry, {m_world->address_of("alice")});
        if (!monitor.discover()) return {};
        auto snapshot = monitor.refresh();
        if (!snapshot) return {};
        std::string id;
        U256 weakest = U256::max();
        for (const auto& p : (*snapshot)->positions)
            if (p.key.protocol == protocols::positions::Protocol::BendDao && p.state == protocols::positions::PositionState::Active &&
                p.collection == m_world->contract("DAPE") && *p.health_factor < weakest) {
                weakest = *p.health_factor;
                id = p.key.id();
            }
        return id;
    }

    /// The pool's own health factor of loan `id` (benddao:POOL:COLLECTION:TOKEN).
    double health_of(const std::string& id)
    {
        const auto parts = QString::fromStdString(id).split(u':');
        auto view = m_world->read(*Address::from_hex(parts[1].toStdString()), "getNftDebtData(address,uint256)",
                                  "[\"" + parts[2].toStdString() + "\",\"" + parts[3].toStdString() + "\"]",
                                  "(uint256,address,uint256,uint256,uint256,uint256)");
        return view ? U256::from_dec((*view)[5].get<std::string>())->native().convert_to<double>() / 1e18 : -1;
    }

    static QStringList exec_lines(const QString& file)
    {
        QFile in(file);
        if (!in.open(QIODevice::ReadOnly)) return {};
        QStringList out;
        for (const auto& line : in.readAll().split('\n'))
            if (!line.trimmed().isEmpty()) out << QString::fromUtf8(line.trimmed());
        return out;
    }

    std::unique_ptr<tests::DemoWorldFixture> m_world;
    QTemporaryDir m_dir;
    QStringList m_lines;
};

NFTTERM_TEST_GUILESS(CliAlertsTest)
#include "cli_alerts_test.moc"
