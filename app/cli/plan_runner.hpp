#pragma once

#include "arguments.hpp"

#include <protocols/eth/rpc/rpc_client.hpp>
#include <protocols/actions/plan.hpp>
#include <protocols/positions/registry.hpp>

#include <functional>
#include <string>
#include <variant>
#include <vector>

namespace nftterm::cli {

/// Makes the plan for the position as the monitor just read it.
using Planner = std::function<protocols::Result<protocols::actions::PositionPlan>(
    protocols::eth::RpcClient&, const protocols::positions::Registry&, const protocols::positions::Position&)>;

/// One command that acts on a position (topup, repay, close, remove-margin).
struct PlanCommand {
    std::string name;   // "topup"
    std::string title;  // "Top-up", as the summary starts
    std::string usage;  // without the cache and node options, added here
    /// The command's own options besides --position and the signer's.
    std::vector<std::string> options;
    /// Reads the command's own options; on bad input says why and gives the exit code.
    std::function<std::variant<Planner, int>(const Arguments&)> make_planner;
};

/// --yes, else on a terminal "Sign and send? [y/N]"; not on a terminal and
/// without --yes: false, saying to pass --yes. Says so when declined.
bool confirmed(const Arguments& args, const char* name);

/// Finds the position among the signer's, plans, shows every call in words
/// with the predicted outcome, asks (unless --yes), then simulates, signs,
/// sends and waits for each call in turn, and prints before/predicted/after
/// as JSON. A call that would revert is never signed; nothing is sent twice.
int run_plan_command(int argc, char** argv, const PlanCommand& command);

}  // namespace nftterm::cli
