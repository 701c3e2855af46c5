#include "position.hpp"

namespace nftterm::protocols::positions {

std::string PositionKey::id() const
{
    // nftfi:LOANS:LOAN_ID, benddao:POOL:COLLECTION:TOKEN_ID, sudoswap:PAIR, perp:HOUSE:AMM:TRADER
    if (protocol == "nftfi") return protocol + ":" + contract.to_hex() + ":" + number.to_dec();
    if (protocol == "benddao") return protocol + ":" + contract.to_hex() + ":" + market.to_hex() + ":" + number.to_dec();
    if (protocol == "perp") return protocol + ":" + contract.to_hex() + ":" + market.to_hex() + ":" + account.to_hex();
    return protocol + ":" + contract.to_hex();
}

}  // namespace nftterm::protocols::positions
