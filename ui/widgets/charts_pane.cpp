#include "charts_pane.hpp"

#include <ui/models/history_model.hpp>
#include <ui/models/stress_model.hpp>

#include <charts/depth_chart_view.hpp>
#include <charts/history_chart_view.hpp>
#include <charts/stress_chart_view.hpp>

namespace nftterm::ui {

namespace {

const QColor kPrice(0x42, 0xa5, 0xf5);
const QColor kTwap(0xff, 0xb3, 0x00);
const QColor kLiquidation(0xe5, 0x39, 0x35);
const QColor kHealth(0x66, 0xbb, 0x6a);
const QColor kWarning(0xff, 0xa0, 0x00);
const QColor kCritical(0xe5, 0x39, 0x35);
const QColor kCost(0xab, 0x47, 0xbc);

}  // namespace

ChartsPane::ChartsPane(HistoryModel* history, StressModel* stress, QWidget* parent) : QTabWidget(parent)
{
    setObjectName(QStringLiteral("chartsPane"));
    using Line = charts::HistoryChartView::Line;
    m_price = new charts::HistoryChartView(history, HistoryModel::TimeMs,
                                           {Line{HistoryModel::Price, tr("Collateral price"), kPrice},
                                            Line{HistoryModel::Twap, tr("TWAP 24h"), kTwap},
                                            Line{HistoryModel::LiquidationPrice, tr("Liquidation price"), kLiquidation, true}},
                                           this);
    m_health = new charts::HistoryChartView(history, HistoryModel::TimeMs, {Line{HistoryModel::Health, tr("Health"), kHealth}}, this);
    m_funding = new charts::HistoryChartView(history, HistoryModel::TimeMs, {Line{HistoryModel::CostPerDay, tr("Per day"), kCost}}, this);
    m_funding->setValueFormat(QStringLiteral("%.4f"));
    m_stress = new charts::StressChartView(stress, StressModel::Shock, StressModel::Loss, StressModel::Liquidated, this);
    addTab(m_price, tr("Price"));
    addTab(m_health, tr("Health"));
    addTab(m_funding, tr("Funding"));
    addTab(m_stress, tr("Stress"));
    m_depth = new charts::DepthChartView(this);
    m_depth->setObjectName(QStringLiteral("depthChart"));
    addTab(m_depth, tr("Depth"));
    setPosition(nullptr, {}, {});
}

void ChartsPane::setPosition(const protocols::positions::Position* position, const QString& name, const RiskThresholds& thresholds)
{
    using Level = charts::HistoryChartView::Level;
    if (!position) {
        m_price->setTitle(tr("Collateral price — select a position"));
        m_health->setTitle(tr("Health — select a position"));
        m_funding->setTitle(tr("Funding and interest — select a position"));
        m_health->setLevels({});
        return;
    }
    const bool perp = position->key.protocol == protocols::positions::Protocol::Perp;
    m_price->setTitle(perp ? tr("%1 mark price and liquidation price (ETH)").arg(name)
                           : tr("%1 floor (%2), TWAP and liquidation price (ETH)").arg(name, QString::fromStdString(position->price_source)));
    // A margin ratio reads as a percentage, as in the table.
    m_health->setScale(perp ? 100.0 : 1.0);
    m_health->setValueFormat(perp ? QStringLiteral("%.1f %%") : QStringLiteral("%.2f"));
    if (perp) {
        m_health->setTitle(tr("%1 margin ratio (%)").arg(name));
        m_health->setLevels({Level{thresholds.margin_warning, tr("Warning"), kWarning}, Level{thresholds.margin_critical, tr("Critical"), kCritical}});
    } else if (position->key.protocol == protocols::positions::Protocol::BendDao) {
        m_health->setTitle(tr("%1 health factor").arg(name));
        m_health->setLevels({Level{thresholds.health_warning, tr("Warning"), kWarning},
                             Level{thresholds.health_critical, tr("Critical"), kCritical},
                             Level{1.0, tr("Liquidation"), kLiquidation}});
    } else {
        m_health->setTitle(tr("%1 has no health factor (%2)").arg(name, QString::fromUtf8(to_string(position->key.protocol))));
        m_health->setLevels({});
    }
    m_funding->setTitle(perp ? tr("%1 funding per day (ETH; positive: you pay)").arg(name) : tr("%1 interest per day (ETH)").arg(name));
}

void ChartsPane::setDark(bool dark)
{
    m_price->setDark(dark);
    m_health->setDark(dark);
    m_funding->setDark(dark);
    m_stress->setDark(dark);
    m_depth->setDark(dark);
}

void ChartsPane::setBook(const QString& title, const QList<QPointF>& bids, const QList<QPointF>& asks)
{
    m_depth->setBook(title, bids, asks);
}

}  // namespace nftterm::ui
