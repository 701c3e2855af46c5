#include <wallet/crypto/secret.hpp>
#include <wallet/crypto/secp256k1.hpp>

#include <QTest>

#include "../support/test_registry.hpp"

#include <fstream>
#include <sstream>
#include <sys/prctl.h>

using namespace nftterm::wallet;

namespace {

/// The /proc/self/smaps block of the mapping that holds `address`.
std::string smaps_entry_of(const void* address)
{
    std::ifstream in("/proc/self/smaps");
    std::string line, entry;
    bool inside = false;
    const auto at = reinterpret_cast<std::uintptr_t>(address);
    while (std::getline(in, line)) {
        unsigned long long from = 0, to = 0;
        char dash = 0;
        std::istringstream head(line);
        if (head >> std::hex >> from >> dash >> to && dash == '-') {
            if (inside) return entry;
            inside = from <= at && at < to;
            entry.clear();
        }
        if (inside) entry += line + "\n";
    }
    return inside ? entry : std::string();
}

}  // namespace

/// Secrets live in locked pages that core dumps leave out, and the process is not dumpable meanwhile.
class SecretMemoryTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void secretsAreLockedAndLeftOutOfDumps()
    {
        const std::size_t before = live_secret_blocks();
        QCOMPARE(::prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 1);
        {
            auto key = PrivateKey::generate();
            QVERIFY(key);
            QCOMPARE(live_secret_blocks(), before + 1);
            const std::string entry = smaps_entry_of(key->view().data());
            QVERIFY2(!entry.empty(), "the key's mapping is not in /proc/self/smaps");
            // VmFlags: "dd" is MADV_DONTDUMP; "lo" is mlock (granted to root, best effort otherwise).
            const auto flags = entry.substr(entry.find("VmFlags:"));
            QVERIFY2(flags.find(" dd") != std::string::npos, flags.c_str());
            // (The sanitizers turn mlock into a no-op, so only an uninstrumented build can see the lock.)
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
            if (::geteuid() == 0) QVERIFY2(flags.find(" lo") != std::string::npos, flags.c_str());
#endif
            // No core file, no ptrace attach, while a key is in memory.
            QCOMPARE(::prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
        }
        QCOMPARE(live_secret_blocks(), before);
        QCOMPARE(::prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 1);
    }

    void freedSecretsAreWipedAndMovesLeaveNothing()
    {
        SecretBytes secret = SecretBytes::from_string("correct horse battery staple");
        const std::size_t before = live_secret_blocks();
        SecretBytes moved = std::move(secret);
        QVERIFY(secret.empty());
        QCOMPARE(live_secret_blocks(), before);
        QCOMPARE(std::string(moved.as_string()), std::string("correct horse battery staple"));
        moved.wipe();
        QCOMPARE(live_secret_blocks(), before - 1);
    }
};

NFTTERM_TEST_APPLESS(SecretMemoryTest)
#include "secret_memory_test.moc"
