#include "../support/verify_ok.hpp"

#include <protocols/eth/tx/tx_journal.hpp>

#include <QTemporaryDir>
#include <QTest>

#include "../support/test_registry.hpp"

#include <fstream>
#include <sys/stat.h>

using namespace nftterm;
using namespace nftterm::protocols;

namespace {

std::string read_all(const std::string& path)
{
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

eth::JournalEntry entry_with_nonce(std::uint64_t nonce)
{
    eth::JournalEntry entry;
    std::string hex(64, '0');
    hex.back() = static_cast<char>('0' + nonce % 10);
    entry.hash = *wallet::TxHash::from_hex("0x" + hex);
    entry.from = *wallet::Address::parse("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    entry.chain_id = 31337;
    entry.nonce = nonce;
    entry.raw = {0x02, static_cast<std::uint8_t>(nonce)};
    entry.label = "test " + std::to_string(nonce);
    return entry;
}

}  // namespace

/// The journal's file format under crashes: what is written whole counts, a torn tail never blocks the next record.
class TxJournalTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void tornLineThenAppendThenReopenKeepsEveryRecord()
    {
        QTemporaryDir dir;
        const auto path = dir.filePath(QStringLiteral("journal.jsonl")).toStdString();
        {
            auto journal = eth::TxJournal::open(path);
            VERIFY_OK(journal);
            VERIFY_OK((*journal)->record_signed(entry_with_nonce(1)));
        }
        // The crash: a record cut off mid-write, no newline.
        const std::string torn = "{\"record\":\"signed\",\"hash\":\"0xabc";
        {
            std::ofstream out(path, std::ios::app);
            out << torn;
        }
        {
            auto journal = eth::TxJournal::open(path);
            VERIFY_OK(journal);
            QCOMPARE((*journal)->entries().size(), std::size_t(1));
            // The next record after the crash must start on its own line.
            VERIFY_OK((*journal)->record_signed(entry_with_nonce(2)));
        }
        auto reopened = eth::TxJournal::open(path);
        VERIFY_OK(reopened);
        const auto entries = (*reopened)->entries();
        QCOMPARE(entries.size(), std::size_t(2));
        QCOMPARE(entries[0].nonce, std::uint64_t(1));
        QCOMPARE(entries[1].nonce, std::uint64_t(2));
        QCOMPARE(entries[1].label, std::string("test 2"));
        // The torn bytes were kept aside for a person, not thrown away.
        const auto aside = read_all(path + ".torn");
        QVERIFY2(aside.find(torn) != std::string::npos, aside.c_str());
        QVERIFY(read_all(path).find(torn) == std::string::npos);
        struct stat info {};
        QCOMPARE(::stat((path + ".torn").c_str(), &info), 0);
        QCOMPARE(info.st_mode & 0777, 0600u);
    }

    void journalWithoutATornLineIsLeftByteForByte()
    {
        QTemporaryDir dir;
        const auto path = dir.filePath(QStringLiteral("journal.jsonl")).toStdString();
        {
            auto journal = eth::TxJournal::open(path);
            VERIFY_OK(journal);
            VERIFY_OK((*journal)->record_signed(entry_with_nonce(3)));
            VERIFY_OK((*journal)->record_state(entry_with_nonce(3).hash, eth::TxState::Pending));
        }
        const auto before = read_all(path);
        VERIFY_OK(eth::TxJournal::open(path));
        QCOMPARE(read_all(path), before);
        QVERIFY(!QFile::exists(QString::fromStdString(path + ".torn")));
    }

    void aCreatedJournalIsPrivate()
    {
        QTemporaryDir dir;
        const auto path = dir.filePath(QStringLiteral("sub/journal.jsonl")).toStdString();
        VERIFY_OK(eth::TxJournal::open(path));
        struct stat info {};
        QCOMPARE(::stat(path.c_str(), &info), 0);
        QCOMPARE(info.st_mode & 0777, 0600u);
    }
};

NFTTERM_TEST_APPLESS(TxJournalTest)
#include "tx_journal_test.moc"
