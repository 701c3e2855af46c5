#include "secret_input.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <iostream>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

namespace nftterm::cli {

using namespace nftterm::wallet;

namespace {

constexpr std::size_t kMaxSecret = 64 * 1024;

/// The first `length` bytes without one trailing line end ("\n" or "\r\n"), as the old reader did.
SecretBytes without_line_end(const SecretBytes& buffer, std::size_t length)
{
    if (length > 0 && buffer.data()[length - 1] == '\n') --length;
    if (length > 0 && buffer.data()[length - 1] == '\r') --length;
    return SecretBytes(ByteView(buffer.data(), length));
}

/// Reads a whole (small) file straight into secret memory sized once: no growing string leaves copies behind.
Result<SecretBytes> read_secret_file(const std::string& path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return fail(Errc::Io, "cannot read " + path + ": " + std::strerror(errno));
    struct stat info {};
    if (::fstat(fd, &info) != 0 || info.st_size < 0 || static_cast<std::size_t>(info.st_size) > kMaxSecret) {
        ::close(fd);
        return fail(Errc::Io, path + " is not a small secret file (at most 64 KiB)");
    }
    SecretBytes buffer(static_cast<std::size_t>(info.st_size));
    std::size_t length = 0;
    while (length < buffer.size()) {
        const ssize_t n = ::read(fd, buffer.data() + length, buffer.size() - length);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        length += static_cast<std::size_t>(n);
    }
    ::close(fd);
    return without_line_end(buffer, length);
}

/// A line typed on the terminal without echo, byte by byte into a buffer sized once.
SecretBytes read_typed_line()
{
    SecretBytes buffer(4096);
    std::size_t length = 0;
    char c = 0;
    while (length < buffer.size()) {
        const ssize_t n = ::read(STDIN_FILENO, &c, 1);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0 || c == '\n') break;
        buffer.data()[length++] = static_cast<std::uint8_t>(c);
    }
    c = 0;
    return without_line_end(buffer, length);
}

}  // namespace

Result<SecretBytes> read_secret(const std::optional<std::string>& file, const std::string& prompt,
                                const std::string& option_name)
{
    if (file) return read_secret_file(*file);
    if (!::isatty(STDIN_FILENO))
        return fail(Errc::NotFound, "give " + option_name + " FILE (standard input is not a terminal to prompt on)");
    std::cerr << prompt << ": " << std::flush;
    termios old_mode{};
    ::tcgetattr(STDIN_FILENO, &old_mode);
    termios quiet = old_mode;
    quiet.c_lflag &= static_cast<tcflag_t>(~ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    SecretBytes typed = read_typed_line();
    ::tcsetattr(STDIN_FILENO, TCSANOW, &old_mode);
    std::cerr << "\n";
    return typed;
}

}  // namespace nftterm::cli
