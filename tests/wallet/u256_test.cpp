#include <wallet/primitives/u256.hpp>

#include <QTest>

#include "../support/test_registry.hpp"

using namespace nftterm::wallet;

class U256Test : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parsesDecimalAndHex()
    {
        QCOMPARE(U256::parse("0x1a")->to_dec(), std::string("26"));
        QCOMPARE(U256::parse("26")->to_hex(), std::string("0x1a"));
        QCOMPARE(U256::parse("0x0")->to_hex(), std::string("0x0"));
        const std::string max = "115792089237316195423570985008687907853269984665640564039457584007913129639935";
        QCOMPARE(U256::from_dec(max)->to_hex(), "0x" + std::string(64, 'f'));
    }

    void rejectsOverflowAndJunk()
    {
        const std::string too_big = "115792089237316195423570985008687907853269984665640564039457584007913129639936";
        QCOMPARE(U256::from_dec(too_big).error().code, Errc::Overflow);
        QCOMPARE(U256::from_hex("0x1" + std::string(64, '0')).error().code, Errc::Overflow);
        QCOMPARE(U256::parse("-1").error().code, Errc::InvalidNumber);
        QCOMPARE(U256::parse("1e18").error().code, Errc::InvalidNumber);
        QCOMPARE(U256::parse("").error().code, Errc::InvalidNumber);
        QCOMPARE(U256::parse("0x").error().code, Errc::InvalidNumber);
        QCOMPARE(U256::parse(" 1").error().code, Errc::InvalidNumber);
    }

    void parsesAndFormatsUnits()
    {
        QCOMPARE(U256::parse_units("1.25", 18)->to_dec(), std::string("1250000000000000000"));
        QCOMPARE(U256::parse_units("0.000001", 6)->to_dec(), std::string("1"));
        QCOMPARE(U256::parse_units("42", 0)->to_dec(), std::string("42"));
        QCOMPARE(U256::parse_with_unit("1.5 gwei")->to_dec(), std::string("1500000000"));
        QCOMPARE(U256::parse_with_unit("2 ether")->to_dec(), std::string("2000000000000000000"));
        QCOMPARE(U256::parse_with_unit("7wei")->to_dec(), std::string("7"));
        QCOMPARE(U256::parse_units("0.0000001", 6).error().code, Errc::InvalidNumber);
        QCOMPARE(U256(1500000000).format_units(9), std::string("1.5"));
        QCOMPARE(U256(1).format_units(18), std::string("0.000000000000000001"));
        QCOMPARE(U256(42).format_units(0), std::string("42"));
        QCOMPARE(U256(0).format_units(6), std::string("0"));
    }

    void checkedArithmeticReportsOverflow()
    {
        QCOMPARE(U256::checked_add(U256::max(), U256(1)).error().code, Errc::Overflow);
        QCOMPARE(U256::checked_sub(U256(1), U256(2)).error().code, Errc::Overflow);
        QCOMPARE(U256::checked_mul(U256::max(), U256(2)).error().code, Errc::Overflow);
        QVERIFY_THROWS_EXCEPTION(std::exception, (void)(U256::max() + U256(1)));
        // mulDiv keeps the 512-bit intermediate: max * max / max = max.
        QCOMPARE(*U256::mul_div(U256::max(), U256::max(), U256::max()), U256::max());
        QCOMPARE(*U256::mul_div(U256(10), U256(3), U256(4)), U256(7));
    }

    void roundTripsBigEndian()
    {
        const U256 v = *U256::parse("0x0102030405");
        QCOMPARE(v.to_be_minimal(), (Bytes{1, 2, 3, 4, 5}));
        QCOMPARE(*U256::from_be(v.to_be()), v);
        QVERIFY(U256(0).to_be_minimal().empty());
        QCOMPARE(U256::from_be(Bytes(33, 1)).error().code, Errc::Overflow);
        // Shorter inputs are the low bytes; word boundaries (8, 9, 31 bytes) included.
        QCOMPARE(*U256::from_be(Bytes{1, 2, 3, 4, 5}), v);
        QCOMPARE(*U256::from_be(Bytes{}), U256(0));
        QCOMPARE(*U256::from_be(Bytes(8, 0xff)), *U256::parse("0xffffffffffffffff"));
        QCOMPARE(*U256::from_be(Bytes{1, 0, 0, 0, 0, 0, 0, 0, 0}), *U256::parse("0x10000000000000000"));
        QCOMPARE(*U256::from_be(Bytes(31, 0x11)), *U256::parse("0x" + std::string(62, '1')));
        QCOMPARE(*U256::from_be(Bytes(32, 0xff)), U256::max());
    }
};

NFTTERM_TEST_APPLESS(U256Test)
#include "u256_test.moc"
