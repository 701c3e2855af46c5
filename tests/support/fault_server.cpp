#include "fault_server.hpp"

#include "loopback.hpp"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace nftterm::tests {
namespace {

/// Reads until the end of the request headers (bodies are small here).
void read_request(int fd)
{
    std::string data;
    char buffer[4096];
    while (data.find("\r\n\r\n") == std::string::npos) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 2000) <= 0) return;
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) return;
        data.append(buffer, static_cast<std::size_t>(n));
    }
}

void send_all(int fd, const std::string& text)
{
    ::send(fd, text.data(), text.size(), MSG_NOSIGNAL);
}

}  // namespace

FaultServer::FaultServer(Mode mode, std::string reply) : m_mode(mode), m_reply(std::move(reply))
{
    m_listen_fd = bind_loopback(m_port);
    ::listen(m_listen_fd, 8);
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
        read_request(fd);
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
            send_all(fd, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(m_reply.size())
                             + "\r\nConnection: close\r\n\r\n" + m_reply);
            break;
        }
        ::close(fd);
    }
}

}  // namespace nftterm::tests
