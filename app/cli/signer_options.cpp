#include "signer_options.hpp"
#include <unistd.h>
#include <iostream>

#include "secret_input.hpp"

#include <wallet/accounts/atomic_file.hpp>
#include <wallet/crypto/secret.hpp>
#include <wallet/keys/key_import.hpp>
#include <wallet/keys/keystore.hpp>

namespace nftterm::cli {
using namespace nftterm::wallet;

Result<PrivateKey> private_key_from_file(const std::string& file)
{
    auto text = read_secret(file, "Private key", "--private-key-file");
    if (!text) return std::unexpected(text.error());
    auto key = key_from_hex(text->as_string());
    if (!key) return fail(Errc::InvalidKey, "the private key file does not hold 32 bytes of hex");
    return key;
}

Result<std::unique_ptr<Signer>> signer_from_options(const Arguments& args)
{
    if (auto file = args.value("private-key-file")) {
        auto key = private_key_from_file(*file);
        if (!key) return std::unexpected(key.error());
        return make_software_signer(std::move(*key));
    }
    auto file = args.value("keystore");
    if (!file) return fail(Errc::NotFound, "give --keystore FILE with --password-file P, or --private-key-file F");
    auto text = read_small_file(*file);
    if (!text) return std::unexpected(text.error());
    auto password = read_secret(args.value("password-file"), "Keystore password", "--password-file");
    if (!password) return std::unexpected(password.error());
    auto key = keystore::decrypt(*text, password->view());
    if (!key) return std::unexpected(key.error());
    return make_software_signer(std::move(*key));
}

bool ask_on_terminal(const Arguments& args, const std::string& summary)
{
    if (args.has("yes") || !::isatty(STDIN_FILENO)) return true;
    std::cerr << summary << "Sign? [y/N] " << std::flush;
    std::string answer;
    std::getline(std::cin, answer);
    return answer == "y" || answer == "Y" || answer == "yes";
}

protocols::Result<protocols::eth::SendPolicy> send_policy(const Arguments& args, std::optional<std::uint64_t> chain_id)
{
    protocols::eth::SendPolicy policy;
    policy.chain_id = chain_id;
    if (auto text = args.value("max-fee-per-gas")) {
        auto value = wallet::U256::parse_with_unit(*text);
        if (!value || value->is_zero()) return protocols::fail(protocols::Errc::Config, "--max-fee-per-gas: give an amount such as 80gwei, not '" + *text + "'");
        policy.ceiling.max_fee_per_gas = *value;
    }
    if (auto text = args.value("max-fee")) {
        auto value = wallet::U256::parse_with_unit(*text);
        if (!value || value->is_zero()) return protocols::fail(protocols::Errc::Config, "--max-fee: give an amount such as 0.02ether, not '" + *text + "'");
        policy.ceiling.max_total_fee = *value;
    }
    return policy;
}

}  // namespace nftterm::cli
