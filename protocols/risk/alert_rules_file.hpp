#pragma once

#include <protocols/error.hpp>
#include <protocols/risk/alerts.hpp>

#include <string_view>

namespace nftterm::protocols::risk {

/// The levels from a rules file (JSON), the one the window's settings write
/// and the headless watcher reads: every key optional, the rest default.
///   {"healthWarning": "1.2", "healthCritical": "1.05", "healthMargin": "0.05",
///    "marginWarningMmr": "2", "marginCriticalMmr": "1.25", "marginMarginMmr": "0.25",
///    "dueWarningHours": 24, "dueCriticalHours": 1, "costPerDayLimit": "0.05",
///    "priceMovePercent": 10, "priceMoveMinutes": 15, "nodeUnreachableSeconds": 30,
///    "nodeLaggingSeconds": 120, "escalateMinutes": 15, "topUpTarget": "1.5"}
/// Levels are decimal strings (WAD once read). An unknown key or a bad
/// value is refused, naming it: a typo must not leave a level at its default.
Result<AlertLevels> levels_from_json(std::string_view text);
std::string levels_to_json(const AlertLevels& levels);

}  // namespace nftterm::protocols::risk
