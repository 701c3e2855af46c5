#include "stress_chart_view.hpp"

#include <QAbstractItemModel>
#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QValueAxis>

#include <algorithm>

namespace nftterm::charts {

namespace {

const QColor kLossColour(0xc6, 0x28, 0x28);

}  // namespace

StressChartView::StressChartView(QAbstractItemModel* model, int label_column, int value_column, int count_column, QWidget* parent)
    : QChartView(parent), m_model(model), m_label_column(label_column), m_value_column(value_column), m_count_column(count_column)
{
    auto* chart = new QChart;
    chart->setTitle(tr("Stress: every collection's price down by"));
    chart->legend()->setVisible(false);
    auto* series = new QBarSeries(chart);
    m_losses = new QBarSet(tr("Loss (ETH)"));
    m_losses->setColor(kLossColour);
    series->append(m_losses);
    series->setLabelsVisible(true);
    series->setLabelsFormat(QStringLiteral("@value ETH"));
    series->setLabelsPrecision(6);
    chart->addSeries(series);
    m_categories = new QBarCategoryAxis(chart);
    m_value_axis = new QValueAxis(chart);
    m_value_axis->setLabelFormat(QStringLiteral("%.1f"));
    m_value_axis->setTitleText(tr("Loss (ETH)"));
    chart->addAxis(m_categories, Qt::AlignBottom);
    chart->addAxis(m_value_axis, Qt::AlignLeft);
    series->attachAxis(m_categories);
    series->attachAxis(m_value_axis);
    // QChartView made a default chart of its own and setChart() gives it back to us, not to a parent: delete it.
    QChart* made_by_the_view = this->chart();
    setChart(chart);
    delete made_by_the_view;
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(160);

    connect(m_model, &QAbstractItemModel::modelReset, this, &StressChartView::rebuild);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &StressChartView::rebuild);
    rebuild();
}

void StressChartView::setDark(bool dark)
{
    chart()->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart()->legend()->setVisible(false);
    m_losses->setColor(kLossColour);
}

QStringList StressChartView::categories() const
{
    return m_categories->categories();
}

QList<double> StressChartView::values() const
{
    QList<double> values;
    for (int i = 0; i < m_losses->count(); ++i) values.append(m_losses->at(i));
    return values;
}

void StressChartView::rebuild()
{
    QStringList labels;
    QList<qreal> losses;
    double top = 0, bottom = 0;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const int liquidated = m_model->index(row, m_count_column).data().toInt();
        labels << m_model->index(row, m_label_column).data().toString() + u'\n' + tr("%n liquidated", nullptr, liquidated);
        const double loss = m_model->index(row, m_value_column).data().toDouble();
        losses << loss;
        top = std::max(top, loss);
        bottom = std::min(bottom, loss);
    }
    if (m_losses->count() > 0) m_losses->remove(0, m_losses->count());
    m_losses->append(losses);
    m_categories->setCategories(labels);
    m_value_axis->setRange(bottom, top > bottom ? top * 1.15 : 1.0);
}

}  // namespace nftterm::charts
