#pragma once

#include <wallet/crypto/secret.hpp>
#include <wallet/error.hpp>

#include <optional>
#include <string>

namespace nftterm::cli {

/// A secret from a file (one trailing newline dropped) or, when no file is
/// given and standard input is a terminal, from a prompt without echo.
/// Secrets are never taken from the command line itself.
wallet::Result<wallet::SecretBytes> read_secret(const std::optional<std::string>& file, const std::string& prompt,
                                                const std::string& option_name);

}  // namespace nftterm::cli
