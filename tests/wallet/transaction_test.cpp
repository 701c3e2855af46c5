#include <wallet/tx/transaction.hpp>
#include <wallet/tx/transaction_json.hpp>
#include <wallet/accounts/atomic_file.hpp>

#include <nlohmann/json.hpp>

#include <QTest>

#include "../support/test_registry.hpp"

using namespace nftterm::wallet;

namespace {

PrivateKey key_of(std::string_view hex)
{
    return std::move(*PrivateKey::from_bytes(*bytes_from_hex(hex)));
}

/// The EIP-155 worked example: nonce 9, 20 gwei, 21000 gas, 1 ether to 0x3535…, chain 1.
Transaction eip155_example()
{
    Transaction tx;
    tx.type = TxType::Legacy;
    tx.chain_id = ChainId{1};
    tx.nonce = 9;
    tx.gas_price = U256(20000000000ULL);
    tx.gas_limit = 21000;
    tx.to = *Address::parse("0x3535353535353535353535353535353535353535");
    tx.value = *U256::parse("1000000000000000000");
    return tx;
}

}  // namespace

class TransactionTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void signsTheEip155Example()
    {
        const Transaction tx = eip155_example();
        QCOMPARE(signing_hash(tx)->to_hex(), std::string("0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53"));
        auto signed_tx = sign_transaction(tx, key_of("4646464646464646464646464646464646464646464646464646464646464646"));
        QVERIFY(signed_tx);
        QCOMPARE(to_hex(signed_tx->raw),
                 std::string("0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a7640000"
                             "8025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb7"
                             "03304b3800ccf555c9f3dc64214b297fb1966a3b6d83"));
        QCOMPARE(signed_tx->from.to_hex(), std::string("0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F"));
    }

    void decodesTheEip155ExampleAndRecoversSender()
    {
        const auto raw = bytes_from_hex(
            "f86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc21"
            "95fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b"
            "6d83");
        auto decoded = decode_signed_transaction(*raw);
        QVERIFY2(decoded, decoded ? "" : decoded.error().message().c_str());
        QCOMPARE(decoded->tx, eip155_example());
        QCOMPARE(decoded->from.to_hex(), std::string("0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F"));
    }

    void roundTripsEip1559WithAccessList()
    {
        Transaction tx;
        tx.type = TxType::Eip1559;
        tx.chain_id = ChainId{31337};
        tx.nonce = 7;
        tx.max_priority_fee_per_gas = U256(1000000000);
        tx.max_fee_per_gas = U256(30000000000ULL);
        tx.gas_limit = 60000;
        tx.to = *Address::parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
        tx.value = U256(12345);
        tx.data = {0xde, 0xad, 0xbe, 0xef};
        tx.access_list = {{*Address::parse("0x3535353535353535353535353535353535353535"), {Hash32{}, *Hash32::from_hex(std::string(63, '0') + "1")}}};
        const auto key = key_of("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
        auto signed_tx = sign_transaction(tx, key);
        QVERIFY(signed_tx);
        QCOMPARE(signed_tx->raw.front(), std::uint8_t{0x02});
        auto decoded = decode_signed_transaction(signed_tx->raw);
        QVERIFY(decoded);
        QCOMPARE(decoded->tx, tx);
        QCOMPARE(decoded->hash, signed_tx->hash);
        QCOMPARE(decoded->from.to_hex(), std::string("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"));
    }

    void matchesASecondImplementationWithAccessLists()
    {
        // Signed by viem (tests/wallet/data/independent_vectors.mjs), not by this code.
        const auto vectors = nlohmann::json::parse(*read_small_file(NFTTERM_TESTS_DIR "/wallet/data/independent_vectors.json"));
        QVERIFY(vectors["eip1559"].size() >= 3);
        for (const auto& vector : vectors["eip1559"]) {
            const auto& fields = vector["tx"];
            Transaction tx;
            tx.type = TxType::Eip1559;
            tx.chain_id = ChainId{fields["chainId"].get<std::uint64_t>()};
            tx.nonce = fields["nonce"].get<std::uint64_t>();
            tx.max_priority_fee_per_gas = *U256::parse(fields["maxPriorityFeePerGas"].get<std::string>());
            tx.max_fee_per_gas = *U256::parse(fields["maxFeePerGas"].get<std::string>());
            tx.gas_limit = std::stoull(fields["gas"].get<std::string>());
            if (fields.contains("to")) tx.to = *Address::parse(fields["to"].get<std::string>());
            tx.value = *U256::parse(fields["value"].get<std::string>());
            tx.data = *bytes_from_hex(fields["data"].get<std::string>());
            for (const auto& entry : fields["accessList"]) {
                AccessListEntry item{*Address::parse(entry["address"].get<std::string>()), {}};
                for (const auto& key : entry["storageKeys"]) item.storage_keys.push_back(*Hash32::from_hex(key.get<std::string>()));
                tx.access_list.push_back(std::move(item));
            }
            const std::string name = vector["name"];
            auto signed_tx = sign_transaction(tx, key_of(vector["key"].get<std::string>().substr(2)));
            QVERIFY2(signed_tx, name.c_str());
            QCOMPARE(to_hex(signed_tx->raw), vector["raw"].get<std::string>());
            QCOMPARE(signed_tx->hash.to_hex(), vector["hash"].get<std::string>());
            // And the other way: viem's bytes decode to the same transaction.
            auto decoded = decode_signed_transaction(*bytes_from_hex(vector["raw"].get<std::string>()));
            QVERIFY2(decoded, name.c_str());
            QCOMPARE(decoded->tx, tx);
        }
    }

    void refusesChainIdZeroAndBadFees()
    {
        Transaction tx = eip155_example();
        tx.chain_id = ChainId{0};
        QCOMPARE(signing_hash(tx).error().code, Errc::WrongChainId);
        Transaction fees;
        fees.chain_id = ChainId{1};
        fees.max_fee_per_gas = U256(1);
        fees.max_priority_fee_per_gas = U256(2);
        QCOMPARE(signing_hash(fees).error().code, Errc::InvalidTransaction);
    }

    void rejectsMalformedRawTransactions_data()
    {
        QTest::addColumn<QString>("hex");
        QTest::newRow("empty") << QString();
        QTest::newRow("unknown type") << QStringLiteral("05c0");
        QTest::newRow("type 2 not a list") << QStringLiteral("0280");
        QTest::newRow("legacy too few fields") << QStringLiteral("c3808080");
        // The EIP-155 example with s replaced by n - s (high s, EIP-2).
        QTest::newRow("high s") << QStringLiteral(
            "f86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc21"
            "95fe537567866003e1a15d3c71ff63e1590620aa636276a098341627668089e51348fccfb4c7ff31c55912f2d2e47ef09652acf665fa"
            "d3be");
        QTest::newRow("bad v") << QStringLiteral(
            "f86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008021a028ef61340bd939bc21"
            "95fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b"
            "6d83");
        // v = 36 would mean chain id 0 under EIP-155 (found by the fuzz target).
        QTest::newRow("v 36, chain id 0") << QStringLiteral(
            "f86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008024a028ef61340bd939bc21"
            "95fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b"
            "6d83");
    }
    void rejectsMalformedRawTransactions()
    {
        QFETCH(QString, hex);
        auto decoded = decode_signed_transaction(*bytes_from_hex(hex.toStdString()));
        QVERIFY(!decoded);
        QVERIFY(!decoded.error().message().empty());
    }

    void readsJsonInRpcFieldNames()
    {
        auto tx = transaction_from_json(
            R"({"chainId":"0x1","nonce":"9","gasPrice":"20000000000","gas":"0x5208",)"
            R"("to":"0x3535353535353535353535353535353535353535","value":"1000000000000000000","data":"0x"})");
        QVERIFY2(tx, tx ? "" : tx.error().message().c_str());
        QCOMPARE(*tx, eip155_example());
        QCOMPARE(transaction_from_json(R"({"nonce":"0","gas":"21000","gasPrice":"1"})").error().code,
                 Errc::InvalidTransaction);
        QCOMPARE(transaction_from_json(R"({"chainId":"0","nonce":"0","gas":"21000","gasPrice":"1"})").error().code,
                 Errc::WrongChainId);
        QCOMPARE(transaction_from_json(R"({"chainId":"1","nonce":"0","gas":"21000","gasPrice":"1","valeu":"1"})").error().code,
                 Errc::InvalidTransaction);
    }
};

NFTTERM_TEST_APPLESS(TransactionTest)
#include "transaction_test.moc"
