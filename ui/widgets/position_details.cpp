#include "position_details.hpp"

#include <ui/models/position_format.hpp>
#include <ui/models/risk_level.hpp>

#include <QDateTime>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace nftterm::ui {

using protocols::positions::Position;

PositionDetails::PositionDetails(QWidget* parent) : QWidget(parent)
{
    m_text = new QTextBrowser(this);
    m_text->setObjectName(QStringLiteral("detailsText"));
    m_top_up = new QPushButton(tr("Top up…"), this);
    m_top_up->setObjectName(QStringLiteral("detailsTopUp"));
    m_top_up->setEnabled(false);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_text);
    layout->addWidget(m_top_up);
    // A perp's stop-loss and take-profit: levels the terminal (and the watcher) close it at.
    m_triggers = new QPushButton(tr("Stop-loss / take-profit…"), this);
    m_triggers->setObjectName(QStringLiteral("detailsTriggers"));
    m_triggers->setVisible(false);
    layout->addWidget(m_triggers);
    connect(m_top_up, &QPushButton::clicked, this, [this] {
        if (!m_id.isEmpty()) Q_EMIT topUpRequested(m_id);
    });
    connect(m_triggers, &QPushButton::clicked, this, [this] {
        if (!m_id.isEmpty()) Q_EMIT triggersRequested(m_id);
    });
    showPosition(nullptr, {}, 0);
}

void PositionDetails::showPosition(const Position* position, const QString& collection_name, std::uint64_t now)
{
    if (!position) {
        m_id.clear();
        m_text->setHtml(tr("<p style='color:gray'>Select a position to see its figures.</p>"));
        m_top_up->setEnabled(false);
        m_triggers->setVisible(false);
        return;
    }
    m_id = QString::fromStdString(position->key.id());
    QString html = QStringLiteral("<table cellspacing='4'>");
    const auto row = [&html](const QString& name, const QString& value) {
        html += QStringLiteral("<tr><td style='color:gray'>") + name + QStringLiteral("</td><td>") + value.toHtmlEscaped() + QStringLiteral("</td></tr>");
    };
    row(tr("Position"), m_id);
    row(tr("Account"), QString::fromStdString(position->key.account.to_hex()));
    row(tr("Collection"), collection_name + u' ' + QString::fromStdString(position->collection.to_hex()));
    if (position->token_id) row(tr("Token"), u'#' + QString::fromStdString(position->token_id->to_dec()));
    const bool pool = position->key.protocol == protocols::positions::Protocol::Sudoswap;
    if (position->size) row(pool ? tr("NFTs held") : tr("Size"), QString::number(signed_wad_to_double(*position->size), 'f', pool ? 0 : 4));
    row(tr("Collateral value"), amount_text(position->collateral_value, 6) + tr(" ETH (%1, %2 old%3)")
                                    .arg(QString::fromStdString(position->price_source), age_text(position->price_age_seconds),
                                         position->price_stale ? tr(", stale") : QString()));
    if (!position->unpriced.empty()) row(tr("Not valued"), QString::fromStdString(position->unpriced));
    if (position->exit_value) row(tr("Exit value (sell into pools)"), amount_text(*position->exit_value, 6) + tr(" ETH"));
    if (position->pnl)
        row(pool ? tr("Trading P&L (against holding the deposits)") : tr("Unrealised PnL (spot mark)"),
            QString::number(signed_wad_to_double(*position->pnl), 'f', 6) + tr(" ETH"));
    else if (pool && position->asset_recipient && *position->asset_recipient != position->key.contract)
        row(tr("Trading P&L"), tr("not tracked: the pool sends its proceeds to %1").arg(QString::fromStdString(position->asset_recipient->to_hex())));
    if (!pool) row(position->size ? tr("Notional") : tr("Debt"), amount_text(position->debt, 6) + tr(" ETH"));
    // In auction the pool answers 0: the loan is being liquidated, there is no health to show.
    if (position->health_factor) row(tr("Health factor"), position->state == protocols::positions::PositionState::Auction ? tr("— (in auction: redeem it to keep the NFT)") : amount_text(*position->health_factor, 4));
    if (position->margin_ratio) row(tr("Margin ratio"), QString::number(signed_wad_to_double(*position->margin_ratio) * 100, 'f', 2) + QStringLiteral(" %"));
    if (position->price) row(tr("Price"), amount_text(*position->price, 4));
    if (position->liquidation_price) row(tr("Liquidation price"), amount_text(*position->liquidation_price, 4));
    if (const auto distance = distance_to_liquidation(*position)) row(tr("Distance to liquidation"), QString::number(*distance * 100, 'f', 2) + QStringLiteral(" %"));
    if (position->maturity) {
        const QString due = QDateTime::fromSecsSinceEpoch(static_cast<qint64>(*position->maturity)).toString(QStringLiteral("yyyy-MM-dd HH:mm"));
        row(tr("Maturity"), due + (*position->maturity > now ? tr(" (in %1)").arg(age_text(*position->maturity - now)) : tr(" (overdue)")));
    }
    if (position->cost_per_day) row(tr("Cost per day"), QString::number(signed_wad_to_double(*position->cost_per_day), 'f', 6) + tr(" ETH"));
    row(tr("State"), QString::fromUtf8(to_string(position->state)));
    if (!position->readable) row(tr("Unreadable"), QString::fromStdString(position->unreadable_reason));
    row(tr("Block"), QString::number(position->price_block));
    html += QStringLiteral("</table>");
    m_text->setHtml(html);
    // Top-ups exist for pool loans (partial repay) and perps (add margin).
    m_top_up->setEnabled(position->readable && protocols::positions::has_top_up(position->key.protocol));
    m_triggers->setVisible(position->key.protocol == protocols::positions::Protocol::Perp);
    m_triggers->setEnabled(position->readable);
}

}  // namespace nftterm::ui
