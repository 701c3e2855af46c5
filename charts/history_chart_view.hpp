#pragma once

#include <QChartView>
#include <QColor>
#include <QString>

#include <vector>

class QAbstractItemModel;
class QDateTimeAxis;
class QLineSeries;
class QValueAxis;

namespace nftterm::charts {

/// A figure over time from columns of a history model: one line per
/// column, plus horizontal reference lines (a liquidation threshold, the
/// warning level). Follows the model: a reset redraws, appended rows extend
/// the lines. It never fetches data.
class HistoryChartView : public QChartView {
    Q_OBJECT
public:
    struct Line {
        int column = 0;
        QString name;
        QColor colour;
        bool dashed = false;
    };
    struct Level {
        double value = 0;
        QString name;
        QColor colour;
    };

    /// `x_column` holds milliseconds since the epoch.
    HistoryChartView(QAbstractItemModel* model, int x_column, std::vector<Line> lines, QWidget* parent = nullptr);

    void setTitle(const QString& title);
    /// Reference levels drawn across the whole time range.
    void setLevels(std::vector<Level> levels);
    /// "%.2f", "%.1f %%" …: how the value axis labels read.
    void setValueFormat(const QString& format);
    /// Values (and levels) are drawn times `scale`: 100 shows a ratio as a percentage.
    void setScale(double scale);
    /// Follows the window's theme.
    void setDark(bool dark);

    /// Points drawn in line `index` (for tests).
    int pointCount(int index) const;

private:
    void rebuild();
    void appendRows(int first, int last);
    void rescale();
    void applyColours();

    QAbstractItemModel* m_model;
    int m_x_column;
    std::vector<Line> m_lines;
    std::vector<QLineSeries*> m_series;
    std::vector<Level> m_levels;
    std::vector<QLineSeries*> m_level_series;
    QDateTimeAxis* m_time_axis = nullptr;
    QValueAxis* m_value_axis = nullptr;
    double m_scale = 1.0;
};

}  // namespace nftterm::charts
