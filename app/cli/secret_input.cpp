#include "secret_input.hpp"

#include <wallet/accounts/atomic_file.hpp>

#include <iostream>
#include <termios.h>
#include <unistd.h>

namespace nftterm::cli {

using namespace nftterm::wallet;

Result<SecretBytes> read_secret(const std::optional<std::string>& file, const std::string& prompt,
                                const std::string& option_name)
{
    std::string text;
    if (file) {
        auto content = read_small_file(*file, 64 * 1024);
        if (!content) return std::unexpected(content.error());
        text = std::move(*content);
        if (text.ends_with('\n')) text.pop_back();
        if (text.ends_with('\r')) text.pop_back();
    } else {
        if (!::isatty(STDIN_FILENO))
            return fail(Errc::NotFound, "give " + option_name + " FILE (standard input is not a terminal to prompt on)");
        std::cerr << prompt << ": " << std::flush;
        termios old_mode{};
        ::tcgetattr(STDIN_FILENO, &old_mode);
        termios quiet = old_mode;
        quiet.c_lflag &= static_cast<tcflag_t>(~ECHO);
        ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
        std::getline(std::cin, text);
        ::tcsetattr(STDIN_FILENO, TCSANOW, &old_mode);
        std::cerr << "\n";
    }
    SecretBytes out = SecretBytes::from_string(text);
    secure_zero(text.data(), text.size());
    return out;
}

}  // namespace nftterm::cli
