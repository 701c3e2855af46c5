#include "atomic_file.hpp"

#include <wallet/crypto/random.hpp>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace nftterm::wallet {
namespace {

std::unexpected<Error> io_error(const std::filesystem::path& path, const char* what)
{
    return fail(Errc::Io, std::string(what) + " " + path.string() + ": " + std::strerror(errno));
}

}  // namespace

Result<void> write_file_atomically(const std::filesystem::path& path, std::string_view content, unsigned mode)
{
    const auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    auto suffix = secure_random(6);
    if (!suffix) return std::unexpected(suffix.error());
    const auto temp = dir / ("." + path.filename().string() + "." + to_hex_bare(suffix->view()) + ".tmp");

    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) return io_error(temp, "cannot create");
    // The umask may have narrowed the mode; secrets must be exactly `mode`.
    ::fchmod(fd, mode);
    std::size_t written = 0;
    while (written < content.size()) {
        const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
        if (n < 0) {
            if (errno == EINTR) continue;
            auto err = io_error(temp, "cannot write");
            ::close(fd);
            ::unlink(temp.c_str());
            return err;
        }
        written += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        auto err = io_error(temp, "cannot sync");
        ::unlink(temp.c_str());
        return err;
    }
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        auto err = io_error(path, "cannot replace");
        ::unlink(temp.c_str());
        return err;
    }
    if (const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir_fd >= 0) {
        ::fsync(dir_fd);
        ::close(dir_fd);
    }
    return {};
}

Result<std::string> read_small_file(const std::filesystem::path& path, std::size_t max_size)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) return io_error(path, "cannot open");
    std::string content;
    char buffer[4096];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        content.append(buffer, static_cast<std::size_t>(in.gcount()));
        if (content.size() > max_size)
            return fail(Errc::Io, path.string() + " is larger than " + std::to_string(max_size) + " bytes");
    }
    return content;
}

}  // namespace nftterm::wallet
