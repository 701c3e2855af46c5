#include "../support/anvil_node.hpp"
#include "../support/verify_ok.hpp"
#include "../support/devnet_contracts.hpp"
#include "../support/forwarding_proxy.hpp"

#include <protocols/eth/abi/abi_json.hpp>
#include <protocols/eth/abi/revert_reason.hpp>
#include <protocols/eth/multicall.hpp>
#include <protocols/eth/rpc/transport.hpp>
#include <wallet/crypto/hashes.hpp>

#include <QTest>

#include "../support/test_registry.hpp"

using namespace nftterm;
using namespace nftterm::protocols;
using nftterm::tests::AnvilNode;


namespace {

wallet::U256 word(const wallet::Bytes& data)
{
    return *wallet::U256::from_be(data);
}

}  // namespace

/// eth_call, Multicall3, revert reasons and logs against contracts on a real anvil.
class ChainReadsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        m_node = std::make_unique<AnvilNode>();
        QVERIFY2(m_node->running(), m_node->error().c_str());
        eth::RpcClientOptions options;
        options.urls = {m_node->url()};
        m_client = std::make_unique<eth::RpcClient>(options);
        VERIFY_OK(tests::install_multicall3(*m_client));
        auto probe = tests::load_contract("test_contracts.json", "Probe.sol", "Probe");
        VERIFY_OK(probe);
        m_probe_abi = probe->abi;
        auto address = tests::deploy(*m_client, m_key, probe->bytecode);
        VERIFY_OK(address);
        m_probe = *address;
    }
    void cleanupTestCase()
    {
        m_client.reset();
        m_node.reset();
    }

    void multicallOf1000ReadsIsOneRequest()
    {
        std::vector<eth::ReadCall> calls;
        for (int i = 0; i < 1000; ++i) {
            if (i % 100 == 99) calls.push_back({m_probe, tests::calldata("failWithMessage()"), true});
            else calls.push_back({m_probe, tests::calldata("valueTimesTwo(uint256)", "[" + std::to_string(i) + "]"), true});
        }
        eth::MulticallStats stats;
        auto results = eth::multicall(*m_client, calls, eth::BlockTag::latest(), {}, &stats);
        VERIFY_OK(results);
        QCOMPARE(results->size(), std::size_t(1000));
        QCOMPARE(stats.http_requests, std::size_t(1));
        QCOMPARE(stats.chunks, std::size_t(1));
        for (int i = 0; i < 1000; ++i) {
            const auto& result = (*results)[static_cast<std::size_t>(i)];
            if (i % 100 == 99) {
                QVERIFY(!result.success);
                QCOMPARE(abi::describe_revert(result.return_data), std::string("loan is not active"));
            } else {
                QVERIFY(result.success);
                QCOMPARE(word(result.return_data), wallet::U256(std::uint64_t(2 * i)));
            }
        }
    }

    void chunksByCountStillGoInOneBatch()
    {
        std::vector<eth::ReadCall> calls;
        for (int i = 0; i < 1000; ++i)
            calls.push_back({m_probe, tests::calldata("valueTimesTwo(uint256)", "[" + std::to_string(i) + "]"), true});
        eth::MulticallOptions options;
        options.max_calls_per_chunk = 300;
        eth::MulticallStats stats;
        auto results = eth::multicall(*m_client, calls, eth::BlockTag::latest(), options, &stats);
        VERIFY_OK(results);
        QCOMPARE(stats.chunks, std::size_t(4));
        QCOMPARE(stats.http_requests, std::size_t(1));
        for (int i = 0; i < 1000; ++i) QCOMPARE(word((*results)[std::size_t(i)].return_data), wallet::U256(std::uint64_t(2 * i)));
    }

    void chunkOverTheGasCapIsHalved()
    {
        std::vector<eth::ReadCall> calls;
        for (int i = 0; i < 400; ++i)
            calls.push_back({m_probe, tests::calldata("valueTimesTwo(uint256)", "[" + std::to_string(i) + "]"), true});
        eth::MulticallOptions options;
        options.gas_per_chunk = 400'000;
        eth::MulticallStats stats;
        auto results = eth::multicall(*m_client, calls, eth::BlockTag::latest(), options, &stats);
        VERIFY_OK(results);
        QVERIFY2(stats.http_requests > 1, std::to_string(stats.http_requests).c_str());
        for (int i = 0; i < 400; ++i) {
            QVERIFY((*results)[std::size_t(i)].success);
            QCOMPARE(word((*results)[std::size_t(i)].return_data), wallet::U256(std::uint64_t(2 * i)));
        }
    }

    void chunkWhoseMemoryOutgrowsItsGasIsHalved()
    {
        // 2000 answers of 4 KiB: the aggregate's memory alone costs more than the chunk's 30M gas (revm: MemoryOOG, as the positions bench met at 10,000 positions).
        std::vector<eth::ReadCall> calls;
        for (int i = 0; i < 2000; ++i)
            calls.push_back({m_probe, tests::calldata("bigReturn(uint256,uint8)", "[\"4096\",\"" + std::to_string(i % 256) + "\"]"), true});
        eth::MulticallOptions options;
        options.gas_per_chunk = 30'000'000;
        eth::MulticallStats stats;
        auto results = eth::multicall(*m_client, calls, eth::BlockTag::latest(), options, &stats);
        VERIFY_OK(results);
        QVERIFY2(stats.out_of_gas_chunks > 0, "the first chunk ran out of gas in memory");
        for (int i = 0; i < 2000; ++i) {
            const auto& result = (*results)[std::size_t(i)];
            QVERIFY(result.success);
            // ABI bytes: offset, length, then the 4096 bytes, whose first is the call's own fill.
            QCOMPARE(result.return_data.size(), std::size_t(64 + 4096));
            QCOMPARE(int(result.return_data[64]), i % 256);
        }
    }

    void aCallThatMustNotFailRevertsTheBatch()
    {
        auto results = eth::multicall(*m_client, {{m_probe, tests::calldata("failWithMessage()"), false}}, eth::BlockTag::latest());
        QVERIFY(!results);
        QCOMPARE(results.error().code, Errc::Revert);
        QVERIFY2(results.error().message().find("Multicall3: call failed") != std::string::npos, results.error().message().c_str());
    }

    void headAndReadsGoInOneRequest()
    {
        // Two chunks and the head in one HTTP request; each chunk says which block it ran on.
        std::vector<eth::ReadCall> calls;
        for (int i = 0; i < 10; ++i) calls.push_back({m_probe, tests::calldata("valueTimesTwo(uint256)", "[" + std::to_string(i) + "]"), true});
        calls.push_back({eth::multicall3_address(), tests::calldata("getBlockNumber()"), false});
        eth::MulticallOptions options;
        options.block_identity = true;
        options.max_calls_per_chunk = 6;
        eth::MulticallStats stats;
        auto read = eth::PreparedReads(calls, options).run_at_head(*m_client, &stats);
        VERIFY_OK(read);
        QCOMPARE(stats.http_requests, std::size_t(1));
        QCOMPARE(stats.chunks, std::size_t(2));
        QCOMPARE(stats.head_moved, std::size_t(0));
        QCOMPARE(read->results.size(), calls.size());  // the identity reads are not among the results
        for (int i = 0; i < 10; ++i) QCOMPARE(word(read->results[std::size_t(i)].return_data), wallet::U256(std::uint64_t(2 * i)));
        QCOMPARE(word(read->results.back().return_data), wallet::U256(read->block.number));
        auto latest = eth::get_block(*m_client, eth::BlockTag::latest());
        VERIFY_OK(latest);
        QCOMPARE(read->block.hash.to_hex(), latest->hash.to_hex());
    }

    void readsThatSawAnotherBlockGoAgainPinned()
    {
        // A proxy mines a block before each request of reads (not the head's): the head and the
        // chunks, each in a request of its own, cannot all see one block.
        const std::string upstream = m_node->url();
        auto miner = eth::make_http_transport(upstream);
        auto proxy = tests::forwarding_proxy(upstream, [&](const std::string& body) {
            if (body.find("eth_call") != std::string::npos) (void)miner->post(R"({"jsonrpc":"2.0","id":1,"method":"evm_mine","params":[]})");
        });
        eth::RpcClientOptions client_options;
        client_options.urls = {proxy->url()};
        eth::RpcClient client(client_options);
        std::vector<eth::ReadCall> calls;
        for (int i = 0; i < 4; ++i) calls.push_back({eth::multicall3_address(), tests::calldata("getBlockNumber()"), false});
        eth::MulticallOptions options;
        options.block_identity = true;
        options.max_calls_per_chunk = 2;
        options.max_request_bytes = 1;  // each chunk a request of its own
        eth::MulticallStats stats;
        auto read = eth::PreparedReads(calls, options).run_at_head(client, &stats);
        VERIFY_OK(read);
        QCOMPARE(stats.head_moved, std::size_t(1));
        // What comes back is one block's, and the block it names.
        for (const auto& result : read->results) QCOMPARE(word(result.return_data), wallet::U256(read->block.number));
    }

    void readsArePinnedToOneBlock()
    {
        const std::vector<eth::ReadCall> calls = {{m_probe, tests::calldata("counter()"), false},
                                                  {eth::multicall3_address(), tests::calldata("getBlockNumber()"), false}};
        auto before = eth::read_at_head(*m_client, calls);
        VERIFY_OK(before);
        QCOMPARE(word(before->results[1].return_data), wallet::U256(before->block.number));
        const auto counter = word(before->results[0].return_data);

        VERIFY_OK(tests::send_and_wait(*m_client, m_key, m_probe, tests::calldata("store(uint256,uint256,string)", R"(["1","2","x"])")));
        auto after = eth::read_at_head(*m_client, calls);
        VERIFY_OK(after);
        QVERIFY(after->block.number > before->block.number);
        QCOMPARE(word(after->results[0].return_data).to_dec(), wallet::U256::checked_add(counter, wallet::U256(1))->to_dec());
        // The old block, by hash, still shows the old state.
        auto old = eth::multicall(*m_client, calls, eth::BlockTag::hash(before->block.hash));
        VERIFY_OK(old);
        QCOMPARE(word((*old)[0].return_data), counter);
        QCOMPARE(word((*old)[1].return_data), wallet::U256(before->block.number));
    }

    void revertReasonsOfEveryKind_data()
    {
        QTest::addColumn<QString>("signature");
        QTest::addColumn<QString>("args");
        QTest::addColumn<QString>("reason");
        QTest::newRow("Error(string)") << "failWithMessage()" << "[]" << "loan is not active";
        QTest::newRow("custom error") << "failWithCustomError()" << "[]"
                                      << R"(Undercollateralized("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266","5000000000000000000","3000000000000000000"))";
        QTest::newRow("no reason") << "failWithoutReason()" << "[]" << "reverted without a reason";
        QTest::newRow("Panic 0x12") << "failDividing(uint256)" << "[0]" << "panic: division or modulo by zero (0x12)";
        QTest::newRow("Panic 0x11") << "failOverflowing(uint256)" << "[1]" << "panic: arithmetic overflow or underflow (0x11)";
        QTest::newRow("Panic 0x01") << "failAssert()" << "[]" << "panic: assertion failed (0x1)";
    }

    void revertReasonsOfEveryKind()
    {
        QFETCH(QString, signature);
        QFETCH(QString, args);
        QFETCH(QString, reason);
        eth::CallRequest request;
        request.from = wallet::address_of(wallet::public_key_of(m_key));
        request.to = m_probe;
        request.data = tests::calldata(signature.toStdString(), args.toStdString());
        auto result = eth::call(*m_client, request, eth::BlockTag::latest(), m_probe_abi.errors());
        QVERIFY(!result);
        QCOMPARE(result.error().code, Errc::Revert);
        QVERIFY2(result.error().message().find(reason.toStdString()) != std::string::npos, result.error().message().c_str());
        auto estimate = eth::estimate_gas(*m_client, request, m_probe_abi.errors());
        QVERIFY(!estimate);
        QCOMPARE(estimate.error().code, Errc::Revert);
        QVERIFY2(estimate.error().message().find(reason.toStdString()) != std::string::npos, estimate.error().message().c_str());
    }

    void logsDecodeIndexedAndDataFields()
    {
        auto receipt = tests::send_and_wait(*m_client, m_key, m_probe,
                                            tests::calldata("tag(string,bytes32,int64,bytes)",
                                                            R"(["margin call","0x00000000000000000000000000000000000000000000000000000000000000aa","-42","0xbeef"])"));
        VERIFY_OK(receipt);
        QCOMPARE(receipt->logs.size(), std::size_t(1));
        const auto& log = receipt->logs.front();
        const auto* event = m_probe_abi.event_by_topic(log.topics.at(0));
        QVERIFY(event);
        QCOMPARE(event->name, std::string("Tagged"));
        auto values = abi::decode_log(*event, log.topics, log.data);
        VERIFY_OK(values);
        const std::string label = "margin call";
        const auto label_hash = wallet::keccak256({reinterpret_cast<const std::uint8_t*>(label.data()), label.size()});
        QCOMPARE(std::get<wallet::Bytes>((*values)[0].data), wallet::Bytes(label_hash.view().begin(), label_hash.view().end()));
        QCOMPARE(std::get<wallet::Bytes>((*values)[1].data).back(), std::uint8_t(0xaa));
        QCOMPARE(std::get<abi::SignedInt>((*values)[2].data), (abi::SignedInt{true, wallet::U256(42)}));
        QCOMPARE(std::get<wallet::Bytes>((*values)[3].data), (wallet::Bytes{0xbe, 0xef}));

        // The same log through eth_getLogs, filtered by topic.
        eth::LogFilter filter;
        filter.addresses = {m_probe};
        filter.topics = {{event->topic()}};
        auto logs = eth::get_logs(*m_client, filter);
        VERIFY_OK(logs);
        QCOMPARE(logs->size(), std::size_t(1));
        QCOMPARE(logs->front().transaction_hash, receipt->transaction_hash);
        QCOMPARE(logs->front().data, log.data);
    }

    void storedEventCarriesTheSender()
    {
        auto receipt = tests::send_and_wait(*m_client, m_key, m_probe, tests::calldata("store(uint256,uint256,string)", R"(["7","99","top-up"])"));
        VERIFY_OK(receipt);
        const auto* event = m_probe_abi.event("Stored");
        QVERIFY(event);
        auto values = abi::decode_log(*event, receipt->logs.at(0).topics, receipt->logs.at(0).data);
        VERIFY_OK(values);
        QCOMPARE(std::get<wallet::Address>((*values)[0].data), wallet::address_of(wallet::public_key_of(m_key)));
        QCOMPARE(std::get<wallet::U256>((*values)[1].data), wallet::U256(7));
        QCOMPARE(std::get<wallet::U256>((*values)[2].data), wallet::U256(99));
        QCOMPARE(std::get<std::string>((*values)[3].data), std::string("top-up"));
        // A log of another event, or with a topic missing, is refused.
        QVERIFY(!abi::decode_log(*m_probe_abi.event("Tagged"), receipt->logs.at(0).topics, receipt->logs.at(0).data));
        auto short_topics = receipt->logs.at(0).topics;
        short_topics.pop_back();
        QVERIFY(!abi::decode_log(*event, short_topics, receipt->logs.at(0).data));
    }

    void eventSignaturesGiveThePublishedTopics()
    {
        // ERC-20/721 Transfer and ApprovalForAll topic0, as published.
        auto transfer = abi::parse_event_signature("event Transfer(address indexed from, address indexed to, uint256 value)");
        VERIFY_OK(transfer);
        QCOMPARE(transfer->topic().to_hex(), std::string("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"));
        QVERIFY(transfer->inputs[0].indexed && transfer->inputs[1].indexed && !transfer->inputs[2].indexed);
        auto approval = abi::parse_event_signature("ApprovalForAll(address indexed owner, address indexed operator, bool approved)");
        VERIFY_OK(approval);
        QCOMPARE(approval->topic().to_hex(), std::string("0x17307eab39ab6107e8899845ad3d59bd9653f200f220920489ca2b5937696c31"));
    }

    void solcOutputErrorsAreClear()
    {
        QVERIFY(!abi::read_solc_output("{}", "Probe.sol", "Probe"));
        QVERIFY(!abi::read_solc_output("not json", "Probe.sol", "Probe"));
        auto missing = tests::load_contract("test_contracts.json", "Probe.sol", "Nope");
        QVERIFY(!missing);
        QVERIFY2(missing.error().message().find("Probe.sol:Nope") != std::string::npos, missing.error().message().c_str());
        QVERIFY(!abi::ContractAbi::from_json(R"([{"type":"function","name":"f","inputs":[{"type":"tuple"}]}])"));
    }

    void blockAndAccountReads()
    {
        auto head = eth::get_block(*m_client, eth::BlockTag::latest());
        VERIFY_OK(head);
        auto by_hash = eth::get_block(*m_client, eth::BlockTag::hash(head->hash));
        VERIFY_OK(by_hash);
        QCOMPARE(by_hash->number, head->number);
        auto parent = eth::get_block(*m_client, eth::BlockTag::number(head->number - 1));
        VERIFY_OK(parent);
        QCOMPARE(parent->hash, head->parent_hash);
        QVERIFY(head->base_fee.has_value());
        auto code = eth::get_code(*m_client, eth::multicall3_address(), eth::BlockTag::latest());
        VERIFY_OK(code);
        QVERIFY(code->size() > 100);
        auto missing = eth::get_block(*m_client, eth::BlockTag::number(head->number + 1000));
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, Errc::Decode);
    }

private:
    std::unique_ptr<AnvilNode> m_node;
    std::unique_ptr<eth::RpcClient> m_client;
    wallet::PrivateKey m_key = tests::dev_key(tests::kDevKey0);
    wallet::Address m_probe;
    abi::ContractAbi m_probe_abi;
};

NFTTERM_TEST_APPLESS(ChainReadsTest)
#include "chain_reads_test.moc"
