#pragma once

#include <protocols/eth/rpc/rpc_client.hpp>
#include <protocols/actions/plan.hpp>
#include <protocols/positions/registry.hpp>

namespace nftterm::protocols::actions {

/// Plans a top-up of `position` (as the monitor saw it at `position.price_block`)
/// to `target` (WAD, e.g. 1.5e18): a partial repay for a pool loan, added
/// margin for a perp, an approval first when the allowance is short. Other
/// families have no top-up (Errc::Refused says why). `payer`: another account
/// pays and signs (a hot wallet repaying a cold wallet's pool loan: the pool
/// takes repayment from anyone); a perp's margin only its trader can add.
Result<PositionPlan> plan_top_up(eth::RpcClient& client, const Registry& registry, const Position& position, const wallet::U256& target,
                                 const std::optional<wallet::Address>& payer = {});

}  // namespace nftterm::protocols::actions
