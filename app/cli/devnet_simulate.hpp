#pragma once

#include "arguments.hpp"

#include <filesystem>

namespace nftterm::cli {

/// `nftterm-cli devnet simulate`: runs the market simulator against the
/// devnet whose manifest is in `state_dir`, printing a JSON line per step.
int run_devnet_simulate(const Arguments& args, const std::filesystem::path& state_dir);

}  // namespace nftterm::cli
