#pragma once

#include <ui/models/risk_level.hpp>

#include <QTabWidget>

namespace nftterm::charts {
class DepthChartView;
class HistoryChartView;
class StressChartView;
}  // namespace nftterm::charts

namespace nftterm::ui {

class HistoryModel;
class StressModel;

/// The charts dock: the selected position's collateral price against its
/// TWAP and liquidation price, its health against the warning and critical
/// levels, its funding (or interest) per day; and the portfolio's stress
/// bars. Draws the models it is given.
class ChartsPane : public QTabWidget {
    Q_OBJECT
public:
    ChartsPane(HistoryModel* history, StressModel* stress, QWidget* parent = nullptr);

    /// Names the charts after the selected position (null: none) and draws
    /// the levels that apply to it.
    void setPosition(const protocols::positions::Position* position, const QString& name, const RiskThresholds& thresholds);
    void setDark(bool dark);

    charts::HistoryChartView* priceChart() const { return m_price; }
    charts::HistoryChartView* healthChart() const { return m_health; }
    charts::HistoryChartView* fundingChart() const { return m_funding; }
    charts::StressChartView* stressChart() const { return m_stress; }
    charts::DepthChartView* depthChart() const { return m_depth; }
    /// The selected position's collection's order book (see DepthChartView::setBook).
    void setBook(const QString& title, const QList<QPointF>& bids, const QList<QPointF>& asks);

private:
    charts::HistoryChartView* m_price = nullptr;
    charts::HistoryChartView* m_health = nullptr;
    charts::HistoryChartView* m_funding = nullptr;
    charts::StressChartView* m_stress = nullptr;
    charts::DepthChartView* m_depth = nullptr;
};

}  // namespace nftterm::ui
