#include "top_up_dialog.hpp"

#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QFrame>
#include <QFontDatabase>
#include <QPlainTextEdit>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace nftterm::ui {

TopUpDialog::TopUpDialog(double target, QWidget* parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("topUpDialog"));
    setWindowTitle(tr("Top up"));
    setMinimumWidth(560);
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("topUpTitle"));
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_target = new QDoubleSpinBox(this);
    m_target->setObjectName(QStringLiteral("topUpTarget"));
    m_target->setDecimals(3);
    m_target->setRange(0.01, 100);
    m_target->setSingleStep(0.05);
    m_target->setValue(target);
    m_health = new QLabel(this);
    m_health->setObjectName(QStringLiteral("topUpHealth"));
    m_calls = new QListWidget(this);
    m_calls->setObjectName(QStringLiteral("topUpCalls"));
    m_calls->setMaximumHeight(90);
    m_money = new QLabel(this);
    m_money->setObjectName(QStringLiteral("topUpMoney"));
    m_money->setWordWrap(true);
    m_show_raw = new QPushButton(tr("Show the transactions…"), this);
    m_show_raw->setObjectName(QStringLiteral("topUpShowRaw"));
    m_show_raw->setCheckable(true);
    m_raw = new QPlainTextEdit(this);
    m_raw->setObjectName(QStringLiteral("topUpRaw"));
    m_raw->setReadOnly(true);
    m_raw->setVisible(false);
    m_raw->setMinimumHeight(140);
    m_raw->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    connect(m_show_raw, &QPushButton::toggled, m_raw, &QWidget::setVisible);
    m_signer = new QLabel(this);
    m_signer->setObjectName(QStringLiteral("topUpSigner"));
    m_signer->setWordWrap(true);
    m_password = new QLineEdit(this);
    m_password->setObjectName(QStringLiteral("topUpPassword"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("Keystore password"));
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("topUpStatus"));
    m_status->setWordWrap(true);
    m_device = new QLabel(this);
    m_device->setObjectName(QStringLiteral("topUpDevice"));
    m_device->setWordWrap(true);
    m_device->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_device->setFrameShape(QFrame::StyledPanel);
    m_device->setMargin(8);
    m_device->setVisible(false);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Sign and send"));
    m_buttons->button(QDialogButtonBox::Ok)->setObjectName(QStringLiteral("topUpConfirm"));

    auto* form = new QFormLayout;
    form->addRow(tr("Target health"), m_target);
    form->addRow(tr("Health"), m_health);
    form->addRow(tr("Will sign"), m_calls);
    form->addRow(tr("Money"), m_money);
    form->addRow(QString(), m_show_raw);
    form->addRow(m_raw);
    form->addRow(tr("Signer"), m_signer);
    form->addRow(tr("Password"), m_password);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addLayout(form);
    layout->addWidget(m_device);
    layout->addWidget(m_status);
    layout->addWidget(m_buttons);

    // Only a new value plans again: focus leaving the box (a click on "Sign and send") must not
    // throw away the plan the user is confirming.
    m_planned_target = target;
    connect(m_target, &QDoubleSpinBox::editingFinished, this, [this] {
        if (m_target->value() == m_planned_target) return;
        m_planned_target = m_target->value();
        Q_EMIT targetChanged(m_planned_target);
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, [this] {
        // While a device waits, Cancel calls its request off; the dialog stays to say how it ended.
        if (!m_device_waiting) return reject();
        m_status->setText(tr("Cancelling the request on the device…"));
        Q_EMIT cancelRequested();
    });
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        if (m_sent) return accept();
        QByteArray password = m_password->text().toUtf8();
        m_password->clear();
        setBusy(tr("Signing and sending…"));
        Q_EMIT confirmed(password);
        password.fill('\0');
    });
    setBusy(tr("Planning…"));
}

void TopUpDialog::setTitle(const QString& title, const QString& measure)
{
    m_title->setText(title);
    if (auto* form = findChild<QFormLayout*>())
        if (auto* label = qobject_cast<QLabel*>(form->labelForField(m_target))) label->setText(tr("Target %1").arg(measure));
}

void TopUpDialog::setPlan(const PlanView& plan)
{
    m_title->setText(plan.title);
    m_health->setText(tr("%1 %2 → %3").arg(plan.measure, plan.before, plan.predicted));
    m_calls->clear();
    for (int i = 0; i < plan.calls.size(); ++i) m_calls->addItem(QString::number(i + 1) + QStringLiteral(". ") + plan.calls[i]);
    m_money->setText(tr("pays %1; fee at most %2 (likely %3); balance %4 → %5")
                         .arg(plan.amount, plan.max_fee, plan.likely_fee, plan.balance_before, plan.balance_after));
    m_raw->setPlainText(plan.raw_calls.join(QStringLiteral("\n\n")));
    m_signer->setText(plan.signer);
    if (auto* form = findChild<QFormLayout*>()) form->setRowVisible(m_password, plan.needs_password);
    m_can_sign = plan.can_sign;
    m_status->setText(plan.can_sign ? QString() : tr("This account is watch-only: add its key (Wallet ▸ Add account), or for a pool loan choose an active signer to pay."));
    m_status->setStyleSheet(QString());
    m_target->setEnabled(true);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(m_can_sign);
}

void TopUpDialog::setBusy(const QString& what)
{
    m_status->setText(what);
    m_status->setStyleSheet(QString());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    m_target->setEnabled(false);
}

void TopUpDialog::setError(const QString& message)
{
    setDevicePrompt({}, {});
    m_status->setText(message);
    m_status->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_target->setEnabled(!m_sent);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(m_can_sign && !m_sent);
}

void TopUpDialog::setProgress(const QString& message)
{
    m_status->setText(message);
    m_status->setStyleSheet(QString());
}

void TopUpDialog::setFinished(const QString& message)
{
    setDevicePrompt({}, {});
    m_sent = true;
    m_status->setText(message);
    m_status->setStyleSheet(QStringLiteral("color: #2e7d32;"));
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Close"));
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(true);
    m_buttons->button(QDialogButtonBox::Cancel)->setEnabled(false);
}

void TopUpDialog::setDevicePrompt(const QString& what, const QString& details)
{
    m_device_waiting = !what.isEmpty();
    m_device->setVisible(m_device_waiting);
    if (!m_device_waiting) return;
    m_device->setText(tr("<b>Confirm on your Ledger:</b> %1<br>%2").arg(what.toHtmlEscaped(), details.toHtmlEscaped().replace(u'\n', QStringLiteral("<br>"))));
}

double TopUpDialog::target() const
{
    return m_target->value();
}

}  // namespace nftterm::ui
