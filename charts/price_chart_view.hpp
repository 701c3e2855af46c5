#pragma once

#include <QChartView>

namespace nftterm::charts {

/// Collateral price over time with the liquidation line. Until a position
/// is selected it shows an empty, labelled chart.
class PriceChartView : public QChartView {
    Q_OBJECT
public:
    explicit PriceChartView(QWidget* parent = nullptr);

    /// Follows the window's theme.
    void setDark(bool dark);
};

}  // namespace nftterm::charts
