#pragma once

#include <protocols/error.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace nftterm::protocols::devnet {

/// The devnet's anvil, started in the background (its own session, so it
/// outlives the command that started it) with its process id in
/// `state_dir/anvil.pid` and its output in `state_dir/anvil.log`.
struct AnvilProcess {
    int pid = 0;
    std::string url;
    /// False when an anvil already served `url` and was reused.
    bool started = false;
};

/// Starts anvil at `anvil_path` on 127.0.0.1:`port`, or reuses whatever
/// already answers there with chain id 31337. Waits until it answers.
Result<AnvilProcess> start_anvil(const std::filesystem::path& anvil_path, int port, const std::filesystem::path& state_dir);

/// Stops the anvil whose pid `state_dir/anvil.pid` names (if it still runs).
/// Returns the pid stopped, nullopt if none was running.
Result<std::optional<int>> stop_anvil(const std::filesystem::path& state_dir);

}  // namespace nftterm::protocols::devnet
