#include <wallet/crypto/hashes.hpp>
#include <wallet/messages/eip712.hpp>
#include <wallet/signer/signer.hpp>
#include <wallet/accounts/atomic_file.hpp>

#include <nlohmann/json.hpp>

#include <QTest>

#include "../support/eip712_examples.hpp"

#include "../support/test_registry.hpp"

using namespace nftterm::wallet;
using nftterm::tests::kMail;

namespace {



std::string replaced(std::string text, const std::string& from, const std::string& to)
{
    text.replace(text.find(from), from.size(), to);
    return text;
}

}  // namespace

class Eip712Test : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void hashesTheMailExample()
    {
        QCOMPARE(*encode_type(kMail, "Mail"),
                 std::string("Mail(Person from,Person to,string contents)Person(string name,address wallet)"));
        auto hash = hash_typed_data(kMail);
        QVERIFY2(hash, hash ? "" : hash.error().message().c_str());
        QCOMPARE(hash->domain_separator.to_hex(), std::string("0xf2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f"));
        QCOMPARE(hash->message_hash.to_hex(), std::string("0xc52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f240d7a274b371e"));
        QCOMPARE(hash->digest.to_hex(), std::string("0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2"));
    }

    void signsTheMailExample()
    {
        // EIP-712's example key is keccak256("cow").
        auto key = PrivateKey::from_bytes(keccak256(as_view("cow")).view());
        QVERIFY(key);
        auto signer = make_software_signer(std::move(*key));
        QCOMPARE(signer->address().to_hex(), std::string("0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"));
        auto signature = signer->sign_typed_data(kMail, {});
        QVERIFY(signature);
        QCOMPARE(signature->r.to_hex(), std::string("0x4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d"));
        QCOMPARE(signature->s.to_hex(), std::string("0x07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b91562"));
        QCOMPARE(signature->to_rsv().bytes[64], std::uint8_t{28});
    }

    void ordersReferencedTypesByName()
    {
        const std::string data = R"({"types":{"EIP712Domain":[],
            "Zebra":[{"name":"a","type":"Apple[]"},{"name":"m","type":"Mango[2]"}],
            "Mango":[{"name":"x","type":"uint8"}],"Apple":[{"name":"y","type":"bytes"}]},
            "primaryType":"Zebra","domain":{},"message":{"a":[{"y":"0x01"}],"m":[{"x":1},{"x":255}]}})";
        QCOMPARE(*encode_type(data, "Zebra"), std::string("Zebra(Apple[] a,Mango[2] m)Apple(bytes y)Mango(uint8 x)"));
        QVERIFY(hash_typed_data(data));
    }

    void encodesSignedIntegersAsTwosComplement()
    {
        auto with = [](const std::string& value) {
            return R"({"types":{"EIP712Domain":[],"T":[{"name":"v","type":"int8"}]},"primaryType":"T","domain":{},"message":{"v":)"
                   + value + "}}";
        };
        QVERIFY(hash_typed_data(with("-128")));
        QVERIFY(hash_typed_data(with("\"-128\"")));
        QCOMPARE(hash_typed_data(with("-128"))->digest, hash_typed_data(with("\"-128\""))->digest);
        QVERIFY(!hash_typed_data(with("-129")));
        QVERIFY(!hash_typed_data(with("128")));
        QVERIFY(hash_typed_data(with("127")));
    }

    void matchesASecondImplementationOnNegativeIntegers()
    {
        // Hashed and signed by viem (tests/wallet/data/independent_vectors.mjs), not by this code.
        const auto vectors = nlohmann::json::parse(*read_small_file(NFTTERM_TESTS_DIR "/wallet/data/independent_vectors.json"));
        QVERIFY(!vectors["eip712"].empty());
        for (const auto& vector : vectors["eip712"]) {
            auto typed = vector["typed_data"];
            // viem derives the domain type from the domain's fields; eth_signTypedData_v4 spells it out.
            typed["types"]["EIP712Domain"] = nlohmann::json::parse(
                R"([{"name":"name","type":"string"},{"name":"version","type":"string"},)"
                R"({"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}])");
            auto hash = hash_typed_data(typed.dump());
            QVERIFY2(hash, hash ? "" : hash.error().message().c_str());
            QCOMPARE(hash->digest.to_hex(), vector["digest"].get<std::string>());
            auto key = PrivateKey::from_bytes(*bytes_from_hex(vector["key"].get<std::string>()));
            QVERIFY(key);
            auto signature = make_software_signer(std::move(*key))->sign_typed_data(typed.dump(), {});
            QVERIFY(signature);
            QCOMPARE(to_hex(signature->to_rsv().view()), vector["signature"].get<std::string>());
        }
    }

    void rejectsMalformedTypedData_data()
    {
        QTest::addColumn<QString>("json");
        const std::string mail = kMail;
        QTest::newRow("not json") << QStringLiteral("{");
        QTest::newRow("no types") << QStringLiteral(R"({"primaryType":"Mail","domain":{},"message":{}})");
        QTest::newRow("unknown primary") << QString::fromStdString(replaced(mail, R"("primaryType": "Mail")", R"("primaryType": "Letter")"));
        QTest::newRow("missing field") << QString::fromStdString(replaced(mail, R"("contents": "Hello, Bob!")", R"("contentz": "Hello, Bob!")"));
        QTest::newRow("bad checksum address") << QString::fromStdString(replaced(mail, "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826", "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD827"));
        QTest::newRow("unknown type") << QString::fromStdString(replaced(mail, R"("type": "string"}, {"name": "wallet")", R"("type": "strin"}, {"name": "wallet")"));
        QTest::newRow("uint out of range") << QStringLiteral(
            R"({"types":{"EIP712Domain":[],"T":[{"name":"v","type":"uint8"}]},"primaryType":"T","domain":{},"message":{"v":256}})");
        QTest::newRow("negative uint") << QStringLiteral(
            R"({"types":{"EIP712Domain":[],"T":[{"name":"v","type":"uint256"}]},"primaryType":"T","domain":{},"message":{"v":"-1"}})");
        QTest::newRow("fixed array wrong length") << QStringLiteral(
            R"({"types":{"EIP712Domain":[],"T":[{"name":"v","type":"bool[2]"}]},"primaryType":"T","domain":{},"message":{"v":[true]}})");
        QTest::newRow("bytes4 wrong length") << QStringLiteral(
            R"({"types":{"EIP712Domain":[],"T":[{"name":"v","type":"bytes4"}]},"primaryType":"T","domain":{},"message":{"v":"0x0102"}})");
        QTest::newRow("float number") << QStringLiteral(
            R"({"types":{"EIP712Domain":[],"T":[{"name":"v","type":"uint256"}]},"primaryType":"T","domain":{},"message":{"v":1.5}})");
    }
    void rejectsMalformedTypedData()
    {
        QFETCH(QString, json);
        auto hash = hash_typed_data(json.toStdString());
        QVERIFY(!hash);
        QCOMPARE(hash.error().code, Errc::InvalidTypedData);
    }
};

NFTTERM_TEST_APPLESS(Eip712Test)
#include "eip712_test.moc"
