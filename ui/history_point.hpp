#pragma once

#include <QMetaType>
#include <QString>

#include <optional>
#include <vector>

namespace nftterm::ui {

/// One moment of a position's history as the charts show it: its own
/// figures or its collection's prices (a point carries one or the other;
/// what was not recorded is empty). Display values, never for arithmetic.
struct HistoryPoint {
    /// Chain time (unix seconds) of the block.
    qint64 time = 0;
    quint64 block = 0;
    /// The collateral price the protocol values at (per NFT, or the perp's mark).
    std::optional<double> price = {};
    std::optional<double> liquidation_price = {};
    /// Health factor, or margin ratio for perps.
    std::optional<double> health = {};
    /// Interest or funding per day (positive: the holder pays).
    std::optional<double> cost_per_day = {};
    /// The collection's 24 h trade TWAP.
    std::optional<double> twap = {};
};

/// The recorded history of one position, oldest first.
struct PositionHistory {
    QString position_id;
    std::vector<HistoryPoint> points;
};

}  // namespace nftterm::ui

Q_DECLARE_METATYPE(nftterm::ui::PositionHistory)
