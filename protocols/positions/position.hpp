#pragma once

#include <protocols/eth/abi/abi_value.hpp>
#include <protocols/positions/position_kind.hpp>
#include <wallet/primitives/address.hpp>
#include <wallet/primitives/u256.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace nftterm::protocols::positions {

/// A signed 18-decimal fixed-point value (margin ratios, PnL, funding).
using SignedWad = abi::SignedInt;

/// Where to find one position again: what discovery yields and a read plan
/// is built from. `contract` is the protocol contract (loan contract, pool,
/// pair, clearing house); `market` the collection, or the perp's Amm.
struct PositionKey {
    Protocol protocol = Protocol::Nftfi;
    wallet::Address account;
    wallet::Address contract;
    wallet::Address market;
    /// Loan id (nftfi), NFT token id (benddao); unused otherwise.
    wallet::U256 number;
    /// Pool loans: the loan id and the reserve borrowed.
    std::uint64_t loan = 0;
    wallet::Address asset;

    /// Stable across refreshes and restarts: nftfi:LOANS:LOAN_ID,
    /// benddao:POOL:COLLECTION:TOKEN_ID, sudoswap:PAIR, perp:HOUSE:AMM:TRADER.
    std::string id() const;
    friend bool operator==(const PositionKey&, const PositionKey&) = default;
};

/// One position as one block's reads show it. Amounts are integers in the
/// base unit of `currency` (ETH/WETH wei unless said otherwise); figures the
/// protocol defines are computed with the contract's own integer math.
struct Position {
    PositionKey key;
    wallet::Address collection;
    std::optional<wallet::U256> token_id;
    wallet::Address currency;

    /// What the protocol values the collateral at (oracle floor, pool's ETH
    /// plus its NFTs at the instant-sell bid, |size| × index for perps).
    wallet::U256 collateral_value;
    /// Debt (loans), notional (perps), zero for pool LPs.
    wallet::U256 debt;
    /// WAD; where the protocol defines one (pool loans).
    std::optional<wallet::U256> health_factor;
    /// WAD, signed; perps.
    std::optional<SignedWad> margin_ratio;
    /// The unit price the collateral is valued at: the floor per NFT (ETH
    /// wei), or the perp's mark.
    std::optional<wallet::U256> price;
    /// Collateral price (per NFT, or perp mark) at which it becomes liquidatable.
    std::optional<wallet::U256> liquidation_price;
    /// Unix time when a fixed-term loan is due.
    std::optional<std::uint64_t> maturity;
    /// Pool loans in auction: when the borrower's redeem window and the
    /// auction close (unix time; the first bid plus the collection's durations).
    std::optional<std::uint64_t> redeem_ends_at;
    std::optional<std::uint64_t> auction_ends_at;
    /// Interest or funding per day at the current rate (positive: the holder pays).
    std::optional<SignedWad> cost_per_day;
    /// Perps: base size (signed WAD).
    std::optional<SignedWad> size;
    /// Perps: the clearing house's maintenance margin ratio (WAD), the level
    /// the margin ratio is liquidated at.
    std::optional<wallet::U256> maintenance_ratio;
    /// What selling the collateral into the AMM pools would fetch now (best
    /// bid first, moving each pool's curve): the conservative exit value
    /// beside the protocol's own valuation. Pools' NFTs plus their ETH for
    /// LP positions; unset for perps or when the pools cannot take it all.
    std::optional<wallet::U256> exit_value;
    /// The result so far, signed, in `currency`: a perp's unrealised PnL at
    /// the spot mark; an AMM pool's trading P&L against having held what was
    /// deposited (its ETH and NFTs now less those put in net of withdrawals,
    /// the NFTs at `price`; for a pool whose proceeds go to another address,
    /// the same from its trades as the tape replayed them).
    std::optional<SignedWad> pnl;
    /// AMM pools: where the pair sends what it receives (itself, unless a
    /// token or NFT pool names another recipient).
    std::optional<wallet::Address> asset_recipient;
    PositionState state = PositionState::Unknown;

    std::string price_source;
    /// Why the collateral is not valued against the debt ("" when it is):
    /// a loan in a currency the registry names no ETH price for (a DAI or
    /// USDC P2P loan). collateral_value is then 0, `price` still the floor.
    std::string unpriced;
    std::uint64_t price_block = 0;
    std::uint64_t price_age_seconds = 0;
    bool price_stale = false;

    /// Set when the reads show it is over (see Snapshot::ended): nothing else is.
    std::optional<PositionEnd> ended;

    /// False when its reads failed at this block (the others are still fine).
    bool readable = true;
    std::string unreadable_reason;
};

}  // namespace nftterm::protocols::positions
