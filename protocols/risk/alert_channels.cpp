#include "alert_channels.hpp"

#include <curl/curl.h>

#include <csignal>
#include <pthread.h>
#include <cstring>
#include <memory>

#include <sys/wait.h>
#include <unistd.h>

namespace nftterm::protocols::risk {

AlertChannel::AlertChannel(std::string name, std::function<std::string(const std::string&)> deliver, std::function<void(const std::string&)> on_failure,
                           int max_attempts, std::chrono::milliseconds first_backoff, std::size_t max_queue)
    : m_name(std::move(name)), m_deliver(std::move(deliver)), m_on_failure(std::move(on_failure)), m_max_attempts(std::max(1, max_attempts)),
      m_first_backoff(first_backoff), m_max_queue(std::max<std::size_t>(1, max_queue)), m_thread([this] { run(); })
{
}

AlertChannel::~AlertChannel()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

void AlertChannel::post(std::string line)
{
    bool dropped = false;
    {
        std::lock_guard lock(m_mutex);
        if (m_queue.size() >= m_max_queue) {
            m_queue.pop_front();
            dropped = true;
        }
        m_queue.push_back(std::move(line));
    }
    m_wake.notify_all();
    if (dropped && m_on_failure) m_on_failure(m_name + ": the queue is full, the oldest alert was dropped");
}

bool AlertChannel::drain(std::chrono::milliseconds limit)
{
    std::unique_lock lock(m_mutex);
    return m_wake.wait_for(lock, limit, [this] { return m_queue.empty() && !m_busy; });
}

void AlertChannel::run()
{
    std::unique_lock lock(m_mutex);
    while (true) {
        m_wake.wait(lock, [this] { return m_stop || !m_queue.empty(); });
        if (m_stop) return;
        std::string line = std::move(m_queue.front());
        m_queue.pop_front();
        m_busy = true;
        std::string why;
        auto backoff = m_first_backoff;
        for (int attempt = 1; attempt <= m_max_attempts; ++attempt) {
            lock.unlock();
            why = m_deliver(line);
            lock.lock();
            if (why.empty() || m_stop) break;
            if (attempt < m_max_attempts && m_wake.wait_for(lock, backoff, [this] { return m_stop; })) break;
            backoff *= 2;
        }
        m_busy = false;
        if (!why.empty() && !m_stop && m_on_failure) {
            lock.unlock();
            m_on_failure(m_name + ": " + why + " (gave up after " + std::to_string(m_max_attempts) + " attempts)");
            lock.lock();
        }
        m_wake.notify_all();
    }
}

std::string post_json(const std::string& url, const std::string& line)
{
    const std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
    if (!curl) return "cannot start an HTTP request";
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    const std::unique_ptr<curl_slist, void (*)(curl_slist*)> header_list(headers, curl_slist_free_all);
    curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, line.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(line.size()));
    curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, 5000L);
    curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, +[](char*, size_t size, size_t count, void*) { return size * count; });
    const CURLcode code = curl_easy_perform(curl.get());
    if (code != CURLE_OK) return std::string("the webhook did not answer: ") + curl_easy_strerror(code);
    long status = 0;
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
    if (status < 200 || status >= 300) return "the webhook answered HTTP " + std::to_string(status);
    return {};
}

std::string run_with_stdin(const std::string& command, const std::string& line)
{
    int pipe_fds[2];
    if (::pipe(pipe_fds) != 0) return std::string("cannot make a pipe: ") + std::strerror(errno);
    const pid_t pid = ::fork();
    if (pid < 0) {
        ::close(pipe_fds[0]);
        ::close(pipe_fds[1]);
        return std::string("cannot start the command: ") + std::strerror(errno);
    }
    if (pid == 0) {
        ::dup2(pipe_fds[0], STDIN_FILENO);
        ::close(pipe_fds[0]);
        ::close(pipe_fds[1]);
        ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    ::close(pipe_fds[0]);
    const std::string payload = line + "\n";
    // A command that does not read its stdin must not kill us with SIGPIPE: blocked in this thread
    // only while writing, and a pending one taken back before the mask is restored.
    sigset_t pipe_signal, previous;
    sigemptyset(&pipe_signal);
    sigaddset(&pipe_signal, SIGPIPE);
    ::pthread_sigmask(SIG_BLOCK, &pipe_signal, &previous);
    std::size_t written = 0;
    while (written < payload.size()) {
        const ssize_t n = ::write(pipe_fds[1], payload.data() + written, payload.size() - written);
        if (n <= 0) break;
        written += static_cast<std::size_t>(n);
    }
    ::close(pipe_fds[1]);
    const timespec no_wait{0, 0};
    while (::sigtimedwait(&pipe_signal, nullptr, &no_wait) == SIGPIPE) {
    }
    ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {};
    if (WIFEXITED(status)) return "the command exited with status " + std::to_string(WEXITSTATUS(status));
    return "the command was ended by signal " + std::to_string(WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

}  // namespace nftterm::protocols::risk
