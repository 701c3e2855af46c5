#include "../support/anvil_node.hpp"
#include "../support/rpc_options.hpp"
#include "../support/devnet_contracts.hpp"
#include "../support/fault_server.hpp"
#include "../support/verify_ok.hpp"

#include <protocols/eth/tx/receipt_tracker.hpp>
#include <protocols/eth/tx/sender.hpp>
#include <protocols/eth/tx/tx_summary.hpp>

#include <nlohmann/json.hpp>

#include <QTemporaryDir>
#include <QTest>

#include "../support/test_registry.hpp"

// No digit separators in this file: moc (Qt 6.4) reads them as character literals.
#include <fstream>
#include <set>
#include <sys/stat.h>
#include <thread>

using namespace nftterm;
using namespace nftterm::protocols;
using nftterm::tests::AnvilNode;
using nftterm::tests::options_for;

namespace {

/// Everything a send needs, over one node and one journal file.
struct Rig {
    Rig(const std::string& url, const std::filesystem::path& journal_path, const char* key = tests::kDevKey0)
        : client(options_for(url)), signer(wallet::make_software_signer(tests::dev_key(key))), journal(std::move(*eth::TxJournal::open(journal_path))),
          nonces(client), sender(client, *signer, *journal, nonces), tracker(client, *journal)
    {
    }
    eth::RpcClient client;
    std::unique_ptr<wallet::Signer> signer;
    std::unique_ptr<eth::TxJournal> journal;
    eth::NonceManager nonces;
    eth::Sender sender;
    eth::ReceiptTracker tracker;
};

eth::SendRequest transfer(std::uint64_t wei)
{
    eth::SendRequest request;
    request.to = *wallet::Address::parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    request.value = wallet::U256(wei);
    return request;
}

}  // namespace

