#include "../support/verify_ok.hpp"

#include <protocols/devnet/anvil_process.hpp>

#include <QTemporaryDir>
#include <QTest>

#include "../support/test_registry.hpp"

#include <csignal>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

using namespace nftterm;
using namespace nftterm::protocols;

namespace {

/// A process that is not the devnet's anvil but whose command line says "anvil", as a reused pid could be.
struct Impostor {
    Impostor()
    {
        pid = ::fork();
        if (pid == 0) {
            ::execl("/bin/sleep", "anvil-impostor", "60", static_cast<char*>(nullptr));
            ::_exit(127);
        }
        // Until exec is done /proc names this test program, not sleep.
        for (int i = 0; i < 200 && exe().filename() != "sleep"; ++i) ::usleep(5000);
    }
    ~Impostor()
    {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, nullptr, 0);
    }
    bool alive() const { return ::waitpid(pid, nullptr, WNOHANG) == 0; }
    std::filesystem::path exe() const
    {
        std::error_code ec;
        return std::filesystem::read_symlink("/proc/" + std::to_string(pid) + "/exe", ec);
    }
    /// Field 22 of /proc/PID/stat, read here independently of the code under test.
    std::string start_time() const
    {
        std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
        std::string line((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::istringstream fields(line.substr(line.rfind(')') + 2));
        std::string field;
        for (int index = 3; index <= 22; ++index) fields >> field;
        return field;
    }
    pid_t pid = 0;
};

void write(const std::filesystem::path& file, const std::string& text)
{
    std::ofstream out(file, std::ios::trunc);
    out << text;
}

}  // namespace

/// `devnet down` signals only the process `devnet up` started, never whatever holds its pid now.
class AnvilProcessTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aBarePidFileIsNeverSignalled()
    {
        QTemporaryDir dir;
        Impostor impostor;
        QVERIFY(impostor.alive());
        write(dir.filePath(QStringLiteral("anvil.pid")).toStdString(), std::to_string(impostor.pid) + "\n");
        auto stopped = devnet::stop_anvil(dir.path().toStdString());
        QVERIFY(!stopped);
        QCOMPARE(stopped.error().code, Errc::Config);
        QVERIFY2(stopped.error().message().find("nothing was stopped") != std::string::npos, stopped.error().message().c_str());
        QVERIFY(impostor.alive());
    }

    void aReusedPidWithAnotherStartTimeIsNeverSignalled()
    {
        QTemporaryDir dir;
        Impostor impostor;
        const auto file = dir.filePath(QStringLiteral("anvil.pid")).toStdString();
        const auto start = std::stoull(impostor.start_time());
        write(file, "{\"pid\":" + std::to_string(impostor.pid) + ",\"start_time\":" + std::to_string(start + 1) + ",\"exe\":\""
                        + impostor.exe().string() + "\"}\n");
        auto stopped = devnet::stop_anvil(dir.path().toStdString());
        VERIFY_OK(stopped);
        QVERIFY(!stopped->has_value());
        QVERIFY(impostor.alive());
        // The stale file is gone: the next `down` does not look at that pid again.
        QVERIFY(!std::filesystem::exists(file));
        // Same pid and start time, another executable: not it either.
        write(file, "{\"pid\":" + std::to_string(impostor.pid) + ",\"start_time\":" + impostor.start_time() + ",\"exe\":\"/usr/bin/anvil\"}\n");
        stopped = devnet::stop_anvil(dir.path().toStdString());
        VERIFY_OK(stopped);
        QVERIFY(!stopped->has_value());
        QVERIFY(impostor.alive());
    }

    void theExactProcessIsStopped()
    {
        QTemporaryDir dir;
        Impostor process;
        write(dir.filePath(QStringLiteral("anvil.pid")).toStdString(), "{\"pid\":" + std::to_string(process.pid) + ",\"start_time\":"
                                                                            + process.start_time() + ",\"exe\":\"" + process.exe().string() + "\"}\n");
        auto stopped = devnet::stop_anvil(dir.path().toStdString());
        VERIFY_OK(stopped);
        QCOMPARE(stopped->value_or(0), process.pid);
        QVERIFY(!process.alive());
    }
};

NFTTERM_TEST_APPLESS(AnvilProcessTest)
#include "anvil_process_test.moc"
