#pragma once

#include <protocols/eth/rpc/rpc_client.hpp>
#include <protocols/actions/plan.hpp>
#include <protocols/positions/registry.hpp>

namespace nftterm::protocols::actions {

/// Plans repaying a loan in full so that the NFT comes back: NFTfi's
/// payBackLoan (the fixed payoff, refused by the contract after maturity),
/// or LendPool.repay of the whole debt (planned with a little interest to
/// spare: the pool takes only what is owed when the call lands). An
/// approval comes first when the allowance is short.
Result<PositionPlan> plan_repay(eth::RpcClient& client, const Registry& registry, const Position& position);

}  // namespace nftterm::protocols::actions
