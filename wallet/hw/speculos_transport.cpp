#include "ledger_transport.hpp"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace nftterm::wallet::ledger {
namespace {

constexpr std::chrono::milliseconds kSocketSlice{100};

class SpeculosTransport final : public Transport {
public:
    SpeculosTransport(int fd, std::string where) : m_fd(fd), m_where(std::move(where)) {}
    ~SpeculosTransport() override
    {
        if (m_fd >= 0) ::close(m_fd);
    }

    std::string description() const override { return "Speculos at " + m_where; }

    Result<Reply> exchange(const Apdu& apdu, const SignContext& context) override
    {
        if (m_fd < 0) return fail(Errc::DeviceUnavailable, "the connection to " + m_where + " was closed after an interrupted request: connect again");
        const Bytes command = apdu.encode();
        Bytes out{static_cast<std::uint8_t>(command.size() >> 24), static_cast<std::uint8_t>(command.size() >> 16),
                  static_cast<std::uint8_t>(command.size() >> 8), static_cast<std::uint8_t>(command.size())};
        out.insert(out.end(), command.begin(), command.end());
        for (std::size_t sent = 0; sent < out.size();) {
            const ssize_t n = ::send(m_fd, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
            if (n <= 0) return close({Errc::DeviceUnavailable, "the device at " + m_where + " went away"});
            sent += static_cast<std::size_t>(n);
        }
        const auto deadline = std::chrono::steady_clock::now() + context.timeout;
        Bytes length(4);
        if (auto ok = receive(length, deadline, context); !ok) return std::unexpected(ok.error());
        const std::size_t size = std::size_t(length[0]) << 24 | std::size_t(length[1]) << 16 | std::size_t(length[2]) << 8 | length[3];
        if (size > 64 * 1024) return close({Errc::DeviceUnavailable, "the device at " + m_where + " announced an answer of " + std::to_string(size) + " bytes"});
        Bytes answer(size + 2);  // the length leaves out the status word
        if (auto ok = receive(answer, deadline, context); !ok) return std::unexpected(ok.error());
        const std::uint16_t status = static_cast<std::uint16_t>(answer[size] << 8 | answer[size + 1]);
        answer.resize(size);
        return Reply{std::move(answer), status};
    }

private:
    Result<void> receive(Bytes& buffer, std::chrono::steady_clock::time_point deadline, const SignContext& context)
    {
        for (std::size_t got = 0; got < buffer.size();) {
            if (context.stop.stop_requested()) return close({Errc::Cancelled, "the request to the Ledger was cancelled"});
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) return close({Errc::Timeout, no_answer_within(context.timeout)});
            pollfd ready{m_fd, POLLIN, 0};
            const int polled = ::poll(&ready, 1, static_cast<int>(std::min(left, kSocketSlice).count()));
            if (polled < 0 && errno == EINTR) continue;
            if (polled == 0) continue;
            const ssize_t n = polled > 0 ? ::recv(m_fd, buffer.data() + got, buffer.size() - got, 0) : -1;
            if (n <= 0) return close({Errc::DeviceUnavailable, "the device at " + m_where + " went away during the request"});
            got += static_cast<std::size_t>(n);
        }
        return {};
    }

    std::unexpected<Error> close(Error error)
    {
        if (m_fd >= 0) ::close(m_fd);
        m_fd = -1;  // an answer still on its way must not be read as the next one's
        return std::unexpected(std::move(error));
    }

    int m_fd;
    std::string m_where;
};

}  // namespace

Result<std::unique_ptr<Transport>> connect_speculos(const std::string& host, std::uint16_t port, std::chrono::milliseconds connect_timeout)
{
    const std::string where = host + ":" + std::to_string(port);
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0 || !found)
        return fail(Errc::DeviceUnavailable, "cannot resolve " + host + " for the Ledger emulator");
    std::string why = "nothing listens there";
    int fd = -1;
    for (addrinfo* a = found; a && fd < 0; a = a->ai_next) {
        fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0) continue;
        if (::connect(fd, a->ai_addr, a->ai_addrlen) != 0 && errno != EINPROGRESS) {
            why = std::strerror(errno);
            ::close(fd);
            fd = -1;
            continue;
        }
        pollfd ready{fd, POLLOUT, 0};
        int error = 0;
        socklen_t size = sizeof error;
        if (::poll(&ready, 1, static_cast<int>(connect_timeout.count())) != 1 || ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size) != 0 || error != 0) {
            why = error ? std::strerror(error) : "no answer";
            ::close(fd);
            fd = -1;
        }
    }
    ::freeaddrinfo(found);
    if (fd < 0) return fail(Errc::DeviceUnavailable, "no Ledger emulator at " + where + " (" + why + "): is Speculos running with --apdu-port " + std::to_string(port) + "?");
    return std::unique_ptr<Transport>(std::make_unique<SpeculosTransport>(fd, where));
}

Result<std::unique_ptr<Transport>> open_transport(std::string_view spec)
{
    if (spec == "hid") {
        auto device = open_ledger_hid();
        if (!device) return std::unexpected(device.error());
        return make_hid_transport(std::move(*device));
    }
    if (spec.starts_with("tcp:")) {
        const std::string_view rest = spec.substr(4);
        const auto colon = rest.rfind(':');
        const std::string port_text = colon == std::string_view::npos ? std::string() : std::string(rest.substr(colon + 1));
        char* end = nullptr;
        const unsigned long port = std::strtoul(port_text.c_str(), &end, 10);
        if (colon == std::string_view::npos || colon == 0 || port_text.empty() || *end != '\0' || port == 0 || port > 65535)
            return fail(Errc::Unsupported, "a Ledger transport is 'hid' or 'tcp:HOST:PORT', not '" + std::string(spec) + "'");
        return connect_speculos(std::string(rest.substr(0, colon)), static_cast<std::uint16_t>(port));
    }
    return fail(Errc::Unsupported, "a Ledger transport is 'hid' or 'tcp:HOST:PORT', not '" + std::string(spec) + "'");
}

std::string no_answer_within(std::chrono::milliseconds timeout)
{
    const auto ms = timeout.count();
    const std::string span = ms < 1000 ? std::to_string(ms) + " ms" : ms < 120000 ? std::to_string(ms / 1000) + " s" : std::to_string(ms / 60000) + " min";
    return "the Ledger did not answer within " + span + ": confirm on the device sooner, or check that it is awake";
}

std::string transport_spec(std::optional<std::string> option)
{
    if (option) return *option;
    if (const char* env = std::getenv("NFTTERM_LEDGER_TRANSPORT"); env && *env) return env;
    return "hid";
}

}  // namespace nftterm::wallet::ledger
