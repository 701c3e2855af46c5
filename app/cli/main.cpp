#include "abi_commands.hpp"
#include "wallet_commands.hpp"

#include <iostream>
#include <string_view>

namespace {

constexpr const char* kUsage = R"(usage: nftterm-cli COMMAND …

  wallet   keys, accounts and signatures (nftterm-cli wallet --help)
  abi      encode and decode calldata and return data (nftterm-cli abi --help)
  version  print the version
)";

}  // namespace

int main(int argc, char** argv)
{
    const std::string_view command = argc > 1 ? argv[1] : "";
    if (command == "wallet") return nftterm::cli::run_wallet_command(argc, argv);
    if (command == "abi") return nftterm::cli::run_abi_command(argc, argv);
    if (command == "version" || command == "--version") {
        std::cout << "nftterm-cli " << NFTTERM_VERSION << "\n";
        return 0;
    }
    if (command == "--help" || command == "help") {
        std::cout << kUsage;
        return 0;
    }
    std::cerr << (command.empty() ? std::string("nftterm-cli: no command") : "nftterm-cli: unknown command '" + std::string(command) + "'")
              << "\n" << kUsage;
    return 2;
}
