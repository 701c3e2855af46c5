#include <wallet/crypto/hashes.hpp>
#include <wallet/messages/eip191.hpp>

#include <QTest>

#include "../support/test_registry.hpp"

using namespace nftterm::wallet;

class HashesTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void keccakMatchesKnownDigests()
    {
        // Ethereum's Keccak-256, not SHA3-256 (which gives a7ffc6f8… for "").
        QCOMPARE(keccak256({}).to_hex(), std::string("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"));
        // The selector of transfer(address,uint256) is a9059cbb.
        QCOMPARE(keccak256(as_view("transfer(address,uint256)")).to_hex().substr(0, 10), std::string("0xa9059cbb"));
    }

    void sha256MatchesFips()
    {
        QCOMPARE(sha256(as_view("abc")).to_hex(),
                 std::string("0xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    }

    void personalMessageDigest()
    {
        // ethers.hashMessage("Hello World").
        QCOMPARE(personal_message_digest(as_view("Hello World")).to_hex(),
                 std::string("0xa1de988600a42c4b4ab089b619297c17d53cffae5d5120d82d8a92d0bb3b78f2"));
    }
};

NFTTERM_TEST_APPLESS(HashesTest)
#include "hashes_test.moc"
