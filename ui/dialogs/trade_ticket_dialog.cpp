#include "trade_ticket_dialog.hpp"

#include <QComboBox>

#include <algorithm>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>

namespace nftterm::ui {

TradeTicketDialog::TradeTicketDialog(const QList<QPair<QString, QString>>& collections, QWidget* parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("tradeTicket"));
    setWindowTitle(tr("Trade"));
    setMinimumWidth(620);
    m_collection = new QComboBox(this);
    m_collection->setObjectName(QStringLiteral("tradeCollection"));
    for (const auto& [symbol, address] : collections) m_collection->addItem(symbol, address);
    m_side = new QComboBox(this);
    m_side->setObjectName(QStringLiteral("tradeSide"));
    m_side->addItem(tr("Buy (from the cheapest asks)"));
    m_side->addItem(tr("Sell (into the best bids)"));
    m_side->addItem(tr("Perp long (on the collection's Amm)"));
    m_side->addItem(tr("Perp short (on the collection's Amm)"));
    m_side->addItem(tr("Borrow against one of your NFTs (lending pool)"));
    m_side->addItem(tr("Long with a down payment (buy now, pay later)"));
    m_side->addItem(tr("Accept a P2P loan offer (from the offers file)"));
    m_offer = new QSpinBox(this);
    m_offer->setObjectName(QStringLiteral("tradeOffer"));
    m_offer->setRange(0, 9999);
    m_offer->setPrefix(QStringLiteral("#"));
    m_health = new QLineEdit(QStringLiteral("1.5"), this);
    m_health->setObjectName(QStringLiteral("tradeTargetHealth"));
    m_health->setPlaceholderText(tr("the health factor to borrow down to, such as 1.5"));
    m_down = new QLineEdit(QStringLiteral("40"), this);
    m_down->setObjectName(QStringLiteral("tradeDownPayment"));
    m_down->setPlaceholderText(tr("your share of the price in %, such as 40"));
    m_margin = new QLineEdit(this);
    m_margin->setObjectName(QStringLiteral("tradeMargin"));
    m_margin->setPlaceholderText(tr("the margin put up, in the market's quote token (WETH), such as 2"));
    m_leverage = new QLineEdit(QStringLiteral("2"), this);
    m_leverage->setObjectName(QStringLiteral("tradeLeverage"));
    m_leverage->setPlaceholderText(tr("such as 3 or 2.5"));
    m_slippage = new QSpinBox(this);
    m_slippage->setObjectName(QStringLiteral("tradeSlippage"));
    m_slippage->setRange(1, 9999);
    m_slippage->setValue(100);
    m_slippage->setSuffix(tr(" bps"));
    m_count = new QSpinBox(this);
    m_count->setObjectName(QStringLiteral("tradeCount"));
    m_count->setRange(1, 1000);
    m_ids = new QLineEdit(this);
    m_ids->setObjectName(QStringLiteral("tradeIds"));
    m_ids->setPlaceholderText(tr("token ids to sell, separated by spaces"));
    m_limit = new QLineEdit(this);
    m_limit->setObjectName(QStringLiteral("tradeLimit"));
    m_limit->setPlaceholderText(tr("ETH: the most to pay (buy) or the least to get (sell); empty: none"));
    m_calls = new QListWidget(this);
    m_calls->setObjectName(QStringLiteral("tradeCalls"));
    m_calls->setMinimumHeight(110);
    m_calls->setWordWrap(true);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("tradeSummary"));
    m_summary->setWordWrap(true);
    m_fees = new QLabel(this);
    m_fees->setObjectName(QStringLiteral("tradeFees"));
    m_fees->setWordWrap(true);
    m_signer = new QLabel(this);
    m_signer->setObjectName(QStringLiteral("tradeSigner"));
    m_password = new QLineEdit(this);
    m_password->setObjectName(QStringLiteral("tradePassword"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("Keystore password"));
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("tradeStatus"));
    m_status->setWordWrap(true);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Sign and send"));
    m_buttons->button(QDialogButtonBox::Ok)->setObjectName(QStringLiteral("tradeConfirm"));

    auto* form = new QFormLayout;
    form->addRow(tr("Collection"), m_collection);
    form->addRow(tr("Side"), m_side);
    form->addRow(tr("How many"), m_count);
    form->addRow(tr("NFTs"), m_ids);
    form->addRow(tr("Limit"), m_limit);
    form->addRow(tr("Margin"), m_margin);
    form->addRow(tr("Leverage"), m_leverage);
    form->addRow(tr("Max slippage"), m_slippage);
    form->addRow(tr("Target health"), m_health);
    form->addRow(tr("Down payment %"), m_down);
    form->addRow(tr("Offer"), m_offer);
    form->addRow(tr("Will sign"), m_calls);
    form->addRow(tr("Plan"), m_summary);
    form->addRow(tr("Fees"), m_fees);
    form->addRow(tr("Signer"), m_signer);
    form->addRow(tr("Password"), m_password);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_status);
    layout->addWidget(m_buttons);

    // A buy takes a count, a sell the NFTs it sells, a perp its margin, leverage and slippage.
    const auto show_side = [this, form] {
        const int side = m_side->currentIndex();
        const bool perp = side == 2 || side == 3;
        form->setRowVisible(m_count, side == 0);
        form->setRowVisible(m_ids, side == 1 || side == 4 || side == 5);
        form->setRowVisible(m_limit, side < 2 || side == 5);
        form->setRowVisible(m_margin, perp);
        form->setRowVisible(m_leverage, perp);
        form->setRowVisible(m_slippage, perp);
        form->setRowVisible(m_health, side == 4);
        form->setRowVisible(m_down, side == 5);
        form->setRowVisible(m_offer, side == 6);
        form->setRowVisible(m_collection, side != 6);
        m_ids->setPlaceholderText(side == 4   ? tr("the token id of the NFT to borrow against")
                                  : side == 5 ? tr("a token id to buy (empty: the cheapest pool's)")
                                              : tr("token ids to sell, separated by spaces"));
        m_limit->setPlaceholderText(side == 5 ? tr("ETH: the most the NFT may cost; empty: none")
                                              : tr("ETH: the most to pay (buy) or the least to get (sell); empty: none"));
    };
    show_side();
    // The route is made again a moment after the last change, not at every keystroke.
    m_replan = new QTimer(this);
    m_replan->setSingleShot(true);
    m_replan->setInterval(400);
    connect(m_replan, &QTimer::timeout, this, [this] {
        const int side = m_side->currentIndex();
        setBusy(side == 2 || side == 3 ? tr("Quoting the Amm…")
                : side == 6             ? tr("Checking the offer…")
                : side >= 4             ? tr("Reading the lending pool…")
                                        : tr("Routing across the pools…"));
        Q_EMIT planRequested();
    });
    const auto changed = [this] {
        if (!m_sent) m_replan->start();
    };
    connect(m_side, &QComboBox::currentIndexChanged, this, [show_side, changed] {
        show_side();
        changed();
    });
    connect(m_collection, &QComboBox::currentIndexChanged, this, changed);
    connect(m_count, &QSpinBox::valueChanged, this, changed);
    connect(m_ids, &QLineEdit::textChanged, this, changed);
    connect(m_limit, &QLineEdit::textChanged, this, changed);
    connect(m_margin, &QLineEdit::textChanged, this, changed);
    connect(m_leverage, &QLineEdit::textChanged, this, changed);
    connect(m_slippage, &QSpinBox::valueChanged, this, changed);
    connect(m_health, &QLineEdit::textChanged, this, changed);
    connect(m_down, &QLineEdit::textChanged, this, changed);
    connect(m_offer, &QSpinBox::valueChanged, this, changed);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        if (m_sent) return accept();
        QByteArray password = m_password->text().toUtf8();
        m_password->clear();
        setBusy(tr("Signing and sending…"));
        Q_EMIT confirmed(password);
        password.fill('\0');
    });
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    m_replan->start();
}

