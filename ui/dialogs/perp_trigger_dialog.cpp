#include "perp_trigger_dialog.hpp"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace nftterm::ui {

PerpTriggerDialog::PerpTriggerDialog(const QString& position_words, const PerpTriggerInput& current, QWidget* parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("perpTriggers"));
    setWindowTitle(tr("Stop-loss and take-profit"));
    setMinimumWidth(520);
    auto* about = new QLabel(position_words, this);
    about->setWordWrap(true);
    m_stop = new QLineEdit(current.stop_loss, this);
    m_stop->setObjectName(QStringLiteral("triggerStopLoss"));
    m_stop->setPlaceholderText(tr("mark price that closes it at a loss; empty: none"));
    m_take = new QLineEdit(current.take_profit, this);
    m_take->setObjectName(QStringLiteral("triggerTakeProfit"));
    m_take->setPlaceholderText(tr("mark price that closes it at a profit; empty: none"));
    m_slippage = new QSpinBox(this);
    m_slippage->setObjectName(QStringLiteral("triggerSlippage"));
    m_slippage->setRange(1, 9999);
    m_slippage->setValue(current.max_slippage_bps);
    m_slippage->setSuffix(tr(" bps"));
    auto* how = new QLabel(tr("When the mark crosses a level, nftterm closes the whole position with a close limited to this slippage, "
                              "once per crossing, signed by the position's key if it is unlocked; the same levels guard it while the window is "
                              "closed when the watcher runs with --triggers on this file."),
                           this);
    how->setWordWrap(true);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("triggerStatus"));
    m_status->setWordWrap(true);
    m_status->setStyleSheet(QStringLiteral("color: #c62828;"));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Save)->setObjectName(QStringLiteral("triggerSave"));

    auto* form = new QFormLayout;
    form->addRow(tr("Stop-loss"), m_stop);
    form->addRow(tr("Take-profit"), m_take);
    form->addRow(tr("Max slippage"), m_slippage);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(about);
    layout->addLayout(form);
    layout->addWidget(how);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    // A new level clears the last refusal.
    for (auto* field : {m_stop, m_take}) connect(field, &QLineEdit::textChanged, m_status, &QLabel::clear);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] { Q_EMIT saveRequested(input()); });
}

PerpTriggerInput PerpTriggerDialog::input() const
{
    return {m_stop->text().trimmed(), m_take->text().trimmed(), m_slippage->value()};
}

void PerpTriggerDialog::setError(const QString& message)
{
    m_status->setText(message);
    adjustSize();
}

}  // namespace nftterm::ui
