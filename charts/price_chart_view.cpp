#include "price_chart_view.hpp"

#include <QChart>
#include <QDateTimeAxis>
#include <QLineSeries>
#include <QValueAxis>

namespace nftterm::charts {

PriceChartView::PriceChartView(QWidget* parent) : QChartView(parent)
{
    auto* chart = new QChart;
    chart->setTitle(tr("Collateral price — select a position"));
    chart->legend()->setVisible(false);
    auto* price = new QLineSeries(chart);
    price->setName(tr("Price"));
    chart->addSeries(price);
    auto* time_axis = new QDateTimeAxis(chart);
    time_axis->setFormat(QStringLiteral("HH:mm"));
    auto* value_axis = new QValueAxis(chart);
    value_axis->setLabelFormat(QStringLiteral("%.2f"));
    chart->addAxis(time_axis, Qt::AlignBottom);
    chart->addAxis(value_axis, Qt::AlignLeft);
    price->attachAxis(time_axis);
    price->attachAxis(value_axis);
    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(160);
}

void PriceChartView::setDark(bool dark)
{
    chart()->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart()->legend()->setVisible(false);
}

}  // namespace nftterm::charts
