#include <protocols/eth/rpc/websocket_frame.hpp>

#include <QTest>

#include "../support/test_registry.hpp"

using namespace nftterm::protocols;

namespace {

/// Two header bytes and the rest (appended: GCC 12 warns falsely on string + string here).
std::string frame(unsigned char first, unsigned char second, const std::string& rest = {}, const std::string& more = {})
{
    std::string out;
    out.push_back(static_cast<char>(first));
    out.push_back(static_cast<char>(second));
    out.append(rest);
    out.append(more);
    return out;
}

}  // namespace

/// RFC 6455 §5 as a client must hold a server to it.
class WebSocketFrameTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readsAFinalTextFrameAndSaysWhatAPartialOneNeeds()
    {
        auto whole = eth::parse_server_frame(frame(0x81, 0x05, "hello", "next"), 1 << 20);
        QVERIFY(whole && whole->frame);
        QCOMPARE(whole->frame->opcode, 1);
        QVERIFY(whole->frame->fin);
        QCOMPARE(whole->frame->payload, std::string("hello"));
        QCOMPARE(whole->size, std::size_t(7));
        auto partial = eth::parse_server_frame(frame(0x81, 0x05, "he"), 1 << 20);
        QVERIFY(partial && !partial->frame);
        QCOMPARE(partial->size, std::size_t(7));
        // A 16-bit length: 300 bytes.
        auto extended = eth::parse_server_frame(frame(0x82, 126, std::string("\x01\x2c", 2)), 1 << 20);
        QVERIFY(extended && !extended->frame);
        QCOMPARE(extended->size, std::size_t(4 + 300));
    }

    void refusesAMaskedServerFrame()
    {
        auto masked = eth::parse_server_frame(frame(0x81, 0x85, "abcdhello"), 1 << 20);
        QVERIFY(!masked);
        QVERIFY2(masked.error().message().find("masked") != std::string::npos, masked.error().message().c_str());
    }

    void controlFramesAreFinalAndShort()
    {
        // A ping of 126 bytes (16-bit length form).
        auto long_ping = eth::parse_server_frame(frame(0x89, 126, std::string("\x00\x7e", 2), std::string(126, 'x')), 1 << 20);
        QVERIFY(!long_ping);
        QVERIFY2(long_ping.error().message().find("125") != std::string::npos, long_ping.error().message().c_str());
        auto fragmented_close = eth::parse_server_frame(frame(0x08, 0x00), 1 << 20);
        QVERIFY(!fragmented_close);
        QVERIFY(eth::parse_server_frame(frame(0x89, 125, std::string(125, 'x')), 1 << 20).has_value());
    }

    void refusesReservedBitsUnknownOpcodesAndHugeLengths()
    {
        QVERIFY(!eth::parse_server_frame(frame(0xC1, 0x00), 1 << 20));  // RSV1
        QVERIFY(!eth::parse_server_frame(frame(0x83, 0x00), 1 << 20));  // opcode 3
        QVERIFY(!eth::parse_server_frame(frame(0x8B, 0x00), 1 << 20));  // opcode 0xB
        const std::string top_bit("\x80\x00\x00\x00\x00\x00\x00\x01", 8);
        QVERIFY(!eth::parse_server_frame(frame(0x82, 127, top_bit), 1 << 20));
        const std::string two_mib("\x00\x00\x00\x00\x00\x20\x00\x00", 8);
        auto over = eth::parse_server_frame(frame(0x82, 127, two_mib), 1 << 20);
        QVERIFY(!over);
        QVERIFY2(over.error().message().find("over the limit") != std::string::npos, over.error().message().c_str());
    }
};

NFTTERM_TEST_APPLESS(WebSocketFrameTest)
#include "websocket_frame_test.moc"
