#include "anvil_node.hpp"

#include "loopback.hpp"

#include <curl/curl.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <sstream>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace nftterm::tests {
namespace {

std::size_t collect(char* data, std::size_t size, std::size_t count, void* out)
{
    static_cast<std::string*>(out)->append(data, size * count);
    return size * count;
}

}  // namespace

AnvilNode::AnvilNode(std::string extra_args)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const int port = free_loopback_port();
    m_url = "http://127.0.0.1:" + std::to_string(port);
    // History in memory only, as a full node (not an archive) keeps it: by default anvil writes every
    // block's state under ~/.foundry/anvil/tmp (a megabyte each for the demo world) and leaves it
    // there when killed; a session's test runs had piled up 68 GB of it. So the suite also runs
    // against what most users' nodes are: reads of old blocks must not be needed.
    std::vector<std::string> args = {NFTTERM_ANVIL, "--host", "127.0.0.1", "--port", std::to_string(port), "--silent"};
    if (extra_args.find("--prune-history") == std::string::npos) {
        args.push_back("--prune-history");
        args.push_back("256");
    }
    std::istringstream extra(extra_args);
    for (std::string word; extra >> word;) args.push_back(word);
    m_pid = ::fork();
    if (m_pid == 0) {
        // Die with the test (even if it crashes), and keep the test's output pipes free.
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        const int null_fd = ::open("/dev/null", O_RDWR);
        if (null_fd >= 0) {
            ::dup2(null_fd, STDIN_FILENO);
            ::dup2(null_fd, STDOUT_FILENO);
            ::dup2(null_fd, STDERR_FILENO);
        }
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    if (m_pid < 0) {
        m_error = "cannot fork anvil";
        return;
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
            m_error = "anvil exited at start (is " NFTTERM_ANVIL " installed? run packaging/install-deps.sh)";
            m_pid = -1;
            return;
        }
        if (rpc("eth_chainId", "[]").find("\"result\"") != std::string::npos) {
            m_ready = true;
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    m_error = "anvil did not answer within 30 s";
}

AnvilNode::~AnvilNode()
{
    if (m_pid > 0) {
        ::kill(m_pid, SIGTERM);
        ::waitpid(m_pid, nullptr, 0);
    }
}

std::string AnvilNode::rpc(const std::string& method, const std::string& params_json) const
{
    CURL* curl = curl_easy_init();
    std::string response;
    const std::string body = R"({"jsonrpc":"2.0","id":1,"method":")" + method + R"(","params":)" + params_json + "}";
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    curl_easy_setopt(curl, CURLOPT_URL, m_url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 1000L);
    curl_easy_perform(curl);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return response;
}

}  // namespace nftterm::tests
