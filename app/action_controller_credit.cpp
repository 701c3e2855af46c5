// The trade ticket's credit side: a borrow against an NFT and a down-payment
// long, planned by the core (actions::plan_borrow / plan_down_payment) and
// shown in words before anything is signed.

#include "action_controller.hpp"

#include <ui/main_window.hpp>

#include <QDateTime>

namespace nftterm::app {

namespace {

QString eth_words(const wallet::U256& wei, int places = 4)
{
    return QString::number(std::stod(wei.format_units(18)), 'f', places);
}

QString percent_words(std::uint64_t bps)
{
    return QString::number(double(bps) / 100.0, 'f', 2) + QStringLiteral(" %");
}

}  // namespace

std::optional<QString> ActionController::creditRequest(const ui::TradeTicket& ticket, TradeRequest& request) const
{
    request.borrow = ticket.borrow;
    request.down_payment_long = ticket.down_payment_long;
    if (ticket.borrow) {
        auto health = wallet::U256::parse_units(ticket.target_health.toStdString(), 18);
        if (!health || *health <= wallet::U256::parse_units("1", 18).value_or(wallet::U256(0)))
            return tr("The target health is a number above 1, such as 1.5.");
        request.target_health = *health;
        if (request.token_ids.empty()) return tr("Name the NFT to borrow against (its token id).");
        return std::nullopt;
    }
    auto pct = wallet::U256::parse_units(ticket.down_payment_pct.toStdString(), 2);
    if (!pct || pct->is_zero() || *pct >= wallet::U256(10000)) return tr("The down payment is a percentage above 0 and under 100, such as 40.");
    request.down_payment_bps = pct->to_u64().value_or(0);
    if (request.token_ids.size() > 1) return tr("A down-payment long buys one NFT: name one token id, or none for the cheapest.");
    return std::nullopt;
}

void ActionController::showCredit(const TradePlanResult& result)
{
    ui::TradeView view;
    const protocols::actions::PositionPlan* plan = nullptr;
    if (const auto& borrow = result.borrow) {
        plan = &borrow->plan;
        const auto ltv_used = borrow->collateral.is_zero() ? 0 : (borrow->debt_after * wallet::U256(10000) / borrow->collateral).to_u64().value_or(0);
        const auto apr = (borrow->borrow_rate / (wallet::U256::parse_units("1", 27).value_or(wallet::U256(1)) / wallet::U256(10000))).to_u64().value_or(0);
        view.summary = tr("borrow %1 WETH against NFT #%2 (%3): the NFT is worth %4 at the oracle (LTV %5, liquidation threshold %6). "
                          "Debt %7 → %8 (LTV used %9). ")
                           .arg(eth_words(borrow->plan.amount), QString::fromStdString(borrow->token_id.to_dec()),
                                borrow->new_loan ? tr("a new loan: the NFT goes into the pool") : tr("more on its loan"), eth_words(borrow->collateral),
                                percent_words(borrow->ltv_bps), percent_words(borrow->threshold_bps), eth_words(borrow->debt_before), eth_words(borrow->debt_after),
                                percent_words(ltv_used)) +
                       tr("After: health factor %1, liquidated if the floor falls to %2 ETH; borrow APR %3, about %4 WETH a day. The pool holds %5 to lend.")
                           .arg(eth_words(borrow->health_after), borrow->liquidation_price ? eth_words(*borrow->liquidation_price) : tr("—"), percent_words(apr),
                                eth_words(borrow->cost_per_day, 6), eth_words(borrow->available_liquidity, 2));
    } else if (const auto& longed = result.down_payment) {
        plan = &longed->plan;
        view.summary = tr("long NFT #%1 for %2 ETH: %3 ETH of yours, %4 flash-borrowed (premium %5) and repaid by a loan of %6 WETH in your name, in one transaction. ")
                           .arg(QString::fromStdString(longed->token_id.to_dec()), eth_words(longed->price), eth_words(longed->own_funds),
                                eth_words(longed->flash_loan), eth_words(longed->premium, 6), eth_words(longed->debt)) +
                       tr("Entry health factor %1, liquidated if the floor falls to %2 ETH, about %3 ETH a day in interest. "
                          "The least down payment the LTV allows is %4 ETH (leverage %5×).")
                           .arg(eth_words(longed->health_after), longed->liquidation_price ? eth_words(*longed->liquidation_price) : tr("—"),
                                eth_words(longed->cost_per_day, 6), eth_words(longed->min_own_funds), eth_words(longed->max_leverage, 2));
    }
    else if (const auto& accept = result.accept_offer) {
        plan = &accept->plan;
        const auto& o = accept->offer;
        view.summary = tr("accept %1's offer: borrow %2 WETH against NFT #%3 of %4, repay %5 within %6 days (interest %7, APR %8), due at %9. "
                          "The lender's signature, nonce, expiry and admin fee (%10 bps of the interest, the lender's) check out.")
                           .arg(QString::fromStdString(o.lender.to_hex()), eth_words(o.offer.principal), QString::fromStdString(o.offer.nft_id.to_dec()),
                                QString::fromStdString(o.offer.nft_contract.to_hex()), eth_words(o.offer.maximum_repayment))
                           .arg(o.offer.duration_seconds / 86400)
                           .arg(eth_words(accept->interest), percent_words(accept->apr_bps),
                                QDateTime::fromSecsSinceEpoch(static_cast<qint64>(accept->due)).toString(QStringLiteral("yyyy-MM-dd HH:mm")))
                           .arg(o.offer.admin_fee_bps);
    }
    if (!plan) return;
    m_credit = *plan;
    for (const auto& call : plan->calls) view.calls << QString::fromStdString(call.description);
    view.fees = feeWords(result.fees);
    const auto signer = m_signers.find(plan->account);
    view.signer = signer != m_signers.end() ? signer->second.description : QString::fromStdString(plan->account.to_hex());
    view.can_sign = canSign(plan->account);
    view.needs_password = view.can_sign && signer->second.kind == SignerSource::Kind::Keystore && !m_open.contains(plan->account);
    m_ticket->setPlan(view);
}

}  // namespace nftterm::app
