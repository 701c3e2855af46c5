#pragma once

class QAbstractItemModel;
class QXYSeries;

namespace nftterm::charts {

/// Appends the model's rows [first, last] to `series` as (x, y) points from
/// two columns; rows whose y cell is empty are left out (a gap in the data,
/// not a zero); y is multiplied by `scale`. The thin adapter between item
/// models and line series.
void append_rows(QXYSeries& series, const QAbstractItemModel& model, int x_column, int y_column, int first, int last, double scale = 1.0);

}  // namespace nftterm::charts
