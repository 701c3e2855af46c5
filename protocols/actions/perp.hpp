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

/// A perp trade through ClearingHouse.openPosition: opening, increasing or
/// reducing (the other side, for less than the position's notional) or
/// reversing (the other side, for more).
struct PerpTradePlan {
    PositionPlan plan;  // the calls, the token paid and the account's balance
    wallet::Address house, amm;
    bool long_side = true;
    /// The notional traded (margin × leverage) and the base it buys or sells, by the Amm's exact quote.
    wallet::U256 open_notional;
    SignedWad base;
    /// The limit sent (the least base for a long, the most for a short).
    wallet::U256 base_limit;
    wallet::U256 margin;  // pulled for an open or increase; 0 for a reduce
    wallet::U256 fee;     // toll + spread on the notional
    /// Before and after: the position's size (0 when none).
    SignedWad size_before, size_after;
    wallet::U256 entry_price;  // notional / |base|
    /// The margin ratio the position opens at (margin ÷ notional) for a new position.
    std::optional<wallet::U256> initial_ratio;
    std::string kind;  // "open", "increase", "reduce", "reverse"
    /// The position after landing, replayed with the clearing house's own arithmetic
    /// (none when a reverse only closes): its stored margin and open notional,
    /// getMarginRatio at the landing block by the larger PnL of the spot mark
    /// (exact: the reserves after the trade) and the 15-minute TWAP (the plan
    /// block's snapshots, so an estimate that moves with the seconds), and the
    /// liquidation price as the monitor computes it.
    struct After {
        wallet::U256 margin, open_notional;
        SignedWad margin_ratio;
        bool ratio_by_spot = true;
        std::optional<wallet::U256> liquidation_price;
    };
    std::optional<After> after;
    SignedWad funding_rate;  // the Amm's last settled rate per funding period
    std::uint64_t funding_period = 0;  // seconds
    wallet::U256 maintenance_ratio;
};

/// Plans `side` (long: true) for `margin` × `leverage` (WAD) on `amm` for
/// `trader`, with the base limit `slippage_bps` worse than the Amm's quote.
/// A trade on the other side for more than the position's notional reverses
/// it: the clearing house closes it, then opens the rest on the other side,
/// which is replayed with the Amm's own arithmetic for the size after.
Result<PerpTradePlan> plan_perp_trade(eth::RpcClient& client, const wallet::Address& house, const wallet::Address& amm, const wallet::Address& trader,
                                      bool long_side, const wallet::U256& margin, const wallet::U256& leverage, std::uint32_t slippage_bps, std::uint64_t block);

}  // namespace nftterm::protocols::actions
