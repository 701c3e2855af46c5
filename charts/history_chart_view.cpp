#include "history_chart_view.hpp"

#include "model_series.hpp"

#include <QAbstractItemModel>
#include <QChart>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QLineSeries>
#include <QPen>
#include <QValueAxis>

#include <algorithm>
#include <limits>

namespace nftterm::charts {

HistoryChartView::HistoryChartView(QAbstractItemModel* model, int x_column, std::vector<Line> lines, QWidget* parent)
    : QChartView(parent), m_model(model), m_x_column(x_column), m_lines(std::move(lines))
{
    auto* chart = new QChart;
    chart->legend()->setAlignment(Qt::AlignTop);
    m_time_axis = new QDateTimeAxis(chart);
    m_time_axis->setFormat(QStringLiteral("dd MMM HH:mm"));
    m_time_axis->setTickCount(5);
    m_value_axis = new QValueAxis(chart);
    m_value_axis->setLabelFormat(QStringLiteral("%.2f"));
    chart->addAxis(m_time_axis, Qt::AlignBottom);
    chart->addAxis(m_value_axis, Qt::AlignLeft);
    for (const Line& line : m_lines) {
        auto* series = new QLineSeries(chart);
        series->setName(line.name);
        chart->addSeries(series);
        series->attachAxis(m_time_axis);
        series->attachAxis(m_value_axis);
        m_series.push_back(series);
    }
    // QChartView made a default chart of its own and setChart() gives it back to us, not to a parent: delete it.
    QChart* made_by_the_view = this->chart();
    setChart(chart);
    delete made_by_the_view;
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(160);
    applyColours();

    connect(m_model, &QAbstractItemModel::modelReset, this, &HistoryChartView::rebuild);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex&, int first, int last) { appendRows(first, last); });
    rebuild();
}

void HistoryChartView::setTitle(const QString& title)
{
    chart()->setTitle(title);
}

void HistoryChartView::setValueFormat(const QString& format)
{
    m_value_axis->setLabelFormat(format);
}

void HistoryChartView::setScale(double scale)
{
    if (scale == m_scale) return;
    m_scale = scale;
    rebuild();
}

void HistoryChartView::setLevels(std::vector<Level> levels)
{
    for (auto* series : m_level_series) {
        chart()->removeSeries(series);
        delete series;
    }
    m_level_series.clear();
    m_levels = std::move(levels);
    for (const Level& level : m_levels) {
        auto* series = new QLineSeries(chart());
        series->setName(level.name);
        chart()->addSeries(series);
        series->attachAxis(m_time_axis);
        series->attachAxis(m_value_axis);
        m_level_series.push_back(series);
    }
    applyColours();
    rescale();
}

void HistoryChartView::setDark(bool dark)
{
    // A chart theme recolours every series: ours are put back after it.
    chart()->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    applyColours();
}

void HistoryChartView::applyColours()
{
    for (std::size_t i = 0; i < m_series.size(); ++i) {
        QPen pen(m_lines[i].colour, 2);
        if (m_lines[i].dashed) pen.setStyle(Qt::DashLine);
        m_series[i]->setPen(pen);
    }
    for (std::size_t i = 0; i < m_level_series.size(); ++i) {
        QPen pen(m_levels[i].colour, 1.5);
        pen.setStyle(Qt::DotLine);
        m_level_series[i]->setPen(pen);
    }
}

int HistoryChartView::pointCount(int index) const
{
    return index >= 0 && index < static_cast<int>(m_series.size()) ? static_cast<int>(m_series[static_cast<std::size_t>(index)]->count()) : -1;
}

void HistoryChartView::rebuild()
{
    for (auto* series : m_series) series->clear();
    appendRows(0, m_model->rowCount() - 1);
}

void HistoryChartView::appendRows(int first, int last)
{
    if (last >= first)
        for (std::size_t i = 0; i < m_series.size(); ++i) append_rows(*m_series[i], *m_model, m_x_column, m_lines[i].column, first, last, m_scale);
    rescale();
}

void HistoryChartView::rescale()
{
    double x_min = std::numeric_limits<double>::max(), x_max = std::numeric_limits<double>::lowest();
    double y_min = x_min, y_max = x_max;
    for (const auto* series : m_series) {
        for (const QPointF& point : series->points()) {
            x_min = std::min(x_min, point.x());
            x_max = std::max(x_max, point.x());
            y_min = std::min(y_min, point.y());
            y_max = std::max(y_max, point.y());
        }
    }
    if (x_min > x_max) {
        // Nothing recorded yet: the last hour, empty.
        x_max = double(QDateTime::currentMSecsSinceEpoch());
        x_min = x_max - 3600e3;
    }
    if (x_max - x_min < 60e3) x_min = x_max - 60e3;
    // The levels are drawn across the range and kept in view: the distance to them is the point.
    for (std::size_t i = 0; i < m_levels.size(); ++i) {
        const double value = m_levels[i].value * m_scale;
        y_min = std::min(y_min, value);
        y_max = std::max(y_max, value);
        m_level_series[i]->replace(QList<QPointF>{{x_min, value}, {x_max, value}});
    }
    if (y_min > y_max) y_min = 0, y_max = 1;
    const double pad = std::max((y_max - y_min) * 0.08, std::abs(y_max) * 0.01 + 1e-9);
    // Labels as fine as the span needs: seconds for minutes, dates for days.
    const double span = x_max - x_min;
    m_time_axis->setFormat(span < 600e3 ? QStringLiteral("HH:mm:ss") : span < 86400e3 ? QStringLiteral("HH:mm") : QStringLiteral("dd MMM HH:mm"));
    m_time_axis->setRange(QDateTime::fromMSecsSinceEpoch(qint64(x_min)), QDateTime::fromMSecsSinceEpoch(qint64(x_max)));
    m_value_axis->setRange(y_min - pad, y_max + pad);
}

}  // namespace nftterm::charts
