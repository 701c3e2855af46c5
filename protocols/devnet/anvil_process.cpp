#include "anvil_process.hpp"

#include <protocols/eth/rpc/rpc_client.hpp>
#include <wallet/accounts/atomic_file.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <optional>
#include <sstream>
#include <string_view>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace nftterm::protocols::devnet {
namespace {

std::optional<std::uint64_t> chain_at(const std::string& url)
{
    eth::RpcClientOptions options;
    options.urls = {url};
    options.read_rounds = 1;
    options.transport.connect_timeout = std::chrono::milliseconds(300);
    options.transport.total_timeout = std::chrono::milliseconds(1000);
    eth::RpcClient client(options);
    auto chain = client.chain_id();
    return chain ? std::optional<std::uint64_t>(*chain) : std::nullopt;
}

/// A process as the kernel knows it: a pid alone can be reused by any
/// program once the process is gone; the pid with its start time (clock
/// ticks since boot, /proc/PID/stat field 22) and executable cannot.
struct ProcessIdentity {
    int pid = 0;
    std::uint64_t start_time = 0;
    std::string exe;
    bool operator==(const ProcessIdentity&) const = default;
};

/// Whether `pid` still runs: not gone, not a zombie (exited, its parent not yet told).
bool still_running(int pid)
{
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    const std::string line((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    const auto name_end = line.rfind(')');
    return name_end != std::string::npos && name_end + 2 < line.size() && line[name_end + 2] != 'Z' && line[name_end + 2] != 'X';
}

std::optional<ProcessIdentity> identity_of(int pid)
{
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    const std::string line((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
    const auto name_end = line.rfind(')');
    if (name_end == std::string::npos) return std::nullopt;
    std::istringstream fields(line.substr(name_end + 1));
    std::string field;
    for (int index = 3; index <= 22 && fields >> field; ++index)
        if (index == 22) {
            std::error_code ec;
            const auto exe = std::filesystem::read_symlink("/proc/" + std::to_string(pid) + "/exe", ec);
            if (ec) return std::nullopt;
            return ProcessIdentity{pid, std::stoull(field), exe.string()};
        }
    return std::nullopt;
}

std::optional<ProcessIdentity> read_pid_file(const std::filesystem::path& file)
{
    auto text = wallet::read_small_file(file, 4096);
    if (!text) return std::nullopt;
    try {
        const auto record = nlohmann::json::parse(*text);
        ProcessIdentity identity{record.at("pid").get<int>(), record.at("start_time").get<std::uint64_t>(), record.at("exe").get<std::string>()};
        if (identity.pid > 0) return identity;
    } catch (const std::exception&) {
        // An older bare-number pid file proves nothing about the process: never signalled.
    }
    return std::nullopt;
}

Result<void> write_pid_file(const std::filesystem::path& file, const ProcessIdentity& identity)
{
    const nlohmann::json record = {{"pid", identity.pid}, {"start_time", identity.start_time}, {"exe", identity.exe}};
    if (auto written = wallet::write_file_atomically(file, record.dump() + "\n", 0600); !written)
        return std::unexpected(from_wallet(written.error(), "writing the devnet's pid file"));
    return {};
}

/// `path` if it is executable; a bare name is looked up on PATH, as a shell would.
std::optional<std::filesystem::path> find_executable(const std::filesystem::path& path)
{
    if (path.has_parent_path()) return ::access(path.c_str(), X_OK) == 0 ? std::optional(path) : std::nullopt;
    const char* search = std::getenv("PATH");
    std::string_view dirs = search ? search : "";
    while (!dirs.empty()) {
        const auto colon = dirs.find(':');
        const std::string_view dir = dirs.substr(0, colon);
        dirs = colon == std::string_view::npos ? std::string_view() : dirs.substr(colon + 1);
        if (dir.empty()) continue;
        const auto candidate = std::filesystem::path(dir) / path;
        if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    return std::nullopt;
}

}  // namespace

Result<AnvilProcess> start_anvil(const std::filesystem::path& anvil_path, int port, const std::filesystem::path& state_dir)
{
    AnvilProcess process;
    process.url = "http://127.0.0.1:" + std::to_string(port);
    if (auto chain = chain_at(process.url)) {
        if (*chain != 31337)
            return fail(Errc::ChainId, process.url + " is already a node on chain " + std::to_string(*chain) + ", not the devnet; pick another --port");
        if (auto recorded = read_pid_file(state_dir / "anvil.pid"); recorded && identity_of(recorded->pid) == recorded)
            process.pid = recorded->pid;
        return process;
    }
    const auto executable = find_executable(anvil_path);
    if (!executable)
        return fail(Errc::Config, (anvil_path.has_parent_path() ? "no anvil at " + anvil_path.string() : "no " + anvil_path.string() + " on PATH") +
                                      ": the devnet runs Foundry's anvil, which Debian does not ship. Install it with npm "
                                      "(npm install -g @foundry-rs/anvil-linux-amd64@1.7.1) or from getfoundry.sh, or set "
                                      "NFTTERM_ANVIL to its path; from a source checkout, packaging/install-deps.sh does it");
    const std::filesystem::path& anvil = *executable;
    std::error_code ec;
    std::filesystem::create_directories(state_dir, ec);
    const std::string log = (state_dir / "anvil.log").string();
    const pid_t pid = ::fork();
    if (pid < 0) return fail(Errc::Config, "cannot start anvil (fork failed)");
    if (pid == 0) {
        // A session of its own: the devnet keeps running after `devnet up` returns.
        ::setsid();
        const int null_in = ::open("/dev/null", O_RDONLY);
        const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (null_in >= 0) ::dup2(null_in, STDIN_FILENO);
        if (out >= 0) {
            ::dup2(out, STDOUT_FILENO);
            ::dup2(out, STDERR_FILENO);
        }
        const std::string port_text = std::to_string(port);
        // History in memory, the last 128 blocks' states: by default anvil also writes up to 3,600
        // states to ~/.foundry/anvil/tmp (a megabyte each once the demo has run a while; 2.1 GB after
        // five simulated hours) and leaves them behind when stopped. The terminal reads at the head.
        ::execl(anvil.c_str(), anvil.c_str(), "--host", "127.0.0.1", "--port", port_text.c_str(), "--chain-id", "31337",
                "--prune-history", "128", static_cast<char*>(nullptr));
        ::_exit(127);
    }
    process.pid = pid;
    process.started = true;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == pid)
            return fail(Errc::Config, "anvil exited at start; see " + log + " (is port " + std::to_string(port) + " taken?)");
        if (chain_at(process.url)) {
            // Recorded once it answers: by then the child has exec'd, so /proc names anvil, not this program.
            auto identity = identity_of(pid);
            if (!identity) return fail(Errc::Config, "anvil (pid " + std::to_string(pid) + ") vanished right after it started; see " + log);
            if (auto written = write_pid_file(state_dir / "anvil.pid", *identity); !written) {
                ::kill(pid, SIGTERM);
                return std::unexpected(written.error());
            }
            return process;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ::kill(pid, SIGTERM);
    return fail(Errc::Transport, "anvil did not answer within 30 s; see " + log);
}

Result<std::optional<int>> stop_anvil(const std::filesystem::path& state_dir)
{
    const auto file = state_dir / "anvil.pid";
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) return std::optional<int>();
    const auto recorded = read_pid_file(file);
    if (!recorded)
        return fail(Errc::Config, file.string() + " does not say which process `devnet up` started (an older or damaged pid file); "
                                  "nothing was stopped: stop the devnet's anvil yourself, then delete that file");
    // The pid alone may since have been given to another program: signal only the very process started.
    if (identity_of(recorded->pid) != recorded) {
        std::filesystem::remove(file, ec);
        return std::optional<int>();
    }
    const int pid = recorded->pid;
    ::kill(pid, SIGTERM);
    // Until it has exited: a process on its way out has already lost its /proc exe link (so its
    // identity reads differently) while it still runs; only gone or a zombie means stopped.
    for (int i = 0; i < 50 && still_running(pid); ++i) {
        ::waitpid(pid, nullptr, WNOHANG);
        const auto now = identity_of(pid);
        if (now && now->start_time != recorded->start_time) break;  // gone, and the pid given to another
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (still_running(pid) && identity_of(pid) == recorded) return fail(Errc::Config, "anvil (pid " + std::to_string(pid) + ") did not stop");
    std::filesystem::remove(file, ec);
    return std::optional<int>(pid);
}

}  // namespace nftterm::protocols::devnet
