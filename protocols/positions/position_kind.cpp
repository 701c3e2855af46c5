#include "position_kind.hpp"

namespace nftterm::protocols::positions {

std::string_view to_string(Protocol protocol)
{
    switch (protocol) {
    case Protocol::Nftfi: return "nftfi";
    case Protocol::BendDao: return "benddao";
    case Protocol::Sudoswap: return "sudoswap";
    case Protocol::Perp: return "perp";
    }
    return "unknown";
}

std::optional<Protocol> parse_protocol(std::string_view text)
{
    for (const Protocol protocol : kProtocols)
        if (to_string(protocol) == text) return protocol;
    return std::nullopt;
}

bool has_top_up(Protocol protocol)
{
    switch (protocol) {
    case Protocol::BendDao:
    case Protocol::Perp: return true;
    case Protocol::Nftfi:     // a P2P loan is repaid in full or not at all
    case Protocol::Sudoswap:  // an LP position cannot be liquidated
        return false;
    }
    return false;
}

std::string_view to_string(PositionState state)
{
    switch (state) {
    case PositionState::Unknown: return "";
    case PositionState::Active: return "active";
    case PositionState::Overdue: return "overdue";
    case PositionState::Auction: return "auction";
    case PositionState::Open: return "open";
    case PositionState::Liquidatable: return "liquidatable";
    case PositionState::TokenPool: return "TOKEN pool";
    case PositionState::NftPool: return "NFT pool";
    case PositionState::TradePool: return "TRADE pool";
    }
    return "";
}

std::optional<PositionState> parse_position_state(std::string_view text)
{
    for (const PositionState state : kPositionStates)
        if (to_string(state) == text) return state;
    return std::nullopt;
}

}  // namespace nftterm::protocols::positions
