#pragma once

#include <wallet/error.hpp>

#include <filesystem>
#include <string>
#include <string_view>

namespace nftterm::wallet {

/// Writes `content` to `path` so that a reader sees the old file or the new
/// one, never a part: a temporary file in the same folder, created with
/// `mode` (0600 for secrets), synced, renamed over the target, folder synced.
Result<void> write_file_atomically(const std::filesystem::path& path, std::string_view content, unsigned mode = 0600);

/// Reads a whole file (at most `max_size` bytes: a keystore is small).
Result<std::string> read_small_file(const std::filesystem::path& path, std::size_t max_size = 1 << 20);

}  // namespace nftterm::wallet
