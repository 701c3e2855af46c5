#pragma once

#include <protocols/positions/position.hpp>

#include <QString>

#include <cstdint>

namespace nftterm::ui {

/// An 18-decimal amount as a double: for display and sorting only, never for arithmetic.
double wad_to_double(const wallet::U256& wad);
double signed_wad_to_double(const protocols::positions::SignedWad& wad);
/// "12.3456" (at most `places` decimals, trailing zeros kept off).
QString amount_text(const wallet::U256& wad, int places = 4);
/// "0x90F7…b906": enough to tell accounts apart by eye.
QString short_address(const wallet::Address& address);
/// The protocol as traders write it ("NFTfi", "BendDAO", "sudoswap", "Perp").
QString protocol_name(protocols::positions::Protocol protocol);
/// "12s", "5m", "3h", "2d".
QString age_text(std::uint64_t seconds);

}  // namespace nftterm::ui
