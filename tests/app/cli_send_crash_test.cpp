#include "../support/anvil_node.hpp"
#include "../support/rpc_options.hpp"
#include "../support/verify_ok.hpp"

#include <protocols/eth/tx/receipt_tracker.hpp>

#include <nlohmann/json.hpp>

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "../support/test_registry.hpp"

#include <csignal>
#include <random>
#include <set>

using namespace nftterm;
using namespace nftterm::protocols;
using nftterm::tests::AnvilNode;

/// A real `nftterm-cli send` killed with SIGKILL at random points: the journal
/// always opens, every transaction the node has is in it, one intent never
/// becomes two transactions, and what was signed before a crash still lands.
class CliSendCrashTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void killedSendsLoseNothingAndNeverPayTwice()
    {
        AnvilNode node;
        QVERIFY2(node.running(), node.error().c_str());
        QTemporaryDir dir;
        const QString key = dir.filePath(QStringLiteral("key"));
        {
            QFile file(key);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d\n");
        }
        const std::string journal_path = dir.filePath(QStringLiteral("transactions.jsonl")).toStdString();
        const QStringList args{QStringLiteral("send"), QStringLiteral("--rpc-url"), QString::fromStdString(node.url()),
                               QStringLiteral("--private-key-file"), key, QStringLiteral("--to"),
                               QStringLiteral("0x90F79bf6EB2c4f870365E785982E1f101E93b906"), QStringLiteral("--value"), QStringLiteral("1 gwei"),
                               QStringLiteral("--journal"), QString::fromStdString(journal_path)};

        // How long one whole send takes here: the kills land anywhere inside it.
        QElapsedTimer timer;
        timer.start();
        QCOMPARE(run(args, -1), 0);
        const int whole_ms = std::max<int>(20, static_cast<int>(timer.elapsed()));

        const unsigned seed = std::random_device{}();
        qInfo("seed %u, one send %d ms", seed, whole_ms);
        std::mt19937 random(seed);
        std::uniform_int_distribution<int> delay(0, whole_ms + whole_ms / 4);
        std::size_t entries = 1;
        for (int round = 0; round < 40; ++round) {
            run(args, delay(random));
            auto journal = eth::TxJournal::open(journal_path);
            QVERIFY2(journal.has_value(), journal ? "" : journal.error().message().c_str());
            const std::size_t now = (*journal)->entries().size();
            // One intent, at most one signed transaction.
            QVERIFY2(now <= entries + 1, qPrintable(QStringLiteral("round %1 (seed %2): %3 → %4 entries").arg(round).arg(seed).arg(entries).arg(now)));
            entries = now;
        }
        // One more whole send: it sends again whatever a crash left signed but unsent.
        QCOMPARE(run(args, -1), 0);

        auto journal = eth::TxJournal::open(journal_path);
        VERIFY_OK(journal);
        const auto recorded = (*journal)->entries();
        std::set<std::string> journaled;
        for (const auto& entry : recorded) journaled.insert(entry.hash.to_hex());

        // Every transaction the node ever got was written down first.
        std::size_t on_chain = 0;
        const auto head = std::stoull(nlohmann::json::parse(node.rpc("eth_blockNumber", "[]"))["result"].get<std::string>(), nullptr, 16);
        for (std::uint64_t number = 1; number <= head; ++number) {
            const auto block = nlohmann::json::parse(node.rpc("eth_getBlockByNumber", "[\"0x" + to_hex(number) + "\",false]"));
            for (const auto& hash : block["result"]["transactions"]) {
                ++on_chain;
                QVERIFY2(journaled.contains(hash.get<std::string>()), hash.get<std::string>().c_str());
            }
        }
        // And every one it wrote down landed, each with its own nonce: none was dropped for a reused nonce.
        eth::RpcClient client(tests::options_for(node.url()));
        eth::ReceiptTracker tracker(client, **journal);
        std::set<std::uint64_t> nonces;
        for (const auto& entry : recorded) {
            auto status = tracker.wait(entry.hash, {1, std::chrono::milliseconds(20), std::chrono::seconds(20), {}});
            VERIFY_OK(status);
            QCOMPARE(eth::to_string(status->state), std::string("mined"));
            nonces.insert(entry.nonce);
        }
        QCOMPARE(nonces.size(), recorded.size());
        QCOMPARE(on_chain, recorded.size());
        QCOMPARE(eth::get_transaction_count(client, recorded.front().from, eth::BlockTag::latest()).value(), std::uint64_t(recorded.size()));
    }

private:
    static std::string to_hex(std::uint64_t number)
    {
        char text[20];
        std::snprintf(text, sizeof text, "%llx", static_cast<unsigned long long>(number));
        return text;
    }

    /// Runs the CLI; with kill_after_ms ≥ 0 it is killed with SIGKILL that long after it starts.
    static int run(const QStringList& args, int kill_after_ms)
    {
        QProcess process;
        process.start(QStringLiteral(NFTTERM_CLI), args);
        if (!process.waitForStarted(10000)) return -1;
        if (kill_after_ms >= 0 && !process.waitForFinished(kill_after_ms)) {
            ::kill(static_cast<pid_t>(process.processId()), SIGKILL);
            process.waitForFinished(10000);
            return -9;
        }
        process.waitForFinished(60000);
        return process.exitCode();
    }
};

NFTTERM_TEST_GUILESS(CliSendCrashTest)
#include "cli_send_crash_test.moc"
