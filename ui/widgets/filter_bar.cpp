#include "filter_bar.hpp"

#include <ui/models/position_filter_model.hpp>
#include <ui/models/position_format.hpp>

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>

namespace nftterm::ui {

FilterBar::FilterBar(PositionFilterModel* filter, QWidget* parent) : QWidget(parent), m_filter(filter)
{
    m_protocol = new QComboBox(this);
    m_protocol->setObjectName(QStringLiteral("protocolFilter"));
    m_protocol->addItem(tr("All protocols"), QString());
    for (const auto protocol : protocols::positions::kProtocols)
        m_protocol->addItem(protocol_name(protocol), QString::fromUtf8(to_string(protocol)));
    m_account = new QComboBox(this);
    m_account->setObjectName(QStringLiteral("accountFilter"));
    m_account->addItem(tr("All accounts"), QString());
    m_collection = new QLineEdit(this);
    m_collection->setObjectName(QStringLiteral("collectionFilter"));
    m_collection->setPlaceholderText(tr("Collection (Ctrl+F)"));
    m_collection->setClearButtonEnabled(true);
    m_at_risk = new QCheckBox(tr("At risk only"), this);
    m_at_risk->setObjectName(QStringLiteral("atRiskFilter"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->addWidget(m_protocol);
    layout->addWidget(m_account);
    layout->addWidget(m_collection, 1);
    layout->addWidget(m_at_risk);

    connect(m_protocol, &QComboBox::currentIndexChanged, this, [this] { m_filter->setProtocol(m_protocol->currentData().toString()); });
    connect(m_account, &QComboBox::currentIndexChanged, this, [this] { m_filter->setAccount(m_account->currentData().toString()); });
    connect(m_collection, &QLineEdit::textChanged, m_filter, &PositionFilterModel::setCollectionText);
    connect(m_at_risk, &QCheckBox::toggled, m_filter, &PositionFilterModel::setAtRiskOnly);
}

void FilterBar::setAccounts(const QStringList& addresses, const QStringList& labels)
{
    const QString current = m_account->currentData().toString();
    m_account->clear();
    m_account->addItem(tr("All accounts"), QString());
    for (qsizetype i = 0; i < addresses.size(); ++i) {
        const QString label = i < labels.size() && !labels[i].isEmpty() ? labels[i] : addresses[i].left(6) + u'…' + addresses[i].right(4);
        m_account->addItem(label, addresses[i]);
    }
    m_account->setCurrentIndex(std::max(0, m_account->findData(current)));
}

void FilterBar::focusSearch()
{
    m_collection->setFocus(Qt::ShortcutFocusReason);
    m_collection->selectAll();
}

void FilterBar::toggleAtRisk()
{
    m_at_risk->toggle();
}

}  // namespace nftterm::ui
