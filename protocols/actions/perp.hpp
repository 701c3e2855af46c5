#pragma once

#include <protocols/eth/rpc/rpc_client.hpp>
#include <protocols/actions/plan.hpp>

#include <cstdint>

namespace nftterm::protocols::actions {

/// The default worst price move a close accepts against its quote: 0.5 %.
constexpr std::uint32_t kDefaultCloseSlippageBps = 50;

/// Plans closing a perp position with ClearingHouse.closePosition: the Amm's
/// exact quote for the whole size, a limit `slippage_bps` worse than it (so
/// a market moved against the trader makes the call revert instead of
/// filling badly; never 0, which would accept any price), and what the
/// account gets back (margin − funding + PnL, less the toll and spread fee).
Result<PositionPlan> plan_close(eth::RpcClient& client, const Position& position, std::uint32_t slippage_bps = kDefaultCloseSlippageBps);

/// Plans taking margin out of a perp position down to `target` margin ratio
/// (WAD) by both the spot and the TWAP mark (so that the ratio stays at or
/// above it as the TWAP moves toward spot), but never past what ClearingHouse.removeMargin allows: the free
/// collateral (min of margin and margin + PnL, with the smaller PnL of spot
/// and TWAP, less the initial margin ratio of the open notional) stays ≥ 0.
Result<PositionPlan> plan_remove_margin(eth::RpcClient& client, const Position& position, const wallet::U256& target);

}  // namespace nftterm::protocols::actions
