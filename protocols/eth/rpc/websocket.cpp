#include "websocket.hpp"
#include "websocket_frame.hpp"

#include <wallet/crypto/random.hpp>

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <algorithm>
#include <utility>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace nftterm::protocols::eth {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxMessage = 16 << 20;

std::string base64(const unsigned char* data, std::size_t size)
{
    std::string out(4 * ((size + 2) / 3), '\0');
    const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
    out.resize(static_cast<std::size_t>(std::max(written, 0)));
    return out;
}

/// Sec-WebSocket-Accept for a key (RFC 6455 §4.2.2).
std::string accept_for(const std::string& key)
{
    const std::string text = key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    unsigned char digest[SHA_DIGEST_LENGTH];
    SHA1(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
    return base64(digest, sizeof digest);
}

std::string lower(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

class SocketWebSocket final : public WebSocket {
public:
    SocketWebSocket(int fd, std::string url, std::string leftover) : m_fd(fd), m_url(std::move(url)), m_buffer(std::move(leftover)) {}
    ~SocketWebSocket() override
    {
        (void)send_frame(0x8, {});  // a courtesy close: the socket is closed either way
        ::close(m_fd);
    }

    Result<void> send_text(std::string_view text) override { return send_frame(0x1, text); }

    Result<std::optional<std::string>> receive_text(std::chrono::milliseconds timeout) override
    {
        const auto deadline = Clock::now() + timeout;
        // A message split over frames may span calls: keep what arrived.
        std::string& message = m_partial;
        bool& in_message = m_in_message;
        while (true) {
            auto frame = read_frame(deadline);
            if (!frame) return std::unexpected(frame.error());
            if (!*frame) return std::optional<std::string>();
            auto& [opcode, fin, payload] = **frame;
            switch (opcode) {
            case 0x9:
                if (auto pong = send_frame(0xA, payload); !pong) return std::unexpected(pong.error());
                continue;
            case 0xA: continue;
            case 0x8: return fail(Errc::Transport, m_url + ": the server closed the WebSocket");
            case 0x1:
            case 0x2:
                if (in_message) return fail(Errc::Transport, m_url + ": a new WebSocket message before the last one finished");
                message = std::move(payload);
                in_message = true;
                break;
            case 0x0:
                if (!in_message) return fail(Errc::Transport, m_url + ": a WebSocket continuation without a start");
                message += payload;
                break;
            default: return fail(Errc::Transport, m_url + ": unknown WebSocket opcode " + std::to_string(opcode));
            }
            if (message.size() > kMaxMessage) return fail(Errc::Transport, m_url + ": a WebSocket message over 16 MiB");
            if (fin) {
                in_message = false;
                return std::optional<std::string>(std::exchange(message, std::string()));
            }
        }
    }

private:
    struct Frame {
        int opcode;
        bool fin;
        std::string payload;
    };

    Result<void> send_frame(int opcode, std::string_view payload)
    {
        std::string frame;
        frame.push_back(static_cast<char>(0x80 | opcode));
        const std::size_t size = payload.size();
        if (size < 126) {
            frame.push_back(static_cast<char>(0x80 | size));
        } else if (size <= 0xffff) {
            frame.push_back(static_cast<char>(0x80 | 126));
            frame.push_back(static_cast<char>(size >> 8));
            frame.push_back(static_cast<char>(size & 0xff));
        } else {
            frame.push_back(static_cast<char>(0x80 | 127));
            for (int shift = 56; shift >= 0; shift -= 8) frame.push_back(static_cast<char>((size >> shift) & 0xff));
        }
        // Clients must mask every frame with a fresh random key (RFC 6455 §5.3).
        auto mask = wallet::secure_random(4);
        if (!mask) return fail(Errc::Transport, "no randomness for the WebSocket mask");
        const auto key = mask->view();
        frame.append(reinterpret_cast<const char*>(key.data()), 4);
        for (std::size_t i = 0; i < size; ++i) frame.push_back(static_cast<char>(payload[i] ^ static_cast<char>(key[i % 4])));
        std::size_t sent = 0;
        while (sent < frame.size()) {
            const ssize_t n = ::send(m_fd, frame.data() + sent, frame.size() - sent, MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return fail(Errc::Transport, m_url + ": the WebSocket is closed (" + std::strerror(errno) + ")");
            sent += static_cast<std::size_t>(n);
        }
        return {};
    }

    /// Ensures `count` bytes are buffered; false on timeout.
    Result<bool> fill(std::size_t count, Clock::time_point deadline)
    {
        char chunk[16384];
        while (m_buffer.size() < count) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
            pollfd p{m_fd, POLLIN, 0};
            const int ready = ::poll(&p, 1, static_cast<int>(std::max<long long>(left, 0)));
            if (ready == 0) return false;
            if (ready < 0 && errno == EINTR) continue;
            const ssize_t n = ::recv(m_fd, chunk, sizeof chunk, 0);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return fail(Errc::Transport, m_url + ": the WebSocket connection was closed");
            m_buffer.append(chunk, static_cast<std::size_t>(n));
        }
        return true;
    }

    /// One frame, or nullopt if no complete frame arrived before the deadline
    /// (a partial frame stays buffered for the next call).
    Result<std::optional<Frame>> read_frame(Clock::time_point deadline)
    {
        while (true) {
            auto parsed = parse_server_frame(m_buffer, kMaxMessage);
            if (!parsed) return fail(Errc::Transport, m_url + ": " + parsed.error().context);
            if (parsed->frame) {
                m_buffer.erase(0, parsed->size);
                return std::optional<Frame>(Frame{parsed->frame->opcode, parsed->frame->fin, std::move(parsed->frame->payload)});
            }
            auto ready = fill(parsed->size, deadline);
            if (!ready) return std::unexpected(ready.error());
            if (!*ready) return std::optional<Frame>();
        }
    }

    int m_fd;
    std::string m_url;
    std::string m_buffer;
    std::string m_partial;
    bool m_in_message = false;
};

}  // namespace

std::string websocket_url_for(const std::string& url)
{
    if (url.starts_with("http://")) return "ws://" + url.substr(7);
    if (url.starts_with("https://")) return "wss://" + url.substr(8);
    return url;
}

Result<std::unique_ptr<WebSocket>> WebSocket::connect(const std::string& url, std::chrono::milliseconds timeout)
{
    if (url.starts_with("wss://")) return fail(Errc::Config, url + ": wss:// is not supported; the terminal polls over HTTPS instead");
    if (!url.starts_with("ws://")) return fail(Errc::Config, url + " is not a ws:// address");
    const std::string rest = url.substr(5);
    const auto slash = rest.find('/');
    const std::string authority = rest.substr(0, slash);
    const std::string path = slash == std::string::npos ? "/" : rest.substr(slash);
    const auto colon = authority.rfind(':');
    const std::string host = colon == std::string::npos ? authority : authority.substr(0, colon);
    const std::string port = colon == std::string::npos ? "80" : authority.substr(colon + 1);

    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (::getaddrinfo(host.c_str(), port.c_str(), &hints, &found) != 0 || !found) return fail(Errc::Transport, url + ": host not found");
    const int fd = ::socket(found->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    int connected = fd >= 0 ? ::connect(fd, found->ai_addr, found->ai_addrlen) : -1;
    ::freeaddrinfo(found);
    if (fd < 0) return fail(Errc::Transport, url + ": cannot open a socket");
    auto refuse = [&](const std::string& why) {
        ::close(fd);
        return fail(Errc::Transport, url + ": " + why);
    };
    if (connected < 0 && errno != EINPROGRESS) return refuse("connection refused (is the node running?)");
    pollfd p{fd, POLLOUT, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return refuse("no connection within the timeout");
    int error = 0;
    socklen_t length = sizeof error;
    ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length);
    if (error != 0) return refuse("connection refused (is the node running?)");
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);

    auto nonce = wallet::secure_random(16);
    if (!nonce) return refuse("no randomness for the handshake");
    const std::string key = base64(nonce->view().data(), 16);
    const std::string request = "GET " + path + " HTTP/1.1\r\nHost: " + authority
                                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                                + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size())) return refuse("cannot send the handshake");
    std::string response;
    const auto deadline = Clock::now() + timeout;
    char chunk[4096];
    while (response.find("\r\n\r\n") == std::string::npos) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        pollfd in{fd, POLLIN, 0};
        if (left <= 0 || ::poll(&in, 1, static_cast<int>(left)) <= 0) return refuse("no WebSocket handshake answer within the timeout");
        const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0) return refuse("the server closed the connection during the handshake");
        response.append(chunk, static_cast<std::size_t>(n));
        if (response.size() > 65536) return refuse("an oversized handshake answer");
    }
    const auto end = response.find("\r\n\r\n") + 4;
    const std::string head = lower(response.substr(0, end));
    if (!head.starts_with("http/1.1 101")) return refuse("the endpoint does not offer WebSocket (" + response.substr(0, response.find("\r\n")) + ")");
    const auto accept_at = head.find("sec-websocket-accept:");
    if (accept_at == std::string::npos) return refuse("the handshake answer lacks Sec-WebSocket-Accept");
    std::string accept = response.substr(accept_at + 21, response.find("\r\n", accept_at) - accept_at - 21);
    accept.erase(0, accept.find_first_not_of(' '));
    if (accept != accept_for(key)) return refuse("the handshake answer has a wrong Sec-WebSocket-Accept");
    return std::unique_ptr<WebSocket>(new SocketWebSocket(fd, url, response.substr(end)));
}

}  // namespace nftterm::protocols::eth
