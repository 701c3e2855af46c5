#include <protocols/eth/abi/abi_value.hpp>

#include <QTest>

#include "../support/test_registry.hpp"

using namespace nftterm::protocols::abi;
using nftterm::wallet::Bytes;
using nftterm::wallet::U256;

namespace {

std::string words(std::initializer_list<const char*> hex_words)
{
    std::string out;
    for (const char* w : hex_words) {
        std::string word(w);
        out += std::string(64 - word.size(), '0') + word;
    }
    return out;
}

std::string right_padded(const std::string& hex)
{
    return hex + std::string((64 - hex.size() % 64) % 64, '0');
}

Value uint_value(std::uint64_t v)
{
    return Value{U256(v)};
}

Value bytes_value(std::string_view text)
{
    return Value{Bytes(text.begin(), text.end())};
}

std::string calldata(const std::string& signature, const std::vector<Value>& values)
{
    auto sig = parse_signature(signature);
    auto body = encode(sig->inputs, values);
    const auto selector = sig->selector();
    return nftterm::wallet::to_hex_bare(selector) + nftterm::wallet::to_hex_bare(*body);
}

}  // namespace

/// The examples of the Solidity ABI specification ("Examples" and "Use of
/// Dynamic Types"), and strict decoding.
class AbiCodecTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parsesSignaturesAndSelectors()
    {
        QCOMPARE(nftterm::wallet::to_hex_bare(parse_signature("transfer(address,uint256)")->selector()), std::string("a9059cbb"));
        auto named = parse_signature("function transfer(address to, uint256 amount) external returns (bool)");
        QVERIFY(named);
        QCOMPARE(named->canonical(), std::string("transfer(address,uint256)"));
        QCOMPARE(named->outputs.size(), std::size_t(1));
        QCOMPARE(parse_signature("f(uint,(address,bytes)[],int8[2][])")->canonical(),
                 std::string("f(uint256,(address,bytes)[],int8[2][])"));
        for (const char* bad : {"f(uint7)", "f(bytes33)", "f(uint256", "f(int0)", "(uint256)", "f(uint256[0])", "f(foo)"})
            QVERIFY2(!parse_signature(bad), bad);
    }

    void encodesSpecExamples()
    {
        QCOMPARE(calldata("baz(uint32,bool)", {uint_value(69), Value{true}}),
                 "cdcd77c0" + words({"45", "1"}));
        QCOMPARE(calldata("sam(bytes,bool,uint256[])", {bytes_value("dave"), Value{true},
                                                        Value{Value::List{uint_value(1), uint_value(2), uint_value(3)}}}),
                 "a5643bf2" + words({"60", "1", "a0", "4"}) + right_padded("64617665") + words({"3", "1", "2", "3"}));
        QCOMPARE(calldata("f(uint256,uint32[],bytes10,bytes)",
                          {uint_value(0x123), Value{Value::List{uint_value(0x456), uint_value(0x789)}},
                           bytes_value("1234567890"), bytes_value("Hello, world!")}),
                 "8be65246" + words({"123", "80"}) + right_padded("31323334353637383930") + words({"e0", "2", "456", "789", "d"})
                     + right_padded("48656c6c6f2c20776f726c6421"));
    }

    void roundTripsNestedValues()
    {
        auto types = parse_type_list("(int8,(address,string)[],bytes32[2],int256)");
        QVERIFY(types);
        const std::vector<Value> values = {
            Value{SignedInt{true, U256(128)}},
            Value{Value::List{Value{Value::List{Value{*nftterm::wallet::Address::parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")},
                                                Value{std::string("x")}}}}},
            Value{Value::List{Value{Bytes(32, 1)}, Value{Bytes(32, 2)}}},
            Value{SignedInt{true, U256(1)}},
        };
        auto encoded = encode(*types, values);
        QVERIFY(encoded);
        // int256 -1 is all ones.
        QCOMPARE(nftterm::wallet::to_hex_bare(ByteView(*encoded).subspan(4 * 32, 32)), std::string(64, 'f'));
        auto decoded = decode(*types, *encoded);
        QVERIFY2(decoded, decoded ? "" : decoded.error().message().c_str());
        QVERIFY(*decoded == values);
    }

    void rejectsOutOfRangeValues()
    {
        QVERIFY(!encode(*parse_type_list("(uint8)"), {uint_value(256)}));
        QVERIFY(!encode(*parse_type_list("(int8)"), {Value{SignedInt{false, U256(128)}}}));
        QVERIFY(!encode(*parse_type_list("(int8)"), {Value{SignedInt{true, U256(129)}}}));
        QVERIFY(!encode(*parse_type_list("(bytes4)"), {bytes_value("abc")}));
        QVERIFY(!encode(*parse_type_list("(bool[2])"), {Value{Value::List{Value{true}}}}));
        QVERIFY(!encode(*parse_type_list("(address)"), {uint_value(1)}));
    }

    void decodingIsStrict_data()
    {
        QTest::addColumn<QString>("types");
        QTest::addColumn<QString>("hex");
        QTest::newRow("truncated word") << QStringLiteral("(uint256)") << QStringLiteral("0001");
        QTest::newRow("offset past end") << QStringLiteral("(bytes)") << QString::fromStdString(words({"40"}));
        QTest::newRow("huge offset") << QStringLiteral("(string)") << QString::fromStdString(std::string(64, 'f'));
        QTest::newRow("length past end") << QStringLiteral("(bytes)") << QString::fromStdString(words({"20", "21"}) + std::string(64, '0'));
        QTest::newRow("array count lie") << QStringLiteral("(uint256[])") << QString::fromStdString(words({"20", "ffffffff"}));
        QTest::newRow("dirty bool") << QStringLiteral("(bool)") << QString::fromStdString(words({"2"}));
        QTest::newRow("dirty address") << QStringLiteral("(address)") << QString::fromStdString(words({"1000000000000000000000000000000000000000001"}));
        QTest::newRow("dirty uint8") << QStringLiteral("(uint8)") << QString::fromStdString(words({"100"}));
        QTest::newRow("int8 not sign-extended") << QStringLiteral("(int8)") << QString::fromStdString(words({"80"}));
        QTest::newRow("bytes2 dirty padding") << QStringLiteral("(bytes2)") << QString::fromStdString(words({"1"}));
    }
    void decodingIsStrict()
    {
        QFETCH(QString, types);
        QFETCH(QString, hex);
        auto data = nftterm::wallet::bytes_from_hex(hex.toStdString());
        QVERIFY(data);
        auto decoded = decode(*parse_type_list(types.toStdString()), *data);
        QVERIFY(!decoded);
        QCOMPARE(decoded.error().code, nftterm::protocols::Errc::Decode);
    }

    void refusesResultsAliasedOntoOneBlob()
    {
        // An aggregate3 answer, (bool,bytes)[], whose 1,000 element offsets all point at one
        // 64 KiB result: 100 KiB on the wire, 64 MiB if each element copied the blob.
        constexpr std::size_t kCount = 1000, kBlob = 64 * 1024;
        const auto word = [](std::size_t value) {
            Bytes out(32, 0);
            for (int i = 0; i < 8; ++i) out[31 - i] = static_cast<std::uint8_t>(value >> (8 * i));
            return out;
        };
        Bytes data = word(0x20);
        const auto append = [&](const Bytes& more) { data.insert(data.end(), more.begin(), more.end()); };
        append(word(kCount));
        for (std::size_t i = 0; i < kCount; ++i) append(word(kCount * 32));  // every head: the same element
        append(word(1));
        append(word(0x40));
        append(word(kBlob));
        data.resize(data.size() + kBlob, 0xab);
        const auto types = *parse_type_list("((bool,bytes)[])");
        auto decoded = decode(types, data);
        QVERIFY(!decoded);
        QCOMPARE(decoded.error().code, nftterm::protocols::Errc::Decode);
        QVERIFY2(decoded.error().message().find("aliased") != std::string::npos, decoded.error().message().c_str());

        // The same 1,000 results encoded honestly (each its own bytes) decode.
        Value::List results;
        for (std::size_t i = 0; i < kCount; ++i) results.push_back(Value{Value::List{Value{true}, bytes_value("result")}});
        auto honest = encode(types, {Value{results}});
        QVERIFY(honest);
        auto back = decode(types, *honest);
        QVERIFY(back);
        QCOMPARE(std::get<Value::List>((*back)[0].data).size(), kCount);
    }

private:
    using ByteView = nftterm::wallet::ByteView;
};

NFTTERM_TEST_APPLESS(AbiCodecTest)
#include "abi_codec_test.moc"
