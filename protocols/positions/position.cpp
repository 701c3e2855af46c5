#include "position.hpp"

namespace nftterm::protocols::positions {

std::string PositionKey::id() const
{
    std::string out(to_string(protocol));
    out += ':';
    out += contract.to_hex();
    switch (protocol) {
    case Protocol::Nftfi: out += ':' + number.to_dec(); break;                         // nftfi:LOANS:LOAN_ID
    case Protocol::BendDao: out += ':' + market.to_hex() + ':' + number.to_dec(); break;  // benddao:POOL:COLLECTION:TOKEN_ID
    case Protocol::Sudoswap: break;                                                    // sudoswap:PAIR
    case Protocol::Perp: out += ':' + market.to_hex() + ':' + account.to_hex(); break;    // perp:HOUSE:AMM:TRADER
    }
    return out;
}

}  // namespace nftterm::protocols::positions
