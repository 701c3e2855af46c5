#include "model_series.hpp"

#include <QAbstractItemModel>
#include <QList>
#include <QPointF>
#include <QXYSeries>

namespace nftterm::charts {

void append_rows(QXYSeries& series, const QAbstractItemModel& model, int x_column, int y_column, int first, int last, double scale)
{
    QList<QPointF> points;
    points.reserve(last - first + 1);
    for (int row = first; row <= last; ++row) {
        const QVariant y = model.index(row, y_column).data();
        if (!y.isValid()) continue;
        points.append(QPointF(model.index(row, x_column).data().toDouble(), y.toDouble() * scale));
    }
    // One append: one repaint, not one per point.
    if (!points.isEmpty()) series.append(points);
}

}  // namespace nftterm::charts
