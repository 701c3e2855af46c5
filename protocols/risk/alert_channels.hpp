#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace nftterm::protocols::risk {

/// Delivers alert JSON lines on a thread of its own, in order, retrying a
/// failed delivery with backoff (1 s, 2 s, 4 s … up to `max_attempts`), so
/// the monitor never waits for a slow or dead receiver. A full queue drops
/// its oldest line (and says so). What failed for good is reported through
/// `on_failure` (from the delivery thread). Destroying it waits only for the
/// delivery under way (a webhook's 5 s timeout at most): lines still queued
/// are dropped; `drain` first to send them.
class AlertChannel {
public:
    /// `deliver` sends one line and returns "" or why it failed, in words.
    AlertChannel(std::string name, std::function<std::string(const std::string& line)> deliver, std::function<void(const std::string&)> on_failure,
                 int max_attempts = 5, std::chrono::milliseconds first_backoff = std::chrono::seconds(1), std::size_t max_queue = 1000);
    ~AlertChannel();
    AlertChannel(const AlertChannel&) = delete;
    AlertChannel& operator=(const AlertChannel&) = delete;

    /// Queues one line; returns at once.
    void post(std::string line);
    /// Waits until the queue is empty (tests, and a clean exit), at most `limit`.
    bool drain(std::chrono::milliseconds limit);

private:
    void run();

    std::string m_name;
    std::function<std::string(const std::string&)> m_deliver;
    std::function<void(const std::string&)> m_on_failure;
    int m_max_attempts;
    std::chrono::milliseconds m_first_backoff;
    std::size_t m_max_queue;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::string> m_queue;
    bool m_busy = false;
    bool m_stop = false;
    std::thread m_thread;
};

/// POSTs `line` to `url` as application/json (libcurl, 5 s timeout): "" or why not.
std::string post_json(const std::string& url, const std::string& line);
/// Runs `command` with /bin/sh, `line` on its stdin (as Bitcoin Core's
/// -alertnotify runs its command): "" or why not (exit status, signal).
std::string run_with_stdin(const std::string& command, const std::string& line);

}  // namespace nftterm::protocols::risk
