#include "position.hpp"

namespace nftterm::protocols::positions {

std::string PositionKey::id() const
{
    std::string out = protocol + ":" + contract.to_hex() + ":" + market.to_hex();
    if (protocol == "nftfi" || protocol == "benddao") out += ":" + number.to_dec();
    if (protocol == "perp") out += ":" + account.to_hex();
    return out;
}

}  // namespace nftterm::protocols::positions
