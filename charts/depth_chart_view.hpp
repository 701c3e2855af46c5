#pragma once

#include <QChartView>
#include <QList>
#include <QPointF>

class QAreaSeries;
class QLineSeries;
class QValueAxis;

namespace nftterm::charts {

/// A collection's order book as depth: the cumulative NFTs the pools' bids
/// take (left, green) and their asks sell (right, red) against the price,
/// each a step per NFT as the book's levels are.
class DepthChartView : public QChartView {
    Q_OBJECT
public:
    explicit DepthChartView(QWidget* parent = nullptr);

    /// Each side's levels as (price in ETH, cumulative count), best first.
    void setBook(const QString& title, const QList<QPointF>& bids, const QList<QPointF>& asks);
    void setDark(bool dark);
    /// The step points drawn (for tests).
    QList<QPointF> bidPoints() const;
    QList<QPointF> askPoints() const;

private:
    QLineSeries* m_bids = nullptr;
    QLineSeries* m_asks = nullptr;
    QLineSeries* m_bid_base = nullptr;
    QLineSeries* m_ask_base = nullptr;
    QAreaSeries* m_bid_area = nullptr;
    QAreaSeries* m_ask_area = nullptr;
    QValueAxis* m_price_axis = nullptr;
    QValueAxis* m_count_axis = nullptr;
};

}  // namespace nftterm::charts