/// Fees, simulation, nonces, sending, replacement, receipts and the journal on a real anvil.
class SenderTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void feeSuggestionsFollowFeeHistory()
    {
        AnvilNode node;
        QVERIFY2(node.running(), node.error().c_str());
        eth::RpcClient client(options_for(node.url()));
        auto fees = eth::suggest_fees(client);
        VERIFY_OK(fees);
        QVERIFY(fees->eip1559);
        auto head = eth::get_block(client, eth::BlockTag::latest());
        VERIFY_OK(head);
        // The next block's base fee is the last one eth_feeHistory gives; empty
        // blocks pay no tips, so the tip falls back to the node's eth_maxPriorityFeePerGas.
        const auto history = nlohmann::json::parse(node.rpc("eth_feeHistory", R"(["0x14","latest",[10,50,90]])"));
        QCOMPARE(fees->next_base_fee, *wallet::U256::from_hex(history["result"]["baseFeePerGas"].back().get<std::string>()));
        const auto tip = nlohmann::json::parse(node.rpc("eth_maxPriorityFeePerGas", "[]"));
        QCOMPARE(fees->normal.max_priority_fee_per_gas, *wallet::U256::from_hex(tip["result"].get<std::string>()));
        QVERIFY(fees->slow.max_priority_fee_per_gas <= fees->normal.max_priority_fee_per_gas);
        QVERIFY(fees->normal.max_priority_fee_per_gas <= fees->fast.max_priority_fee_per_gas);
        for (const auto* tier : {&fees->slow, &fees->normal, &fees->fast}) {
            QVERIFY(tier->max_fee_per_gas > fees->next_base_fee);
            QVERIFY(tier->max_fee_per_gas >= tier->max_priority_fee_per_gas);
        }
        // Normal leaves room for the base fee to double.
        QVERIFY(fees->normal.max_fee_per_gas >= *wallet::U256::checked_mul(fees->next_base_fee, wallet::U256(2)));
    }

    void legacyNodeGetsGasPrices()
    {
        tests::FaultServer legacy([](const std::string& body) {
            const auto request = nlohmann::json::parse(body);
            nlohmann::json reply = {{"jsonrpc", "2.0"}, {"id", request["id"]}};
            if (request["method"] == "eth_chainId") reply["result"] = "0x7a69";
            else if (request["method"] == "eth_gasPrice") reply["result"] = "0x3b9aca00";
            else reply["error"] = {{"code", -32601}, {"message", "the method eth_feeHistory does not exist/is not available"}};
            return reply.dump();
        });
        eth::RpcClient client(options_for(legacy.url()));
        auto fees = eth::suggest_fees(client);
        VERIFY_OK(fees);
        QVERIFY(!fees->eip1559);
        QCOMPARE(fees->slow.gas_price, wallet::U256(1000000000));
        QCOMPARE(fees->normal.gas_price, wallet::U256(1125000000));
        QCOMPARE(fees->fast.gas_price, wallet::U256(1250000000));
    }

    void gasMarginAndBumpRules()
    {
        QCOMPARE(eth::with_gas_margin(21000), std::uint64_t(31000));
        QCOMPARE(eth::with_gas_margin(1000000), std::uint64_t(1200000));
        const eth::FeeSuggestion old{wallet::U256(100), wallet::U256(8), wallet::U256(0)};
        const auto bumped = eth::bump_fees(old, {wallet::U256(50), wallet::U256(1), wallet::U256(0)});
        QCOMPARE(bumped.max_fee_per_gas, wallet::U256(113));
        QCOMPARE(bumped.max_priority_fee_per_gas, wallet::U256(9));
        const auto market = eth::bump_fees(old, {wallet::U256(500), wallet::U256(20), wallet::U256(0)});
        QCOMPARE(market.max_fee_per_gas, wallet::U256(500));
        QCOMPARE(market.max_priority_fee_per_gas, wallet::U256(20));
    }

    void simulationStopsARevertBeforeSigning()
    {
        AnvilNode node;
        QVERIFY2(node.running(), node.error().c_str());
        QTemporaryDir dir;
        Rig rig(node.url(), dir.filePath(QStringLiteral("journal.jsonl")).toStdString());
        auto probe = tests::load_contract("test_contracts.json", "Probe.sol", "Probe");
        VERIFY_OK(probe);
        auto address = tests::deploy(rig.client, tests::dev_key(tests::kDevKey0), probe->bytecode);
        VERIFY_OK(address);
        auto nonce_before = eth::get_transaction_count(rig.client, rig.signer->address(), eth::BlockTag::pending());
        eth::SendRequest request;
        request.to = *address;
        request.data = tests::calldata("failWithCustomError()");
        request.custom_errors = probe->abi.errors();
        auto sent = rig.sender.send(request);
        QVERIFY(!sent);
        QCOMPARE(sent.error().code, Errc::Revert);
        QVERIFY2(sent.error().message().find("would revert") != std::string::npos, sent.error().message().c_str());
        QVERIFY2(sent.error().message().find("Undercollateralized") != std::string::npos, sent.error().message().c_str());
        QVERIFY(rig.journal->entries().empty());
        QCOMPARE(eth::get_transaction_count(rig.client, rig.signer->address(), eth::BlockTag::pending()).value(), nonce_before.value());
    }

    void concurrentSendsLandWithConsecutiveNonces()
    {
        AnvilNode node;
        QVERIFY2(node.running(), node.error().c_str());
        QTemporaryDir dir;
        Rig rig(node.url(), dir.filePath(QStringLiteral("journal.jsonl")).toStdString());
        constexpr int kPerThread = 8;
        std::vector<wallet::TxHash> hashes[2];
        std::vector<std::string> errors[2];
        std::vector<std::thread> threads;
        for (int t = 0; t < 2; ++t)
            threads.emplace_back([&, t] {
                for (int i = 0; i < kPerThread; ++i) {
                    auto sent = rig.sender.send(transfer(1000 + std::uint64_t(t) * 100 + std::uint64_t(i)));
                    if (sent) hashes[t].push_back(sent->signed_tx.hash);
                    else errors[t].push_back(sent.error().message());
                }
            });
        for (auto& thread : threads) thread.join();
        for (const auto& list : errors)
            for (const auto& error : list) QFAIL(error.c_str());
        std::set<std::uint64_t> nonces;
        for (const auto& list : hashes)
            for (const auto& hash : list) {
                auto status = rig.tracker.wait(hash, {1, std::chrono::milliseconds(20), std::chrono::seconds(20), {}});
                VERIFY_OK(status);
                QCOMPARE(to_string(status->state), std::string("mined"));
                nonces.insert(rig.journal->find(hash)->nonce);
            }
        QCOMPARE(nonces.size(), std::size_t(2 * kPerThread));
        QCOMPARE(*nonces.begin(), std::uint64_t(0));
        QCOMPARE(*nonces.rbegin(), std::uint64_t(2 * kPerThread - 1));
        QCOMPARE(eth::get_transaction_count(rig.client, rig.signer->address(), eth::BlockTag::latest()).value(),
                 std::uint64_t(2 * kPerThread));
    }

    void speedUpReplacesAStuckTransaction()
    {
        AnvilNode node("--no-mining");
        QVERIFY2(node.running(), node.error().c_str());
        QTemporaryDir dir;
        Rig rig(node.url(), dir.filePath(QStringLiteral("journal.jsonl")).toStdString());
        auto stuck = rig.sender.send(transfer(12345));
        VERIFY_OK(stuck);
        QVERIFY(stuck->accepted);
        auto first = rig.tracker.check(stuck->signed_tx.hash);
        VERIFY_OK(first);
        QCOMPARE(to_string(first->state), std::string("pending"));

        auto faster = rig.sender.speed_up(stuck->signed_tx.hash);
        VERIFY_OK(faster);
        QCOMPARE(faster->signed_tx.tx.nonce, stuck->signed_tx.tx.nonce);
        QVERIFY(faster->signed_tx.tx.max_fee_per_gas > stuck->signed_tx.tx.max_fee_per_gas);
        QVERIFY(faster->signed_tx.tx.max_priority_fee_per_gas > stuck->signed_tx.tx.max_priority_fee_per_gas);
        QCOMPARE(faster->signed_tx.tx.value, stuck->signed_tx.tx.value);
        node.rpc("anvil_mine", R"(["0x1"])");

        auto replacement = rig.tracker.check(faster->signed_tx.hash);
        VERIFY_OK(replacement);
        QCOMPARE(to_string(replacement->state), std::string("mined"));
        auto original = rig.tracker.check(stuck->signed_tx.hash);
        VERIFY_OK(original);
        QCOMPARE(to_string(original->state), std::string("replaced"));
        QCOMPARE(original->replaced_by, std::optional<wallet::TxHash>(faster->signed_tx.hash));
        QCOMPARE(rig.journal->find(faster->signed_tx.hash)->replaces, std::optional<wallet::TxHash>(stuck->signed_tx.hash));
        // A final transaction cannot be replaced again.
        QVERIFY(!rig.sender.speed_up(stuck->signed_tx.hash));
    }

    void cancelSendsNothingToOneself()
    {
        AnvilNode node("--no-mining");
        QVERIFY2(node.running(), node.error().c_str());
        QTemporaryDir dir;
        Rig rig(node.url(), dir.filePath(QStringLiteral("journal.jsonl")).toStdString());
        auto stuck = rig.sender.send(transfer(1000000000000000000ULL));
        VERIFY_OK(stuck);
        auto cancel = rig.sender.cancel(stuck->signed_tx.hash);
        VERIFY_OK(cancel);
        QCOMPARE(cancel->signed_tx.tx.to, std::optional<wallet::Address>(rig.signer->address()));
        QVERIFY(cancel->signed_tx.tx.value.is_zero());
        node.rpc("anvil_mine", R"(["0x1"])");
        auto status = rig.tracker.check(stuck->signed_tx.hash);
        VERIFY_OK(status);
        QCOMPARE(to_string(status->state), std::string("replaced"));
        auto balance = eth::get_balance(rig.client, *wallet::Address::parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"), eth::BlockTag::latest());
        QCOMPARE(balance->to_dec(), std::string("10000000000000000000000"));
    }

    void aRefusalAfterAnUnansweredSendIsUnknownNotDropped()
    {
        AnvilNode node;
        QVERIFY2(node.running(), node.error().c_str());
        // Endpoint A passes the signed bytes to the node (which mines them) and answers too late.
        auto upstream = std::make_shared<std::unique_ptr<eth::Transport>>();
        tests::FaultServer late([url = node.url(), upstream](const std::string& body) {
            if (!*upstream) *upstream = eth::make_http_transport(url);
            auto answer = (*upstream)->post(body);
            if (body.find("eth_sendRawTransaction") != std::string::npos) std::this_thread::sleep_for(std::chrono::milliseconds(1500));
            return answer ? answer->body : std::string("{}");
        });
        // Endpoint B is another node that has not seen it yet: it refuses the nonce and does not know the hash.
        auto lagging_upstream = std::make_shared<std::unique_ptr<eth::Transport>>();
        tests::FaultServer lagging([url = node.url(), lagging_upstream](const std::string& body) {
            const auto request = nlohmann::json::parse(body);
            if (request["method"] == "eth_sendRawTransaction")
                return nlohmann::json{{"jsonrpc", "2.0"}, {"id", request["id"]}, {"error", {{"code", -32003}, {"message", "nonce too low"}}}}.dump();
            if (request["method"] == "eth_getTransactionByHash") return nlohmann::json{{"jsonrpc", "2.0"}, {"id", request["id"]}, {"result", nullptr}}.dump();
            if (!*lagging_upstream) *lagging_upstream = eth::make_http_transport(url);
            auto answer = (*lagging_upstream)->post(body);
            return answer ? answer->body : std::string("{}");
        });
        eth::RpcClientOptions options;
        options.urls = {late.url(), lagging.url()};
        options.transport.total_timeout = std::chrono::milliseconds(700);
        QTemporaryDir dir;
        auto journal = eth::TxJournal::open(dir.filePath(QStringLiteral("journal.jsonl")).toStdString());
        VERIFY_OK(journal);
        eth::RpcClient client(options);
        auto signer = wallet::make_software_signer(tests::dev_key(tests::kDevKey0));
        eth::NonceManager nonces(client);
        eth::Sender sender(client, *signer, **journal, nonces);
        auto sent = sender.send(transfer(4242));
        VERIFY_OK(sent);
        QVERIFY(!sent->accepted);
        QVERIFY2(sent->warning.find("may still be mined") != std::string::npos, sent->warning.c_str());
        QCOMPARE(to_string((*journal)->find(sent->signed_tx.hash)->state), std::string("signed"));
        // Settled by the receipt on the node: it was mined, not dropped.
        eth::RpcClient direct(options_for(node.url()));
        eth::ReceiptTracker tracker(direct, **journal);
        auto status = tracker.check(sent->signed_tx.hash);
        VERIFY_OK(status);
        QCOMPARE(to_string(status->state), std::string("mined"));
        QCOMPARE(to_string((*journal)->find(sent->signed_tx.hash)->state), std::string("mined"));

        // When the refusing endpoint does have these very bytes, the send counts as accepted.
        eth::RpcClientOptions both;
        both.urls = {late.url(), node.url()};
        both.transport.total_timeout = std::chrono::milliseconds(700);
        eth::RpcClient second(both);
        eth::NonceManager second_nonces(second);
        eth::Sender second_sender(second, *signer, **journal, second_nonces);
        auto next = second_sender.send(transfer(4343));
        VERIFY_OK(next);
        QVERIFY(next->accepted);
        QCOMPARE(next->signed_tx.tx.nonce, sent->signed_tx.tx.nonce + 1);
        QCOMPARE(to_string((*journal)->find(next->signed_tx.hash)->state), std::string("pending"));
    }

    void aJournalFailureAfterTheBroadcastSaysItWasSent()
    {
        AnvilNode node;
        QVERIFY2(node.running(), node.error().c_str());
        QTemporaryDir dir;
        const std::string journal_path = dir.filePath(QStringLiteral("journal.jsonl")).toStdString();
        // The disk goes away while the node takes the transaction: the journal cannot note "pending".
        auto upstream = std::make_shared<std::unique_ptr<eth::Transport>>();
        tests::FaultServer node_then_disk_gone([url = node.url(), upstream, journal_path](const std::string& body) {
            if (!*upstream) *upstream = eth::make_http_transport(url);
            if (body.find("eth_sendRawTransaction") != std::string::npos) {
                std::filesystem::rename(journal_path, journal_path + ".moved");
                std::filesystem::create_directory(journal_path);
            }
            auto answer = (*upstream)->post(body);
            return answer ? answer->body : std::string("{}");
        });
        auto journal = eth::TxJournal::open(journal_path);
        VERIFY_OK(journal);
        eth::RpcClient client(options_for(node_then_disk_gone.url()));
        auto signer = wallet::make_software_signer(tests::dev_key(tests::kDevKey0));
        eth::NonceManager nonces(client);
        eth::Sender sender(client, *signer, **journal, nonces);
        auto sent = sender.send(transfer(777));
        // Not "not sent": it went out, with its hash, and the warning says what failed.
        VERIFY_OK(sent);
        QVERIFY(sent->accepted);
        QVERIFY2(sent->warning.find("sent, but the journal could not note it") != std::string::npos, sent->warning.c_str());
        eth::RpcClient direct(options_for(node.url()));
        auto receipt = eth::get_receipt(direct, sent->signed_tx.hash);
        VERIFY_OK(receipt);
        QVERIFY(receipt->has_value());
        // The journal written before the broadcast still has it.
        auto kept = eth::TxJournal::open(journal_path + ".moved");
        VERIFY_OK(kept);
        QVERIFY((*kept)->find(sent->signed_tx.hash).has_value());
    }

    void feesAndChainAreBoundedBeforeAnythingIsSigned()
    {
        AnvilNode node;
        QVERIFY2(node.running(), node.error().c_str());
        QTemporaryDir dir;
        auto journal = eth::TxJournal::open(dir.filePath(QStringLiteral("journal.jsonl")).toStdString());
        VERIFY_OK(journal);
        eth::RpcClient client(options_for(node.url()));
        auto signer = wallet::make_software_signer(tests::dev_key(tests::kDevKey0));
        eth::NonceManager nonces(client);
        // A node that asks 5,000 gwei per gas (base fee pushed up as a hostile node would report it).
        node.rpc("anvil_setNextBlockBaseFeePerGas", R"(["0x48c27395000"])");
        node.rpc("anvil_mine", R"(["0x1"])");
        eth::SendPolicy low;
        low.ceiling.max_fee_per_gas = wallet::U256(100) * wallet::U256(1000000000);
        eth::Sender bounded(client, *signer, **journal, nonces, low);
        auto refused = bounded.send(transfer(1));
        QVERIFY(!refused);
        QVERIFY2(refused.error().message().find("above your ceiling of 100 gwei") != std::string::npos, refused.error().message().c_str());
        // The total: 21,000 gas at a high but allowed price, over a small total ceiling.
        eth::SendPolicy small_total;
        small_total.ceiling.max_fee_per_gas = wallet::U256(100000) * wallet::U256(1000000000);
        small_total.ceiling.max_total_fee = wallet::U256(1000000000000000ULL);  // 0.001 ETH
        eth::Sender capped(client, *signer, **journal, nonces, small_total);
        auto too_dear = capped.send(transfer(1));
        QVERIFY(!too_dear);
        QVERIFY2(too_dear.error().message().find("per transaction") != std::string::npos, too_dear.error().message().c_str());
        // Another chain than the one the user meant.
        eth::SendPolicy mainnet;
        mainnet.chain_id = 1;
        eth::Sender wrong_chain(client, *signer, **journal, nonces, mainnet);
        auto other_chain = wrong_chain.send(transfer(1));
        QVERIFY(!other_chain);
        QCOMPARE(other_chain.error().code, Errc::ChainId);
        // A gas estimate beyond the plan's own bound.
        eth::Sender sender(client, *signer, **journal, nonces);
        auto request = transfer(1);
        request.gas_bound = 20000;
        auto greedy = sender.send(request);
        QVERIFY(!greedy);
        QVERIFY2(greedy.error().message().find("far above") != std::string::npos, greedy.error().message().c_str());
        // Nothing was signed, and the nonce is untouched.
        QVERIFY((*journal)->entries().empty());
        QCOMPARE(eth::get_transaction_count(client, signer->address(), eth::BlockTag::pending()).value(), std::uint64_t(0));
    }

    void aDeclinedConfirmationSignsNothing()
    {
        AnvilNode node;
        QVERIFY2(node.running(), node.error().c_str());
        QTemporaryDir dir;
        Rig rig(node.url(), dir.filePath(QStringLiteral("journal.jsonl")).toStdString());
        std::string shown;
        rig.sender.set_confirmation([&](const wallet::Transaction& tx, const std::string& label) {
            shown = eth::signing_summary(tx, rig.signer->address(), label);
            return false;
        });
        auto request = transfer(1234500000000000000ULL);
        request.label = "pay bob";
        auto declined = rig.sender.send(request);
        QVERIFY(!declined);
        QVERIFY2(declined.error().message().find("nothing was signed") != std::string::npos, declined.error().message().c_str());
        QVERIFY(rig.journal->entries().empty());
        // What was shown is the transaction as it would have been signed.
        for (const char* part : {"pay bob", "31337", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "1.2345 ETH", "nonce       0", "gas limit   31000"})
            QVERIFY2(shown.find(part) != std::string::npos, (std::string(part) + " not in:\n" + shown).c_str());
        // The nonce was given back: accepted, the next one signs with nonce 0.
        rig.sender.set_confirmation([](const wallet::Transaction&, const std::string&) { return true; });
        auto sent = rig.sender.send(request);
        VERIFY_OK(sent);
        QCOMPARE(sent->signed_tx.tx.nonce, std::uint64_t(0));
    }

    void journalSurvivesARestart()
    {
        AnvilNode node("--no-mining");
        QVERIFY2(node.running(), node.error().c_str());
        QTemporaryDir dir;
        const auto path = dir.filePath(QStringLiteral("journal.jsonl")).toStdString();
        wallet::TxHash hash;
        {
            Rig rig(node.url(), path);
            auto request = transfer(777);
            request.label = "top-up loan #12";
            auto sent = rig.sender.send(request);
            VERIFY_OK(sent);
            hash = sent->signed_tx.hash;
        }
        struct stat info {};
        QCOMPARE(::stat(path.c_str(), &info), 0);
        QCOMPARE(info.st_mode & 0777, 0600u);
        // The node forgets its pool too (as after a node restart): the journal still has the bytes.
        node.rpc("anvil_dropAllTransactions", "[]");
        Rig restarted(node.url(), path);
        auto unfinished = restarted.journal->unfinished();
        QCOMPARE(unfinished.size(), std::size_t(1));
        QCOMPARE(unfinished.front().hash, hash);
        QCOMPARE(unfinished.front().label, std::string("top-up loan #12"));
        auto status = restarted.tracker.check(hash);
        VERIFY_OK(status);
        QCOMPARE(to_string(status->state), std::string("pending"));
        node.rpc("anvil_mine", R"(["0x1"])");
        status = restarted.tracker.check(hash);
        VERIFY_OK(status);
        QCOMPARE(to_string(status->state), std::string("mined"));
        QCOMPARE(eth::TxJournal::open(path).value()->find(hash)->state, eth::TxState::Mined);
    }

    void revertOnChainIsReportedWithItsReason()
    {
        AnvilNode node;
        QVERIFY2(node.running(), node.error().c_str());
        QTemporaryDir dir;
        Rig rig(node.url(), dir.filePath(QStringLiteral("journal.jsonl")).toStdString());
        auto probe = tests::load_contract("test_contracts.json", "Probe.sol", "Probe");
        auto address = tests::deploy(rig.client, tests::dev_key(tests::kDevKey0), probe->bytecode);
        VERIFY_OK(address);
        eth::SendRequest request;
        request.to = *address;
        request.data = tests::calldata("failWithMessage()");
        request.simulate = false;
        request.gas_limit = 100000;
        auto sent = rig.sender.send(request);
        VERIFY_OK(sent);
        auto status = rig.tracker.wait(sent->signed_tx.hash, {1, std::chrono::milliseconds(20), std::chrono::seconds(20), {}});
        VERIFY_OK(status);
        QCOMPARE(to_string(status->state), std::string("reverted"));
        QVERIFY2(status->reason.find("loan is not active") != std::string::npos, status->reason.c_str());
        QCOMPARE(rig.journal->find(sent->signed_tx.hash)->state, eth::TxState::Reverted);
    }

    void corruptJournalIsRefusedAndKept()
    {
        QTemporaryDir dir;
        const auto path = dir.filePath(QStringLiteral("journal.jsonl")).toStdString();
        {
            std::ofstream out(path);
            out << "{\"record\":\"state\",\"hash\":\"0x00\",\"state\":\"mined\"}\n";
        }
        auto journal = eth::TxJournal::open(path);
        QVERIFY(!journal);
        QCOMPARE(journal.error().code, Errc::Io);
        QVERIFY2(journal.error().message().find("line 1") != std::string::npos, journal.error().message().c_str());
        std::ifstream in(path);
        std::string kept((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        QVERIFY(kept.find("\"mined\"") != std::string::npos);
        // A torn last line (a crash mid-write) is not an error.
        {
            std::ofstream out(path, std::ios::trunc);
            out << "{\"record\":\"signed\",\"hash\":\"0x";
        }
        QVERIFY(eth::TxJournal::open(path).has_value());
    }
};

NFTTERM_TEST_APPLESS(SenderTest)
#include "sender_test.moc"
