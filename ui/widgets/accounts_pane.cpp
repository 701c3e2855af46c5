#include "accounts_pane.hpp"

#include <ui/main_window.hpp>

#include <QHBoxLayout>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace nftterm::ui {

AccountsPane::AccountsPane(QWidget* parent) : QWidget(parent)
{
    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("accountsList"));
    m_list->setWordWrap(true);
    // Wide enough for a whole checksummed address: traders compare them by eye.
    m_list->setMinimumWidth(m_list->fontMetrics().horizontalAdvance(QStringLiteral("0x") + QString(40, u'D')) + 24);
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto* add = new QPushButton(tr("Add…"), this);
    add->setObjectName(QStringLiteral("accountAddButton"));
    m_label = new QPushButton(tr("Label…"), this);
    m_label->setObjectName(QStringLiteral("accountLabelButton"));
    m_activate = new QPushButton(tr("Sign with this"), this);
    m_activate->setObjectName(QStringLiteral("accountActivateButton"));
    m_activate->setToolTip(tr("The active signer pays for top-ups of watch-only accounts' pool loans"));
    connect(add, &QPushButton::clicked, this, &AccountsPane::addRequested);
    connect(m_label, &QPushButton::clicked, this, [this] {
        if (const QString address = selectedAddress(); !address.isEmpty()) Q_EMIT labelRequested(address);
    });
    connect(m_activate, &QPushButton::clicked, this, [this] {
        if (const QString address = selectedAddress(); !address.isEmpty()) Q_EMIT activeSignerChosen(address);
    });
    connect(m_list, &QListWidget::currentRowChanged, this, [this](int row) {
        const bool chosen = row >= 0 && row < static_cast<int>(m_accounts.size());
        m_label->setEnabled(chosen);
        m_activate->setEnabled(chosen && m_accounts[static_cast<std::size_t>(row)].can_sign);
    });

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(m_label);
    buttons->addWidget(m_activate);
    buttons->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_list, 1);
    layout->addLayout(buttons);
    redraw();
}

void AccountsPane::setAccounts(const std::vector<AccountRow>& accounts)
{
    m_accounts = accounts;
    redraw();
}

void AccountsPane::setActiveSigner(const QString& address)
{
    m_active = address;
    redraw();
}

QString AccountsPane::selectedAddress() const
{
    const int row = m_list->currentRow();
    return row >= 0 && row < static_cast<int>(m_accounts.size()) ? m_accounts[static_cast<std::size_t>(row)].address : QString();
}

void AccountsPane::redraw()
{
    const QString selected = selectedAddress();
    m_list->clear();
    for (const auto& account : m_accounts) {
        const QString kind = !account.kind.isEmpty() ? account.kind : account.can_sign ? tr("keystore") : tr("watch-only");
        QString title = account.label.isEmpty() ? kind : account.label + u" · " + kind;
        if (account.address.compare(m_active, Qt::CaseInsensitive) == 0) title = u"★ " + title + tr(" · active signer");
        auto* item = new QListWidgetItem(title + u"\n" + account.address, m_list);
        item->setToolTip(account.address);
        if (account.address == selected) m_list->setCurrentItem(item);
    }
    if (m_accounts.empty()) {
        m_list->addItem(tr("No accounts yet: Add… creates or imports one, or watches an address."));
        m_list->item(0)->setFlags(Qt::NoItemFlags);
    }
    m_label->setEnabled(!selectedAddress().isEmpty());
    m_activate->setEnabled(false);
    if (const int row = m_list->currentRow(); row >= 0 && row < static_cast<int>(m_accounts.size()))
        m_activate->setEnabled(m_accounts[static_cast<std::size_t>(row)].can_sign);
}

}  // namespace nftterm::ui
