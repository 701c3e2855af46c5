#include "signer_options.hpp"
#include <unistd.h>
#include <iostream>

#include "secret_input.hpp"

#include <wallet/accounts/account_store.hpp>
#include <wallet/accounts/atomic_file.hpp>
#include <wallet/hw/ledger_signer.hpp>
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

bool has_signer(const Arguments& args)
{
    return args.has("keystore") || args.has("private-key-file") || args.has("ledger");
}

namespace {

Result<std::unique_ptr<Signer>> ledger_signer(const Arguments& args)
{
    auto path = DerivationPath::parse(args.value("ledger-path").value_or("m/44'/60'/0'/0/0"));
    if (!path) return std::unexpected(path.error());
    std::optional<Address> expected;
    std::optional<std::string> transport = args.value("ledger-transport");
    if (auto store = AccountStore::open(AccountStore::default_folder()))
        if (const auto* account = store->ledger_account(path->to_string())) {
            expected = account->address;
            if (!transport && !account->transport.empty() && account->transport != "hid") transport = account->transport;
        }
    const std::string spec = ledger::transport_spec(transport);
    auto signer = ledger::LedgerSigner::connect([spec] { return ledger::open_transport(spec); }, *path, expected);
    if (!signer) return std::unexpected(signer.error());
    (*signer)->on_prompt([](const ledger::DevicePrompt& prompt) {
        std::cerr << "Confirm on your Ledger: " << prompt.what << "\n";
        if (prompt.domain_separator) std::cerr << "  domain hash  " << prompt.domain_separator->to_hex() << "\n";
        if (prompt.message_hash) std::cerr << "  message hash " << prompt.message_hash->to_hex() << "\n";
    });
    return std::unique_ptr<Signer>(std::move(*signer));
}

}  // namespace

Result<std::unique_ptr<Signer>> signer_from_options(const Arguments& args)
{
    if (args.has("ledger")) return ledger_signer(args);
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
