#pragma once

#include <protocols/error.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace nftterm::protocols::devnet {

/// The devnet's anvil, started in the background (its own session, so it
/// outlives the command that started it) with its identity in
/// `state_dir/anvil.pid` (JSON, 0600, written atomically: pid, start time,
/// executable) and its output in `state_dir/anvil.log`.
struct AnvilProcess {
    int pid = 0;
    std::string url;
    /// False when an anvil already served `url` and was reused.
    bool started = false;
};

/// Starts anvil at `anvil_path` on 127.0.0.1:`port`, or reuses whatever
/// already answers there with chain id 31337. Waits until it answers.
Result<AnvilProcess> start_anvil(const std::filesystem::path& anvil_path, int port, const std::filesystem::path& state_dir);

/// Stops the anvil `state_dir/anvil.pid` names if that exact process (same
/// pid, start time and executable) still runs; a reused pid is never
/// signalled. Returns the pid stopped, nullopt if none was running; a pid
/// file that does not identify a process is an error (nothing signalled).
Result<std::optional<int>> stop_anvil(const std::filesystem::path& state_dir);

}  // namespace nftterm::protocols::devnet
