#pragma once

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace nftterm::ui {

/// The levels as typed (quote-token prices; empty: none).
struct PerpTriggerInput {
    QString stop_loss;
    QString take_profit;
    int max_slippage_bps = 100;
};

/// Stop-loss and take-profit of one perp: the position in words (side, size,
/// mark, liquidation price) above the two levels and the slippage its close
/// accepts. "Save" emits saveRequested; the app checks and stores the levels
/// and closes the dialog, or says why not (setError).
class PerpTriggerDialog : public QDialog {
    Q_OBJECT
public:
    PerpTriggerDialog(const QString& position_words, const PerpTriggerInput& current, QWidget* parent = nullptr);

    PerpTriggerInput input() const;
    void setError(const QString& message);

Q_SIGNALS:
    void saveRequested(const nftterm::ui::PerpTriggerInput& input);

private:
    QLineEdit* m_stop = nullptr;
    QLineEdit* m_take = nullptr;
    QSpinBox* m_slippage = nullptr;
    QLabel* m_status = nullptr;
};

}  // namespace nftterm::ui
