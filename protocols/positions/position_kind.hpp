#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace nftterm::protocols::positions {

/// The protocol a position lives in. Its `to_string` is the JSON and CLI
/// contract ("nftfi", "benddao", "sudoswap", "perp"); a new protocol is a
/// compile error in every `switch` that must handle it.
enum class Protocol : std::uint8_t {
    Nftfi,     // P2P fixed-term loans
    BendDao,   // pool loans
    Sudoswap,  // NFT AMM pools (LP side)
    Perp,      // NFT perpetuals
};
inline constexpr Protocol kProtocols[] = {Protocol::Nftfi, Protocol::BendDao, Protocol::Sudoswap, Protocol::Perp};

std::string_view to_string(Protocol protocol);
std::optional<Protocol> parse_protocol(std::string_view text);
/// Whether a top-up can strengthen a position of this protocol (a pool
/// loan's partial repay, a perp's added margin).
bool has_top_up(Protocol protocol);

/// Where a position stands, as its protocol defines it. `to_string` is the
/// JSON contract; Unknown ("") is the state of a position whose reads failed.
enum class PositionState : std::uint8_t {
    Unknown,
    Active,        // a loan running (P2P before maturity, pool loan not in auction)
    Overdue,       // a P2P loan past maturity: the lender may foreclose
    Auction,       // a pool loan being auctioned: redeemable within the window
    Open,          // a perp above maintenance margin
    Liquidatable,  // a perp below maintenance margin
    TokenPool,     // AMM pair types
    NftPool,
    TradePool,
};
inline constexpr PositionState kPositionStates[] = {PositionState::Unknown, PositionState::Active,       PositionState::Overdue,
                                                    PositionState::Auction, PositionState::Open,         PositionState::Liquidatable,
                                                    PositionState::TokenPool, PositionState::NftPool,    PositionState::TradePool};

std::string_view to_string(PositionState state);

/// How a position ended, where the contract says (a pool loan's state:
/// Repaid or Defaulted). Liquidated covers a foreclosure too.
enum class PositionEnd : std::uint8_t { Repaid, Liquidated };
std::optional<PositionState> parse_position_state(std::string_view text);

}  // namespace nftterm::protocols::positions
