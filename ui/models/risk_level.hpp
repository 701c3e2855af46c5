#pragma once

#include <protocols/risk/risk_level.hpp>

namespace nftterm::ui {

using protocols::risk::distance_to_liquidation;
using protocols::risk::risk_of;
using protocols::risk::RiskLevel;
using protocols::risk::RiskThresholds;

}  // namespace nftterm::ui
