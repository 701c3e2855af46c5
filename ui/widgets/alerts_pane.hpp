#pragma once

#include <protocols/risk/alerts.hpp>

#include <QHash>
#include <QString>
#include <QWidget>

#include <vector>

class QComboBox;
class QLabel;
class QPushButton;
class QTableWidget;

namespace nftterm::ui {

/// The Alerts dock: one row per alert (the newest event of its id on top),
/// firing ones bold and coloured by severity, resolved ones grey. The user
/// acknowledges, snoozes for an hour, or jumps to the position.
class AlertsPane : public QWidget {
    Q_OBJECT
public:
    explicit AlertsPane(QWidget* parent = nullptr);

    /// Events in the order they happened; `now` is unix time.
    void addEvents(const std::vector<protocols::risk::Alert>& events, qint64 now);
    /// Alerts firing now (not resolved).
    int firingCount() const;
    int criticalCount() const;
    /// Marks `id` acknowledged (after a restart too: from the alert log).
    void markAcknowledged(const QString& id);

Q_SIGNALS:
    void acknowledgeRequested(const QString& alert_id);
    void snoozeRequested(const QString& alert_id);
    void showPositionRequested(const QString& position_id);
    void firingCountChanged(int count);

private:
    void refilter();
    void updateButtons();
    QString selectedId() const;

    struct Row {
        protocols::risk::Alert alert;
        qint64 at = 0;
        bool acknowledged = false;
    };
    QComboBox* m_filter = nullptr;
    QTableWidget* m_table = nullptr;
    QPushButton* m_acknowledge = nullptr;
    QPushButton* m_snooze = nullptr;
    QPushButton* m_show = nullptr;
    QLabel* m_summary = nullptr;
    /// Newest first.
    std::vector<Row> m_rows;
};

}  // namespace nftterm::ui
