#include "depth_chart_view.hpp"

#include <QAreaSeries>
#include <QChart>
#include <QLineSeries>
#include <QValueAxis>

#include <algorithm>

namespace nftterm::charts {

namespace {

const QColor kBid(0x43, 0xa0, 0x47);
const QColor kAsk(0xe5, 0x39, 0x35);

/// A step per level: the count holds from one price to the next.
QList<QPointF> steps(const QList<QPointF>& levels)
{
    QList<QPointF> out;
    double count = 0;
    for (const auto& level : levels) {
        out << QPointF(level.x(), count) << QPointF(level.x(), level.y());
        count = level.y();
    }
    return out;
}

void paint_area(QAreaSeries* area, const QColor& colour)
{
    QColor fill = colour;
    fill.setAlpha(90);
    area->setBrush(fill);
    area->setPen(QPen(colour, 2));
}

}  // namespace

DepthChartView::DepthChartView(QWidget* parent) : QChartView(parent)
{
    auto* chart = new QChart;
    m_bids = new QLineSeries(chart);
    m_asks = new QLineSeries(chart);
    m_bid_base = new QLineSeries(chart);
    m_ask_base = new QLineSeries(chart);
    m_bid_area = new QAreaSeries(m_bids, m_bid_base);
    m_ask_area = new QAreaSeries(m_asks, m_ask_base);
    m_bid_area->setName(tr("Bids (NFTs the pools buy)"));
    m_ask_area->setName(tr("Asks (NFTs the pools sell)"));
    paint_area(m_bid_area, kBid);
    paint_area(m_ask_area, kAsk);
    chart->addSeries(m_bid_area);
    chart->addSeries(m_ask_area);
    m_price_axis = new QValueAxis(chart);
    m_price_axis->setTitleText(tr("Price (ETH)"));
    m_price_axis->setLabelFormat(QStringLiteral("%.2f"));
    m_count_axis = new QValueAxis(chart);
    m_count_axis->setTitleText(tr("NFTs"));
    m_count_axis->setLabelFormat(QStringLiteral("%d"));
    chart->addAxis(m_price_axis, Qt::AlignBottom);
    chart->addAxis(m_count_axis, Qt::AlignLeft);
    for (auto* area : {m_bid_area, m_ask_area}) {
        area->attachAxis(m_price_axis);
        area->attachAxis(m_count_axis);
    }
    chart->legend()->setAlignment(Qt::AlignTop);
    chart->setTitle(tr("Depth — select a position"));
    // QChartView made a default chart of its own and setChart() gives it back to us, not to a parent: delete it.
    QChart* made_by_the_view = this->chart();
    setChart(chart);
    delete made_by_the_view;
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(160);
}

void DepthChartView::setBook(const QString& title, const QList<QPointF>& bids, const QList<QPointF>& asks)
{
    chart()->setTitle(title);
    // The book near the market: levels within 40 % of the mid price (a steep curve's far levels would squash the rest).
    const double best_bid = bids.isEmpty() ? 0 : bids.first().x();
    const double best_ask = asks.isEmpty() ? 0 : asks.first().x();
    const double mid = best_bid > 0 && best_ask > 0 ? (best_bid + best_ask) / 2 : std::max(best_bid, best_ask);
    const auto near = [mid](const QList<QPointF>& levels) {
        QList<QPointF> kept;
        for (const auto& level : levels)
            if (kept.isEmpty() || (level.x() >= mid * 0.6 && level.x() <= mid * 1.4)) kept << level;
        return kept;
    };
    const auto bid_steps = steps(near(bids));
    const auto ask_steps = steps(near(asks));
    m_bids->replace(bid_steps);
    m_asks->replace(ask_steps);
    QList<QPointF> bid_base, ask_base;
    for (const auto& p : bid_steps) bid_base << QPointF(p.x(), 0);
    for (const auto& p : ask_steps) ask_base << QPointF(p.x(), 0);
    m_bid_base->replace(bid_base);
    m_ask_base->replace(ask_base);
    double low = 0, high = 1, most = 1;
    bool any = false;
    for (const auto& p : bid_steps + ask_steps) {
        low = any ? std::min(low, p.x()) : p.x();
        high = any ? std::max(high, p.x()) : p.x();
        most = std::max(most, p.y());
        any = true;
    }
    const double pad = any ? std::max((high - low) * 0.05, 0.01) : 0.5;
    m_price_axis->setRange(low - pad, high + pad);
    m_count_axis->setRange(0, most + 1);
    m_count_axis->setTickCount(5);
    m_count_axis->applyNiceNumbers();
}

void DepthChartView::setDark(bool dark)
{
    chart()->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    paint_area(m_bid_area, kBid);
    paint_area(m_ask_area, kAsk);
}

QList<QPointF> DepthChartView::bidPoints() const
{
    return m_bids->points();
}

QList<QPointF> DepthChartView::askPoints() const
{
    return m_asks->points();
}

}  // namespace nftterm::charts
