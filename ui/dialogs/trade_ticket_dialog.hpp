#pragma once

#include <QDialog>
#include <QStringList>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QSpinBox;
class QTimer;

namespace nftterm::ui {

/// What the ticket asks for, as typed.
struct TradeTicket {
    QString collection;  // an address
    bool buy = true;     // a perp: long
    bool perp = false;
    /// A perp: the margin (the quote token, as typed), the leverage ("3", "2.5") and the worst slippage.
    QString margin;
    QString leverage;
    int slippage_bps = 100;
    /// Credit: borrow against `token_ids` (the first) down to `target_health`, or a
    /// down-payment long paying `down_payment_pct` % (any NFT, or the first of `token_ids`).
    bool borrow = false;
    bool down_payment_long = false;
    QString target_health;
    QString down_payment_pct;
    /// A P2P offer of the offers file (its index), accepted as the borrower.
    bool accept_offer = false;
    int offer_index = 0;
    int count = 1;
    QStringList token_ids;
    /// The most to pay (buy) or the least to get (sell), ETH as typed; empty: no limit.
    QString limit;
};

/// A plan as the ticket shows it (made by the app from the core's route).
struct TradeView {
    QStringList calls;
    QString summary;  // "3 NFTs for 89.48 ETH, average 29.83 (impact 1 bps), protocol fees 0.44 ETH"
    QString fees;  // "at most 0.0021 ETH in fees (likely 0.0009)"
    QString signer;
    bool needs_password = false;
    bool can_sign = false;
};

/// The trade ticket: a collection, buy or sell NFTs, how many (or which),
/// a limit; or a perp long or short, margin, leverage and slippage; the route in words updates as the user types (planRequested,
/// a moment after the last change), and "Sign and send" emits confirmed once.
class TradeTicketDialog : public QDialog {
    Q_OBJECT
public:
    /// `collections`: symbol → address, the ones the registry lists.
    explicit TradeTicketDialog(const QList<QPair<QString, QString>>& collections, QWidget* parent = nullptr);

    TradeTicket ticket() const;
    void setPlan(const TradeView& plan);
    void setBusy(const QString& what);
    void setError(const QString& message);
    void setProgress(const QString& message);
    void setFinished(const QString& message);

Q_SIGNALS:
    void planRequested();
    void confirmed(const QByteArray& password);

private:
    QComboBox* m_collection = nullptr;
    QComboBox* m_side = nullptr;
    QSpinBox* m_count = nullptr;
    QLineEdit* m_margin = nullptr;
    QLineEdit* m_leverage = nullptr;
    QSpinBox* m_slippage = nullptr;
    QLineEdit* m_health = nullptr;
    QLineEdit* m_down = nullptr;
    QSpinBox* m_offer = nullptr;
    QLabel* m_fees = nullptr;
    QLineEdit* m_ids = nullptr;
    QLineEdit* m_limit = nullptr;
    QListWidget* m_calls = nullptr;
    QLabel* m_summary = nullptr;
    QLabel* m_signer = nullptr;
    QLineEdit* m_password = nullptr;
    QLabel* m_status = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
    QTimer* m_replan = nullptr;
    bool m_can_sign = false;
    bool m_sent = false;
};

}  // namespace nftterm::ui
