#include "welcome_page.hpp"

#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace nftterm::ui {

WelcomePage::WelcomePage(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("welcomePage"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(48, 36, 48, 36);
    layout->setSpacing(14);
    auto* title = new QLabel(tr("<h2>Welcome to nftterm</h2>"), this);
    layout->addWidget(title);
    m_reason = new QLabel(this);
    m_reason->setObjectName(QStringLiteral("welcomeReason"));
    m_reason->setWordWrap(true);
    layout->addWidget(m_reason);

    const auto choice = [&](const char* name, const QString& label, const QString& text) {
        auto* button = new QPushButton(label, this);
        button->setObjectName(QString::fromLatin1(name));
        button->setMinimumHeight(36);
        auto* words = new QLabel(text, this);
        words->setWordWrap(true);
        layout->addSpacing(6);
        layout->addWidget(button, 0, Qt::AlignLeft);
        layout->addWidget(words);
        m_buttons.append(button);
        return button;
    };
    connect(choice("welcomeDemo", tr("Try the demo devnet"),
                   tr("Starts a local chain with the demo protocols and traders, and a market that moves: loans, pools and perps "
                      "from safe to near liquidation, to try everything with no money at stake.")),
            &QPushButton::clicked, this, &WelcomePage::demoRequested);
    connect(choice("welcomeConnect", tr("Connect to a node…"),
                   tr("Your own node or a provider's endpoint, and the registry of the chain it serves (Ethereum mainnet ships; "
                      "Perpetual Protocol v1 on Gnosis too). The node's chain is checked against the registry's first; then the terminal "
                      "starts again on it.")),
            &QPushButton::clicked, this, &WelcomePage::connectRequested);
    connect(choice("welcomeAccount", tr("Add an account…"),
                   tr("A new key, an imported keystore, mnemonic or private key, a watch-only address, or a Ledger.")),
            &QPushButton::clicked, this, &WelcomePage::addAccountRequested);

    m_progress = new QLabel(this);
    m_progress->setObjectName(QStringLiteral("welcomeProgress"));
    m_progress->setWordWrap(true);
    layout->addSpacing(10);
    layout->addWidget(m_progress);
    layout->addStretch(1);
}

void WelcomePage::setReason(const QString& reason)
{
    m_reason->setText(tr("There is nothing to watch yet: %1").arg(reason.toHtmlEscaped()));
}

void WelcomePage::setProgress(const QString& text, bool busy)
{
    m_progress->setText(text);
    for (auto* button : m_buttons) button->setEnabled(!busy);
}

}  // namespace nftterm::ui
