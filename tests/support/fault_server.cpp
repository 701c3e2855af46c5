#include "fault_server.hpp"

#include "loopback.hpp"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace nftterm::tests {
namespace {

/// Reads the request headers and a Content-Length body; returns the body.
std::string read_request(int fd)
{
    std::string data;
    char buffer[4096];
    auto receive = [&] {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 2000) <= 0) return false;
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) return false;
        data.append(buffer, static_cast<std::size_t>(n));
        return true;
    };
    while (data.find("\r\n\r\n") == std::string::npos)
        if (!receive()) return {};
    const std::size_t body_start = data.find("\r\n\r\n") + 4;
    std::size_t length = 0;
    for (const char* name : {"Content-Length:", "content-length:"})
        if (const auto at = data.find(name); at != std::string::npos && at < body_start)
            length = std::stoul(data.substr(at + 15));
    while (data.size() < body_start + length)
        if (!receive()) break;
    return data.substr(body_start);
}

void send_all(int fd, const std::string& text)
{
    ::send(fd, text.data(), text.size(), MSG_NOSIGNAL);
}

}  // namespace

FaultServer::FaultServer(Mode mode, std::string reply) : m_mode(mode), m_reply(std::move(reply))
{
    start();
}

FaultServer::FaultServer(Handler handler) : m_mode(Mode::Handler), m_handler(std::move(handler))
{
    start();
}

void FaultServer::start()
{
    m_listen_fd = bind_loopback(m_port);
    ::listen(m_listen_fd, 16);
    m_thread = std::thread([this] { serve(); });
}

FaultServer::~FaultServer()
{
    m_stop = true;
    m_thread.join();
    ::close(m_listen_fd);
}

void FaultServer::serve()
{
    while (!m_stop) {
        pollfd p{m_listen_fd, POLLIN, 0};
        if (::poll(&p, 1, 50) <= 0) continue;
        const int fd = ::accept(m_listen_fd, nullptr, nullptr);
        if (fd < 0) continue;
        const std::string body = read_request(fd);
        ++m_requests;
        switch (m_mode) {
        case Mode::Status500:
            send_all(fd, "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\nConnection: close\r\n\r\noops");
            break;
        case Mode::Hang:
            while (!m_stop) ::usleep(20000);
            break;
        case Mode::CutOff:
            send_all(fd, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{\"jsonrpc\"");
            break;
        case Mode::Reply:
        case Mode::Handler: {
            const std::string reply = m_mode == Mode::Reply ? m_reply : (m_handler ? m_handler(body) : std::string());
            send_all(fd, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(reply.size())
                             + "\r\nConnection: close\r\n\r\n" + reply);
            break;
        }
        }
        ::close(fd);
    }
}

}  // namespace nftterm::tests
