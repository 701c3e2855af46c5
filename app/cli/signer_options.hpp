#pragma once

#include "arguments.hpp"

#include <wallet/signer/signer.hpp>

#include <memory>

namespace nftterm::cli {

/// The signer a command was given: --keystore FILE with --password-file P
/// (or a no-echo prompt), or --private-key-file F. The key is wiped when the
/// signer dies; it never appears on the command line.
wallet::Result<std::unique_ptr<wallet::Signer>> signer_from_options(const Arguments& args);

/// A raw private key (hex) from a file; the buffers holding it are wiped.
wallet::Result<wallet::PrivateKey> private_key_from_file(const std::string& file);

}  // namespace nftterm::cli