TradeTicket TradeTicketDialog::ticket() const
{
    TradeTicket out;
    out.collection = m_collection->currentData().toString();
    out.buy = m_side->currentIndex() == 0 || m_side->currentIndex() == 2;
    out.perp = m_side->currentIndex() == 2 || m_side->currentIndex() == 3;
    out.borrow = m_side->currentIndex() == 4;
    out.down_payment_long = m_side->currentIndex() == 5;
    out.target_health = m_health->text().trimmed();
    out.down_payment_pct = m_down->text().trimmed();
    out.accept_offer = m_side->currentIndex() == 6;
    out.offer_index = m_offer->value();
    out.margin = m_margin->text().trimmed();
    out.leverage = m_leverage->text().trimmed();
    out.slippage_bps = m_slippage->value();
    out.count = m_count->value();
    out.token_ids = m_ids->text().split(QRegularExpression(QStringLiteral("[\\s,#]+")), Qt::SkipEmptyParts);
    out.limit = m_limit->text().trimmed();
    return out;
}

void TradeTicketDialog::setPlan(const TradeView& plan)
{
    m_calls->clear();
    for (int i = 0; i < plan.calls.size(); ++i) m_calls->addItem(QString::number(i + 1) + QStringLiteral(". ") + plan.calls[i]);
    m_summary->setText(plan.summary);
    m_fees->setText(plan.fees);
    // A longer plan in words needs more height: the dialog grows to show all of it.
    if (auto* box = layout()) box->activate();
    resize(width(), std::max(height(), sizeHint().height()));
    m_signer->setText(plan.signer);
    if (auto* form = findChild<QFormLayout*>()) form->setRowVisible(m_password, plan.needs_password);
    m_can_sign = plan.can_sign;
    m_status->setText(plan.can_sign ? QString() : tr("No account here can sign: add a key (Wallet ▸ Add account) and choose it as the active signer."));
    m_status->setStyleSheet(QString());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(m_can_sign);
}

void TradeTicketDialog::setBusy(const QString& what)
{
    m_status->setText(what);
    m_status->setStyleSheet(QString());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
}

void TradeTicketDialog::setError(const QString& message)
{
    m_status->setText(message);
    m_status->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
}

void TradeTicketDialog::setProgress(const QString& message)
{
    m_status->setText(message);
    m_status->setStyleSheet(QString());
}

void TradeTicketDialog::setFinished(const QString& message)
{
    m_sent = true;
    m_status->setText(message);
    m_status->setStyleSheet(QStringLiteral("color: #2e7d32;"));
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Close"));
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(true);
    m_buttons->button(QDialogButtonBox::Cancel)->setEnabled(false);
}

}  // namespace nftterm::ui
