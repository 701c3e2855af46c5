#pragma once

// Perp v1's risk figures from a position's stored fields, shared by the
// monitor (what a position is) and the trade plans (what it will be), so the
// figure shown before signing is the one the table shows after landing.

#include <protocols/positions/position.hpp>

#include <optional>

namespace nftterm::protocols::positions {

/// getMarginRatio's arithmetic: (margin − funding owed + PnL) ÷ notional, with
/// the remaining margin's shortfall kept as a negative (remain − badDebt).
SignedWad perp_margin_ratio(const wallet::U256& margin, const SignedWad& funding, const SignedWad& pnl, const wallet::U256& notional);

/// The mark at which margin + size·(P − entry) = MMR·|size|·P, funding
/// included, the vAMM's slippage not; 0 for a long that cannot be liquidated.
std::optional<wallet::U256> perp_liquidation_price(const SignedWad& size, const SignedWad& margin_left, const wallet::U256& open_notional,
                                                   const wallet::U256& maintenance_ratio);

}  // namespace nftterm::protocols::positions
