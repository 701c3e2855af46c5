#include "anvil_process.hpp"

#include <protocols/eth/rpc/rpc_client.hpp>

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <fstream>
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

std::optional<int> read_pid(const std::filesystem::path& file)
{
    std::ifstream in(file);
    int pid = 0;
    if (in >> pid && pid > 0) return pid;
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
        process.pid = read_pid(state_dir / "anvil.pid").value_or(0);
        return process;
    }
    if (::access(anvil_path.c_str(), X_OK) != 0)
        return fail(Errc::Config, "no anvil at " + anvil_path.string() + " (run packaging/install-deps.sh)");
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
        ::execl(anvil_path.c_str(), anvil_path.c_str(), "--host", "127.0.0.1", "--port", port_text.c_str(), "--chain-id", "31337",
                static_cast<char*>(nullptr));
        ::_exit(127);
    }
    process.pid = pid;
    process.started = true;
    {
        std::ofstream out(state_dir / "anvil.pid", std::ios::trunc);
        out << pid << "\n";
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == pid)
            return fail(Errc::Config, "anvil exited at start; see " + log + " (is port " + std::to_string(port) + " taken?)");
        if (chain_at(process.url)) return process;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ::kill(pid, SIGTERM);
    return fail(Errc::Transport, "anvil did not answer within 30 s; see " + log);
}

Result<std::optional<int>> stop_anvil(const std::filesystem::path& state_dir)
{
    const auto file = state_dir / "anvil.pid";
    const auto pid = read_pid(file);
    if (!pid) return std::optional<int>();
    std::error_code ec;
    // A pid file can outlive its process and the pid be reused: only stop an anvil.
    std::ifstream cmdline("/proc/" + std::to_string(*pid) + "/cmdline");
    const std::string command((std::istreambuf_iterator<char>(cmdline)), std::istreambuf_iterator<char>());
    if (::kill(*pid, 0) != 0 || command.find("anvil") == std::string::npos) {
        std::filesystem::remove(file, ec);
        return std::optional<int>();
    }
    ::kill(*pid, SIGTERM);
    for (int i = 0; i < 50 && ::kill(*pid, 0) == 0; ++i) {
        ::waitpid(*pid, nullptr, WNOHANG);
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (::kill(*pid, 0) == 0) return fail(Errc::Config, "anvil (pid " + std::to_string(*pid) + ") did not stop");
    std::filesystem::remove(file, ec);
    return std::optional<int>(*pid);
}

}  // namespace nftterm::protocols::devnet
