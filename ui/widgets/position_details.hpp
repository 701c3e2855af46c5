#pragma once

#include <protocols/positions/position.hpp>

#include <QWidget>

class QLabel;
class QPushButton;
class QTextBrowser;

namespace nftterm::ui {

/// The selected position in full: every figure the table abbreviates, the
/// price source and age, the id to copy, and the actions it offers.
class PositionDetails : public QWidget {
    Q_OBJECT
public:
    explicit PositionDetails(QWidget* parent = nullptr);

    /// Shows `position` (null: nothing selected) as of the block at `now`.
    void showPosition(const protocols::positions::Position* position, const QString& collection_name, std::uint64_t now);

Q_SIGNALS:
    void topUpRequested(const QString& position_id);
    void triggersRequested(const QString& position_id);

private:
    QTextBrowser* m_text = nullptr;
    QPushButton* m_top_up = nullptr;
    QPushButton* m_triggers = nullptr;
    QString m_id;
};

}  // namespace nftterm::ui
