#pragma once

#include <QChartView>

class QAbstractItemModel;
class QBarCategoryAxis;
class QBarSet;
class QValueAxis;

namespace nftterm::charts {

/// The stress table as bars: the portfolio's loss for each price shock,
/// each category naming how many positions that shock would liquidate.
/// Reads a model with a label, a value and a count column.
class StressChartView : public QChartView {
    Q_OBJECT
public:
    StressChartView(QAbstractItemModel* model, int label_column, int value_column, int count_column, QWidget* parent = nullptr);

    void setDark(bool dark);
    /// The category labels drawn (for tests).
    QStringList categories() const;
    /// The bar values drawn (for tests).
    QList<double> values() const;

private:
    void rebuild();

    QAbstractItemModel* m_model;
    int m_label_column;
    int m_value_column;
    int m_count_column;
    QBarSet* m_losses = nullptr;
    QBarCategoryAxis* m_categories = nullptr;
    QValueAxis* m_value_axis = nullptr;
};

}  // namespace nftterm::charts
