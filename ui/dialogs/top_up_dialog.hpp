#pragma once

#include <QDialog>
#include <QStringList>

class QDialogButtonBox;
class QPlainTextEdit;
class QPushButton;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;

namespace nftterm::ui {

/// A plan as the top-up dialog shows it (made by the app from the core's plan).
struct PlanView {
    QString position_id;
    /// "Pool loan DAPE #301 of carol (devnet)".
    QString title;
    /// "Health factor" or "Margin ratio".
    QString measure;
    QString before, predicted;
    /// Every call in words, in the order they are signed.
    QStringList calls;
    QString amount, balance_before, balance_after;
    /// The most the fees can come to (what the transactions allow) and what they will likely be.
    QString max_fee, likely_fee;
    /// Each transaction as it will be signed: chain, from, to, value, gas limit, max fees, calldata.
    QStringList raw_calls;
    /// Who signs, in words ("keystore 0x…", "devnet key of carol").
    QString signer;
    bool needs_password = false;
    /// False for a watch-only account: the plan is shown, nothing can be signed.
    bool can_sign = false;
};

/// Shows what a top-up will sign — every call decoded in words, the health
/// predicted after it, the fee and the balance after — and asks for the
/// keystore password. Emits confirmed() once; the app signs and sends and
/// reports back with setProgress / setFinished / setError.
class TopUpDialog : public QDialog {
    Q_OBJECT
public:
    TopUpDialog(double target, QWidget* parent = nullptr);

    /// What is being topped up, shown before the plan arrives, and what the target is ("health factor", "margin ratio").
    void setTitle(const QString& title, const QString& measure);
    void setPlan(const PlanView& plan);
    /// Planning or sending is under way: the buttons wait.
    void setBusy(const QString& what);
    /// Something failed, in words; the user may correct it and confirm again.
    void setError(const QString& message);
    void setProgress(const QString& message);
    /// Sent and landed: the dialog only closes from here on.
    void setFinished(const QString& message);
    /// A hardware wallet shows the request now: what to check and confirm on
    /// it; Cancel calls the request off (cancelRequested) instead of closing.
    /// An empty `what`: the device has answered.
    void setDevicePrompt(const QString& what, const QString& details);
    double target() const;

Q_SIGNALS:
    /// The target health changed: the app plans again.
    void targetChanged(double target);
    /// The user confirmed; `password` is empty for a signer that needs none.
    /// The receiver clears it after use.
    void confirmed(const QByteArray& password);
    /// Cancel while a device waits for its person: the app calls the request off.
    void cancelRequested();

private:
    QLabel* m_title = nullptr;
    QDoubleSpinBox* m_target = nullptr;
    QLabel* m_health = nullptr;
    QListWidget* m_calls = nullptr;
    QLabel* m_money = nullptr;
    QPushButton* m_show_raw = nullptr;
    QPlainTextEdit* m_raw = nullptr;
    QLabel* m_signer = nullptr;
    QLineEdit* m_password = nullptr;
    QLabel* m_status = nullptr;
    QLabel* m_device = nullptr;
    bool m_device_waiting = false;
    QDialogButtonBox* m_buttons = nullptr;
    bool m_can_sign = false;
    bool m_sent = false;
    /// The target the plan on show (or on its way) was asked for.
    double m_planned_target = 0;
};

}  // namespace nftterm::ui
