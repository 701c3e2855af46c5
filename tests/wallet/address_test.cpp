#include <wallet/crypto/secp256k1.hpp>
#include <wallet/primitives/address.hpp>

#include <QTest>

#include "../support/test_registry.hpp"

#include <unordered_set>

using namespace nftterm::wallet;

class AddressTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void printsEip55Checksum_data()
    {
        QTest::addColumn<QString>("checksummed");
        // The examples of EIP-55 itself.
        QTest::newRow("all caps") << QStringLiteral("0x52908400098527886E0F7030069857D2E4169EE7");
        QTest::newRow("all caps 2") << QStringLiteral("0x8617E340B3D01FA5F11F306F4090FD50E238070D");
        QTest::newRow("all lower") << QStringLiteral("0xde709f2102306220921060314715629080e2fb77");
        QTest::newRow("all lower 2") << QStringLiteral("0x27b1fdb04752bbc536007a920d24acb045561c26");
        QTest::newRow("mixed 1") << QStringLiteral("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
        QTest::newRow("mixed 2") << QStringLiteral("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359");
        QTest::newRow("mixed 3") << QStringLiteral("0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB");
        QTest::newRow("mixed 4") << QStringLiteral("0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb");
    }
    void printsEip55Checksum()
    {
        QFETCH(QString, checksummed);
        const std::string text = checksummed.toStdString();
        auto parsed = Address::parse(text);
        QVERIFY2(parsed.has_value(), parsed ? "" : parsed.error().message().c_str());
        QCOMPARE(QString::fromStdString(parsed->to_hex()), checksummed);
    }

    void acceptsSingleCaseWithoutChecksum()
    {
        auto lower = Address::parse("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed");
        auto upper = Address::parse("0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED");
        QVERIFY(lower && upper);
        QCOMPARE(*lower, *upper);
        QCOMPARE(lower->to_hex(), std::string("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"));
    }

    void rejectsBadChecksum()
    {
        // One letter's case flipped.
        auto parsed = Address::parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD");
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().code, Errc::BadChecksum);
        QVERIFY(parsed.error().message().find("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed") != std::string::npos);
    }

    void rejectsWrongLengthAndNonHex()
    {
        QCOMPARE(Address::parse("0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea").error().code, Errc::InvalidAddress);
        QCOMPARE(Address::parse("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed00").error().code, Errc::InvalidAddress);
        QCOMPARE(Address::parse("0xzaaeb6053f3e94c9b9a09f33669435e7ef1beaed").error().code, Errc::InvalidAddress);
        QCOMPARE(Address::parse("").error().code, Errc::InvalidAddress);
    }

    void derivesFromPublicKey()
    {
        // anvil's first well-known account.
        auto key = PrivateKey::from_bytes(*bytes_from_hex("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"));
        QVERIFY(key);
        QCOMPARE(address_of(public_key_of(*key)).to_hex(), std::string("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"));
    }

    void isRegularValueType()
    {
        static_assert(std::is_trivially_copyable_v<Address>);
        Address zero;
        QVERIFY(zero.is_zero());
        auto a = *Address::parse("0x0000000000000000000000000000000000000001");
        auto b = *Address::parse("0x0000000000000000000000000000000000000002");
        QVERIFY(a < b);
        QCOMPARE(std::hash<Address>{}(a), std::hash<Address>{}(*Address::parse("0x0000000000000000000000000000000000000001")));
    }

    void onlyTheChecksummedFormIsReachable()
    {
        // Seen as its bytes, an address would print lower-case without its checksum: it cannot be seen so.
        static_assert(!std::is_convertible_v<const Address&, const FixedBytes<20>&>);
        const auto address = *Address::parse("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed");
        QCOMPARE(address.to_hex(), std::string("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"));
        QCOMPARE(to_hex(address.view()), std::string("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"));  // raw bytes only when asked for by name
    }

    void hashSeesEveryByte()
    {
        // Addresses that differ only at the end (precompiles, vanity deployers with leading zeros)
        // must not all land in one bucket of an unordered container.
        QCOMPARE(distinct_hashes_of_last_byte<Address>(), std::size_t(256));
        QCOMPARE(distinct_hashes_of_last_byte<Hash32>(), std::size_t(256));
    }

private:
    /// How many distinct hashes 256 values get that differ only in their last byte.
    template <typename Value>
    static std::size_t distinct_hashes_of_last_byte()
    {
        std::unordered_set<std::size_t> hashes;
        for (int i = 0; i < 256; ++i) {
            Value value;
            value.bytes.back() = static_cast<std::uint8_t>(i);
            hashes.insert(std::hash<Value>{}(value));
        }
        return hashes.size();
    }
};

NFTTERM_TEST_APPLESS(AddressTest)
#include "address_test.moc"
