#include "../support/anvil_node.hpp"

#include <wallet/signer/signer.hpp>

#include <nlohmann/json.hpp>

#include <QTest>

#include "../support/test_registry.hpp"

using namespace nftterm::wallet;
using nftterm::tests::AnvilNode;
using nlohmann::json;

namespace {

// anvil's first well-known development account.
constexpr const char* kDevKey = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
constexpr const char* kRecipient = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

json call(const AnvilNode& node, const std::string& method, const json& params)
{
    return json::parse(node.rpc(method, params.dump()));
}

U256 quantity(const json& value)
{
    return *U256::parse(value.get<std::string>());
}

}  // namespace

/// Signs transactions with wallet/ and has a real anvil node accept and mine them.
class AnvilSendTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        m_node = std::make_unique<AnvilNode>();
        QVERIFY2(m_node->running(), m_node->error().c_str());
        m_signer = make_software_signer(std::move(*PrivateKey::from_bytes(*bytes_from_hex(kDevKey))));
    }

    void cleanupTestCase() { m_node.reset(); }

    void minesLegacyAndEip1559Transactions()
    {
        const auto chain_id = quantity(call(*m_node, "eth_chainId", json::array())["result"]);
        const auto from = m_signer->address().to_hex();
        const U256 before = quantity(call(*m_node, "eth_getBalance", {kRecipient, "latest"})["result"]);
        U256 sent;
        for (TxType type : {TxType::Legacy, TxType::Eip1559}) {
            const auto nonce = quantity(call(*m_node, "eth_getTransactionCount", {from, "pending"})["result"]);
            const U256 gas_price = quantity(call(*m_node, "eth_gasPrice", json::array())["result"]);
            Transaction tx;
            tx.type = type;
            tx.chain_id = ChainId{*chain_id.to_u64()};
            tx.nonce = *nonce.to_u64();
            tx.gas_limit = 21000;
            tx.gas_price = gas_price * U256(2);
            tx.max_fee_per_gas = gas_price * U256(2);
            tx.max_priority_fee_per_gas = U256(1000000000);
            tx.to = *Address::parse(kRecipient);
            tx.value = U256(type == TxType::Legacy ? 1000 : 2000);
            sent = sent + tx.value;
            auto signed_tx = m_signer->sign_transaction(tx, {});
            QVERIFY(signed_tx);

            const json answer = call(*m_node, "eth_sendRawTransaction", {to_hex(signed_tx->raw)});
            QVERIFY2(answer.contains("result"), answer.dump().c_str());
            QCOMPARE(answer["result"].get<std::string>(), signed_tx->hash.to_hex());

            json receipt;
            // anvil automines, but may answer the send before the block is sealed.
            for (int attempt = 0; attempt < 100 && !receipt.is_object(); ++attempt) {
                receipt = call(*m_node, "eth_getTransactionReceipt", {signed_tx->hash.to_hex()})["result"];
                if (!receipt.is_object()) QTest::qSleep(50);
            }
            QVERIFY2(receipt.is_object(), "no receipt within 5 s");
            QCOMPARE(receipt["status"].get<std::string>(), std::string("0x1"));
            QCOMPARE(Address::parse(receipt["from"].get<std::string>())->to_hex(), from);
            const json mined = call(*m_node, "eth_getTransactionByHash", {signed_tx->hash.to_hex()})["result"];
            QCOMPARE(quantity(mined["type"]), U256(static_cast<std::uint64_t>(type)));
        }
        const U256 after = quantity(call(*m_node, "eth_getBalance", {kRecipient, "latest"})["result"]);
        QCOMPARE(after - before, sent);
    }

    void nodeRejectsWrongChainId()
    {
        Transaction tx;
        tx.chain_id = ChainId{1};
        tx.nonce = 0;
        tx.gas_limit = 21000;
        tx.max_fee_per_gas = U256(100000000000ULL);
        tx.to = *Address::parse(kRecipient);
        auto signed_tx = m_signer->sign_transaction(tx, {});
        QVERIFY(signed_tx);
        const json answer = call(*m_node, "eth_sendRawTransaction", {to_hex(signed_tx->raw)});
        QVERIFY2(answer.contains("error"), answer.dump().c_str());
    }

private:
    std::unique_ptr<AnvilNode> m_node;
    std::unique_ptr<Signer> m_signer;
};

NFTTERM_TEST_APPLESS(AnvilSendTest)
#include "anvil_send_test.moc"
