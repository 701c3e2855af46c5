#include <protocols/eth/abi/revert_reason.hpp>

#include <QTest>

#include "../support/test_registry.hpp"

using namespace nftterm::protocols::abi;
using nftterm::wallet::bytes_from_hex;

namespace {

std::string word(const std::string& hex)
{
    return std::string(64 - hex.size(), '0') + hex;
}

}  // namespace

class RevertReasonTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readsErrorString()
    {
        // Error(string) is selector 0x08c379a0; "Not enough" is 10 bytes.
        const auto data = bytes_from_hex("08c379a0" + word("20") + word("a") + "4e6f7420656e6f756768" + std::string(44, '0'));
        QCOMPARE(describe_revert(*data), std::string("Not enough"));
    }

    void explainsPanicCodes()
    {
        // Panic(uint256) is selector 0x4e487b71.
        QCOMPARE(describe_revert(*bytes_from_hex("4e487b71" + word("11"))), std::string("panic: arithmetic overflow or underflow (0x11)"));
        QCOMPARE(describe_revert(*bytes_from_hex("4e487b71" + word("12"))), std::string("panic: division or modulo by zero (0x12)"));
    }

    void namesCustomErrorsWithArguments()
    {
        const auto custom = *parse_signature("error HealthTooLow(uint256 health, uint256 minimum)");
        const std::string selector = nftterm::wallet::to_hex_bare(custom.selector());
        const auto data = bytes_from_hex(selector + word("5") + word("7"));
        QCOMPARE(describe_revert(*data, {custom}), std::string("HealthTooLow(\"5\",\"7\")"));
        QVERIFY(describe_revert(*data).starts_with("reverted with unknown error 0x" + selector));
    }

    void describesEmptyAndMalformedData()
    {
        QCOMPARE(describe_revert({}), std::string("reverted without a reason"));
        QVERIFY(describe_revert(*bytes_from_hex("08c3")).starts_with("reverted with malformed data"));
        // Error(string) whose length runs past the data does not crash.
        QVERIFY(!describe_revert(*bytes_from_hex("08c379a0" + word("20") + word("ffff"))).empty());
    }
};

NFTTERM_TEST_APPLESS(RevertReasonTest)
#include "revert_reason_test.moc"
