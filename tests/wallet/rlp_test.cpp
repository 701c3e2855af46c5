#include <wallet/rlp/rlp.hpp>

#include <QTest>

#include "../support/test_registry.hpp"

using namespace nftterm::wallet;

namespace {

std::string hex_of(const Bytes& b)
{
    return to_hex_bare(b);
}

Bytes str(std::string_view s)
{
    return rlp::encode_bytes(as_view(s));
}

}  // namespace

class RlpTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void encodesSpecExamples()
    {
        // The examples of the RLP specification (Ethereum yellow paper, appendix B / ethereum.org).
        QCOMPARE(hex_of(str("dog")), std::string("83646f67"));
        QCOMPARE(hex_of(rlp::encode_list({str("cat"), str("dog")})), std::string("c88363617483646f67"));
        QCOMPARE(hex_of(str("")), std::string("80"));
        QCOMPARE(hex_of(rlp::encode_list({})), std::string("c0"));
        QCOMPARE(hex_of(rlp::encode_uint(0)), std::string("80"));
        QCOMPARE(hex_of(rlp::encode_bytes(Bytes{0x00})), std::string("00"));
        QCOMPARE(hex_of(rlp::encode_uint(15)), std::string("0f"));
        QCOMPARE(hex_of(rlp::encode_uint(1024)), std::string("820400"));
        const Bytes empty = rlp::encode_list({});
        const Bytes one = rlp::encode_list({empty});
        QCOMPARE(hex_of(rlp::encode_list({empty, one, rlp::encode_list({empty, one})})), std::string("c7c0c1c0c3c0c1c0"));
        QCOMPARE(hex_of(str("Lorem ipsum dolor sit amet, consectetur adipisicing elit")),
                 "b838" + to_hex_bare(as_view("Lorem ipsum dolor sit amet, consectetur adipisicing elit")));
    }

    void decodesWhatItEncodes()
    {
        const Bytes encoded = rlp::encode_list({str("cat"), rlp::encode_list({str("dog"), rlp::encode_uint(1024)})});
        auto item = rlp::decode(encoded);
        QVERIFY(item);
        QVERIFY(item->is_list);
        QCOMPARE(item->items.size(), std::size_t(2));
        QCOMPARE(std::string(item->items[0].payload.begin(), item->items[0].payload.end()), std::string("cat"));
        QCOMPARE(*item->items[1].items[1].as_uint("n"), U256(1024));
    }

    void rejectsMalformed_data()
    {
        QTest::addColumn<QString>("hex");
        QTest::newRow("empty input") << QString();
        QTest::newRow("truncated string") << QStringLiteral("83646f");
        QTest::newRow("truncated list") << QStringLiteral("c88363617483646f");
        QTest::newRow("trailing bytes") << QStringLiteral("83646f6700");
        QTest::newRow("single byte wrapped") << QStringLiteral("8105");
        QTest::newRow("long form for short length") << QStringLiteral("b803646f67");
        QTest::newRow("length with leading zero") << QStringLiteral("b90038") + QString(56 * 2, u'6');
        QTest::newRow("absurd length") << QStringLiteral("bfffffffffffffffff");
        QTest::newRow("length of length too long") << QStringLiteral("ff");
        QTest::newRow("child runs past list") << QStringLiteral("c283646f67");
    }
    void rejectsMalformed()
    {
        QFETCH(QString, hex);
        auto bytes = bytes_from_hex(hex.toStdString());
        QVERIFY(bytes);
        auto item = rlp::decode(*bytes);
        QVERIFY(!item);
        QCOMPARE(item.error().code, Errc::InvalidRlp);
    }

    void rejectsDeepNesting()
    {
        Bytes nested = rlp::encode_list({});
        for (int i = 0; i < 40; ++i) nested = rlp::encode_list({nested});
        QCOMPARE(rlp::decode(nested).error().code, Errc::InvalidRlp);
    }

    void rejectsNonCanonicalIntegers()
    {
        const Bytes input = *bytes_from_hex("820004");
        auto item = rlp::decode(input);
        QVERIFY(item);
        QCOMPARE(item->as_uint("nonce").error().code, Errc::InvalidRlp);
    }
};

NFTTERM_TEST_APPLESS(RlpTest)
#include "rlp_test.moc"
