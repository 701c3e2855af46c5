#pragma once

#include "arguments.hpp"

#include <protocols/eth/tx/sender.hpp>
#include <wallet/signer/signer.hpp>

#include <memory>

namespace nftterm::cli {

/// The signer a command was given: --keystore FILE with --password-file P
/// (or a no-echo prompt), --private-key-file F (the key is wiped when the
/// signer dies; it never appears on the command line), or --ledger with
/// --ledger-path P (default m/44'/60'/0'/0/0) and --ledger-transport
/// hid|tcp:HOST:PORT (default NFTTERM_LEDGER_TRANSPORT, else hid). A Ledger
/// account in the store for that path must be the device's address.
wallet::Result<std::unique_ptr<wallet::Signer>> signer_from_options(const Arguments& args);

/// The options that choose a signer (allowed wherever a command signs).
inline const std::vector<std::string> kSignerOptions = {"keystore", "password-file", "private-key-file", "ledger", "ledger-path", "ledger-transport"};
/// Whether the command was given a signer at all.
bool has_signer(const Arguments& args);
constexpr const char* kNoSigner = "give --keystore FILE with --password-file P, --private-key-file F, or --ledger";

constexpr const char* kLedgerOptionsUsage = R"(Ledger options (in place of --keystore):
  --ledger                 sign on a Ledger (its Ethereum app open)
  --ledger-path P          the account's path (default m/44'/60'/0'/0/0)
  --ledger-transport T     hid (USB, the default) or tcp:HOST:PORT (Speculos);
                           default NFTTERM_LEDGER_TRANSPORT
)";

/// A raw private key (hex) from a file; the buffers holding it are wiped.
wallet::Result<wallet::PrivateKey> private_key_from_file(const std::string& file);

/// Options every command that signs takes, beside the key.
inline const std::vector<std::string> kSigningOptions = {"max-fee-per-gas", "max-fee", "yes"};

constexpr const char* kSigningOptionsUsage = R"(Signing options (every command that signs):
  --max-fee-per-gas V  refuse to sign above this fee per gas (default 500 gwei)
  --max-fee V          refuse to sign if the fee could pass this (default 0.1 ether)
  --yes                sign without asking (on a terminal the command shows
                       what it signs and asks first)
)";

/// On a terminal without --yes: prints `summary` and asks "Sign? [y/N]";
/// true only for yes. Not on a terminal (a script, a pipe): true.
bool ask_on_terminal(const Arguments& args, const std::string& summary);

/// The policy a signing command holds its transactions to: the ceilings
/// given (or the defaults) and the chain the user meant (`chain_id`: the
/// registry's, or --chain-id). Errc::Config names a bad value.
protocols::Result<protocols::eth::SendPolicy> send_policy(const Arguments& args, std::optional<std::uint64_t> chain_id);

}  // namespace nftterm::cli
