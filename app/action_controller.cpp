#include "action_controller.hpp"

#include <cmath>

#include <ui/dialogs/top_up_dialog.hpp>
#include <ui/main_window.hpp>
#include <ui/models/position_format.hpp>
#include <ui/models/position_table_model.hpp>

namespace nftterm::app {

using protocols::actions::PositionPlan;

namespace {

QString health_text(const PositionPlan& plan, const wallet::U256& value)
{
    if (value == wallet::U256::max()) return QStringLiteral("∞");
    if (plan.measure == "marginRatio") return QString::number(ui::wad_to_double(value) * 100, 'f', 2) + QStringLiteral(" %");
    return QString::number(ui::wad_to_double(value), 'f', 4);
}

QString token_amount(const PositionPlan& plan, const wallet::U256& amount)
{
    return QString::fromStdString(protocols::actions::token_text(plan, amount));
}

}  // namespace

ActionController::ActionController(ui::MainWindow& window, protocols::eth::RpcClientOptions node, protocols::positions::Registry registry,
                                   std::map<wallet::Address, SignerSource> signers, std::filesystem::path journal, double health_target,
                                   double margin_target)
    : QObject(&window), m_window(window), m_signers(std::move(signers)), m_health_target(health_target), m_margin_target(margin_target)
{
    // Closing the window during a top-up stops its receipt wait instead of waiting out its timeout.
    m_worker = new ActionWorker(std::move(node), std::move(registry), std::move(journal), m_thread.stop_token());
    m_thread.adopt(m_worker);
    connect(&m_thread, &WorkerThread::failed, this, [this](const QString& message) {
        if (m_sending) return finish(false, message, 0);
        PlanResult none;
        none.error = message;
        showPlan(none);
        m_window.addActivity(message);
    }, Qt::QueuedConnection);
    connect(m_worker, &ActionWorker::planned, this, &ActionController::showPlan, Qt::QueuedConnection);
    connect(m_worker, &ActionWorker::executed, this, &ActionController::finish, Qt::QueuedConnection);
    connect(m_worker, &ActionWorker::tradePlanned, this, &ActionController::showTrade, Qt::QueuedConnection);
    connect(m_worker, &ActionWorker::triggerExecuted, this, [this](bool ok, const QString& message, quint64 last_block) {
        m_fresh_from = std::max<quint64>(m_fresh_from, last_block);
        m_window.addActivity(message);
        Q_EMIT triggerFinished(ok, message);
    }, Qt::QueuedConnection);
    connect(m_worker, &ActionWorker::progress, this, [this](const QString& message) {
        m_window.addActivity(message);
        if (m_trading && m_ticket) m_ticket->setProgress(message);
        else if (m_dialog) m_dialog->setProgress(message);
    }, Qt::QueuedConnection);
    connect(m_worker, &ActionWorker::devicePrompt, this, [this](const QString& what, const QString& details) {
        if (m_dialog) m_dialog->setDevicePrompt(what, details);
        m_window.addActivity(tr("Confirm on your Ledger: %1").arg(what));
    }, Qt::QueuedConnection);
    connect(m_worker, &ActionWorker::lockChanged, this, [this](const QString& address, bool open) {
        const auto account = wallet::Address::from_hex(address.toStdString());
        if (!account) return;
        if (open) {
            m_open.insert(*account);
            m_window.addActivity(tr("Keystore %1 unlocked").arg(address));
        } else if (m_open.erase(*account)) {
            m_window.addActivity(tr("Keystore %1 locked").arg(address));
        }
    }, Qt::QueuedConnection);
    connect(window.positionModel(), &ui::PositionTableModel::snapshotApplied, this, [this](quint64 block) {
        if (!m_waiting_target || block < m_fresh_from) return;
        const double target = *m_waiting_target;
        m_waiting_target.reset();
        replan(target);
    });
    connect(&window, &ui::MainWindow::topUpRequested, this, &ActionController::openTopUp);
    connect(&window, &ui::MainWindow::lockRequested, this, &ActionController::lockAll);
    m_thread.start();
}

void ActionController::setSigner(const wallet::Address& account, const SignerSource& source)
{
    m_signers[account] = source;
}

void ActionController::setActiveSigner(const std::optional<wallet::Address>& account)
{
    m_active_signer = account;
}

void ActionController::setTargets(double health_target, double margin_target)
{
    m_health_target = health_target;
    m_margin_target = margin_target;
}

void ActionController::setAutoLock(int seconds)
{
    m_thread.post([worker = m_worker, seconds] { worker->setAutoLock(seconds); });
}

void ActionController::setFeeCeiling(const protocols::eth::FeeCeiling& ceiling)
{
    m_thread.post([worker = m_worker, ceiling] { worker->setFeeCeiling(ceiling); });
}

void ActionController::lockAll()
{
    m_thread.post([worker = m_worker] { worker->lockAll(); });
}

void ActionController::openTradeTicket(const QList<QPair<QString, QString>>& collections)
{
    if (m_ticket) {
        m_ticket->raise();
        return;
    }
    m_ticket = new ui::TradeTicketDialog(collections, &m_window);
    m_ticket->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_ticket, &ui::TradeTicketDialog::planRequested, this, &ActionController::planTrade);
    connect(m_ticket, &ui::TradeTicketDialog::confirmed, this, &ActionController::confirmTrade);
    m_ticket->show();
}

void ActionController::planTrade()
{
    if (!m_ticket || m_trading) return;
    m_trade.reset();
    m_perp.reset();
    m_credit.reset();
    // The active signer trades; without one, the first account that can sign (the ticket names it).
    std::optional<wallet::Address> account = m_active_signer && canSign(*m_active_signer) ? m_active_signer : std::nullopt;
    for (const auto& [address, source] : m_signers)
        if (!account && canSign(address)) account = address;
    if (!account) return m_ticket->setError(tr("No account here can sign: add a key (Wallet ▸ Add account)."));
    const auto ticket = m_ticket->ticket();
    TradeRequest request;
    request.account = *account;
    request.buy = ticket.buy;
    request.count = static_cast<std::uint64_t>(ticket.count);
    if (ticket.accept_offer) {
        request.accept_offer = true;
        request.offer_index = static_cast<std::size_t>(ticket.offer_index);
        request.offers_file = m_offers_file;
        m_thread.post([worker = m_worker, request] { worker->planTrade(request); });
        return;
    }
    const auto collection = wallet::Address::from_hex(ticket.collection.toStdString());
    if (!collection) return m_ticket->setError(tr("Choose a collection."));
    request.collection = *collection;
    if (ticket.perp) {
        request.perp = true;
        auto margin = wallet::U256::parse_units(ticket.margin.toStdString(), 18);
        if (!margin || margin->is_zero()) return m_ticket->setError(tr("The margin is an amount of the quote token, such as 2."));
        auto leverage = wallet::U256::parse_units(ticket.leverage.toStdString(), 18);
        if (!leverage || leverage->is_zero()) return m_ticket->setError(tr("The leverage is a number above 0, such as 3 or 2.5."));
        request.margin = *margin;
        request.leverage = *leverage;
        request.slippage_bps = static_cast<std::uint32_t>(ticket.slippage_bps);
        m_thread.post([worker = m_worker, request] { worker->planTrade(request); });
        return;
    }
    for (const auto& text : ticket.token_ids) {
        auto id = wallet::U256::from_dec(text.toStdString());
        if (!id) return m_ticket->setError(tr("“%1” is not a token id.").arg(text));
        request.token_ids.push_back(*id);
    }
    if (!ticket.limit.isEmpty()) {
        auto limit = wallet::U256::parse_units(ticket.limit.toStdString(), 18);
        if (!limit) return m_ticket->setError(tr("The limit is an amount of ETH, such as 95.5."));
        request.limit = *limit;
    }
    if (ticket.borrow || ticket.down_payment_long) {
        if (auto why = creditRequest(ticket, request)) return m_ticket->setError(*why);
    } else if (!ticket.buy && request.token_ids.empty()) {
        return m_ticket->setError(tr("Name the NFTs to sell (their token ids)."));
    }
    m_thread.post([worker = m_worker, request] { worker->planTrade(request); });
}

void ActionController::showTrade(const TradePlanResult& result)
{
    if (!m_ticket || m_trading) return;
    const auto eth = [](const wallet::U256& wei) { return QString::fromStdString(wei.format_units(18)); };
    if (result.perp) return showPerp(*result.perp, result.fees);
    if (result.borrow || result.down_payment || result.accept_offer) return showCredit(result);
    if (!result.plan) {
        m_trade.reset();
        return m_ticket->setError(result.error);
    }
    m_trade = result.plan;
    const auto& plan = *result.plan;
    ui::TradeView view;
    view.fees = feeWords(result.fees);
    for (const auto& call : plan.calls) view.calls << QString::fromStdString(call.description);
    view.summary = tr("%1 %2 %3 %4 ETH across %5 pool(s): average %6 ETH against the best %7 ETH (impact %8 bps); protocol fees %9 ETH")
                       .arg(plan.action == "buy" ? tr("buy") : tr("sell"))
                       .arg(plan.count == 1 ? tr("1 NFT") : tr("%1 NFTs").arg(plan.count))
                       .arg(plan.action == "buy" ? tr("for") : tr("for at least"))
                       .arg(eth(plan.total))
                       .arg(plan.swaps.size())
                       .arg(eth(plan.average_price), eth(plan.best_price))
                       .arg(plan.impact_bps)
                       .arg(eth(plan.protocol_fees));
    const auto signer = m_signers.find(plan.account);
    view.signer = signer != m_signers.end() ? signer->second.description : QString::fromStdString(plan.account.to_hex());
    view.can_sign = canSign(plan.account);
    view.needs_password = view.can_sign && signer->second.kind == SignerSource::Kind::Keystore && !m_open.contains(plan.account);
    m_ticket->setPlan(view);
}

QString ActionController::feeWords(const FeeBound& fees) const
{
    // Four significant digits, rounded up: a bound shown never understates.
    const auto eth = [](const wallet::U256& wei) -> QString {
        const double value = std::stod(wei.format_units(18));
        if (value <= 0) return QStringLiteral("0");
        const double scale = std::pow(10.0, std::floor(std::log10(value)) - 3);
        return QString::number(std::ceil(value / scale) * scale, 'g', 4);
    };
    if (fees.max_fee.is_zero()) return tr("the node suggests no fee: the ceiling in Settings ▸ Fees bounds them");
    return tr("at most %1 ETH for %2 call(s) (likely %3 ETH), within the ceiling in Settings ▸ Fees")
        .arg(eth(fees.max_fee))
        .arg(fees.call_details.size())
        .arg(eth(fees.likely_fee));
}

void ActionController::showPerp(const protocols::actions::PerpTradePlan& plan, const FeeBound& fees)
{
    m_perp = plan;
    const auto wad = [](const wallet::U256& value, int places) -> QString { return QString::number(std::stod(value.format_units(18)), 'f', places); };
    const auto signed_wad = [&](const protocols::positions::SignedWad& v, int places) -> QString { return (v.negative ? QStringLiteral("-") : QString()) + wad(v.magnitude, places); };
    const auto percent = [&](const protocols::positions::SignedWad& v) -> QString { return signed_wad({v.negative, v.magnitude * wallet::U256(100)}, 2) + QStringLiteral(" %"); };
    ui::TradeView view;
    for (const auto& call : plan.plan.calls) view.calls << QString::fromStdString(call.description);
    view.summary = tr("%1 %2: size %3 → %4 at %5 (notional %6, fee %7)")
                       .arg(QString::fromStdString(plan.kind), plan.long_side ? tr("long") : tr("short"))
                       .arg(signed_wad(plan.size_before, 4), signed_wad(plan.size_after, 4), wad(plan.entry_price, 4), wad(plan.open_notional, 4), wad(plan.fee, 4));
    if (const auto& after = plan.after)
        view.summary += tr(". After: margin %1, margin ratio %2 (%3; maintenance %4), liquidation price %5")
                            .arg(wad(after->margin, 4), percent(after->margin_ratio),
                                 after->ratio_by_spot ? tr("by the spot mark") : tr("by the 15-minute TWAP, which moves with time"),
                                 percent(protocols::positions::SignedWad{false, plan.maintenance_ratio}),
                                 after->liquidation_price ? wad(*after->liquidation_price, 4) : tr("none"));
    else
        view.summary += tr(". After: no position");
    view.summary += tr(". Funding now %1 per %2 (longs pay shorts when positive).")
                        .arg(percent(plan.funding_rate), QString::fromStdString(protocols::actions::period_text(plan.funding_period)));
    view.fees = feeWords(fees);
    const auto signer = m_signers.find(plan.plan.account);
    view.signer = signer != m_signers.end() ? signer->second.description : QString::fromStdString(plan.plan.account.to_hex());
    view.can_sign = canSign(plan.plan.account);
    view.needs_password = view.can_sign && signer->second.kind == SignerSource::Kind::Keystore && !m_open.contains(plan.plan.account);
    m_ticket->setPlan(view);
}

void ActionController::confirmTrade(const QByteArray& password)
{
    if (!m_trading && !m_sending && m_credit) {
        const auto signer = m_signers.find(m_credit->account);
        if (signer == m_signers.end()) return;
        m_trading = true;
        m_sending = true;
        auto secret = std::make_shared<QByteArray>(password.constData(), password.size());
        m_window.addActivity(tr("%1: %2 call(s) to sign").arg(QString::fromStdString(m_credit->action)).arg(m_credit->calls.size()));
        m_thread.post([worker = m_worker, plan = *m_credit, source = signer->second, secret] { worker->execute(plan, source, secret); });
        return;
    }
    if (!m_trading && !m_sending && m_perp) {
        const auto signer = m_signers.find(m_perp->plan.account);
        if (signer == m_signers.end()) return;
        m_trading = true;
        m_sending = true;
        auto secret = std::make_shared<QByteArray>(password.constData(), password.size());
        m_window.addActivity(tr("Perp %1: %2 call(s) to sign").arg(QString::fromStdString(m_perp->kind)).arg(m_perp->plan.calls.size()));
        m_thread.post([worker = m_worker, plan = *m_perp, source = signer->second, secret] { worker->executePerp(plan, source, secret); });
        return;
    }
    if (m_trading || m_sending || !m_trade) {
        if (m_ticket && !m_trade) m_ticket->setError(tr("The route is being made again; confirm once it shows. Nothing was signed."));
        return;
    }
    const auto signer = m_signers.find(m_trade->account);
    if (signer == m_signers.end()) return;
    m_trading = true;
    m_sending = true;
    auto secret = std::make_shared<QByteArray>(password.constData(), password.size());
    m_window.addActivity(tr("Trade: %1 swap(s) to sign").arg(m_trade->calls.size()));
    m_thread.post([worker = m_worker, plan = *m_trade, source = signer->second, secret] { worker->executeTrade(plan, source, secret); });
}

void ActionController::closeOnTrigger(const protocols::positions::Position& position, const std::string& level, std::uint32_t slippage_bps)
{
    const QString what = tr("The %1 of %2 crossed (mark %3)")
                             .arg(QString::fromStdString(level), QString::fromStdString(position.key.id()),
                                  position.price ? QString::fromStdString(position.price->format_units(18)) : tr("unknown"));
    const auto refuse = [&](const QString& why) {
        const QString message = what + QStringLiteral(": ") + why + tr(" — close it yourself");
        m_window.addActivity(message);
        Q_EMIT triggerFinished(false, message);
    };
    const auto signer = m_signers.find(position.key.account);
    if (!canSign(position.key.account)) return refuse(tr("no key here can sign for its account"));
    if (signer->second.kind == SignerSource::Kind::Keystore && !m_open.contains(position.key.account))
        return refuse(tr("its keystore is locked (a keystore stays open after a signature for the auto-lock time in Settings ▸ Security)"));
    m_window.addActivity(what + tr(": closing it, limited to %1 bps of slippage").arg(slippage_bps));
    m_thread.post([worker = m_worker, position, level = QString::fromStdString(level), slippage_bps, source = signer->second] {
        worker->closeOnTrigger(position, level, slippage_bps, source);
    });
}

bool ActionController::canSign(const wallet::Address& account) const
{
    const auto signer = m_signers.find(account);
    return signer != m_signers.end() && signer->second.kind != SignerSource::Kind::WatchOnly;
}

std::optional<wallet::Address> ActionController::payerFor(const protocols::positions::Position& position) const
{
    if (canSign(position.key.account) || position.key.protocol != protocols::positions::Protocol::BendDao) return std::nullopt;
    if (m_active_signer && canSign(*m_active_signer)) return m_active_signer;
    return std::nullopt;
}

ActionController::~ActionController() = default;

void ActionController::openTopUp(const QString& position_id)
{
    if (m_sending) {
        m_window.addActivity(tr("A top-up is still being sent; wait for it to land"));
        return;
    }
    auto* model = m_window.positionModel();
    const auto* position = model->positionAt(model->rowOf(position_id.toStdString()));
    if (!position) return;
    m_position = *position;
    m_plan.reset();
    m_waiting_target.reset();
    if (m_dialog) m_dialog->close();
    const double target = position->key.protocol == protocols::positions::Protocol::Perp ? m_margin_target : m_health_target;
    m_dialog = new ui::TopUpDialog(target, &m_window);
    m_dialog->setTitle(titleOf(position->key.id()), position->key.protocol == protocols::positions::Protocol::Perp ? tr("margin ratio") : tr("health factor"));
    m_dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_dialog, &ui::TopUpDialog::targetChanged, this, &ActionController::replan);
    connect(m_dialog, &ui::TopUpDialog::confirmed, this, &ActionController::confirm);
    // Direct, not queued: the action thread is blocked in the device's wait until the cancel reaches it.
    connect(m_dialog, &ui::TopUpDialog::cancelRequested, this, [this] { m_worker->cancelSigning(); });
    m_dialog->open();
    replan(target);
}

void ActionController::replan(double target)
{
    if (!m_position || m_sending) return;
    m_plan.reset();
    auto* model = m_window.positionModel();
    if (model->block() < m_fresh_from) {
        // The rows predate the last top-up: planning from them would pay it again.
        m_waiting_target = target;
        if (m_dialog) m_dialog->setBusy(tr("Waiting for block %1, where the last top-up landed, to be read…").arg(m_fresh_from));
        return;
    }
    // The position as the latest snapshot shows it.
    const auto* position = model->positionAt(model->rowOf(m_position->key.id()));
    if (!position) {
        if (m_dialog) m_dialog->setError(tr("The position is gone (repaid, closed or liquidated)."));
        return;
    }
    m_position = *position;
    m_waiting_target.reset();
    if (m_dialog) m_dialog->setBusy(tr("Planning…"));
    m_thread.post([worker = m_worker, position = *m_position, target, payer = payerFor(*m_position)] { worker->plan(position, target, payer); });
}

void ActionController::showPlan(const PlanResult& result)
{
    if (!m_dialog) return;
    if (!result.plan) {
        m_last_error.clear();
        m_dialog->setError(result.error);
        return;
    }
    const PositionPlan& plan = *result.plan;
    if (plan.position_id != m_position->key.id()) return;
    m_plan = plan;
    const auto signer = m_signers.find(plan.account);
    ui::PlanView view;
    view.position_id = QString::fromStdString(plan.position_id);
    view.title = titleOf(plan.position_id);
    view.measure = plan.measure == "marginRatio" ? tr("Margin ratio") : tr("Health factor");
    view.before = health_text(plan, plan.health_before);
    view.predicted = health_text(plan, plan.predicted_health);
    for (const auto& call : plan.calls) view.calls << QString::fromStdString(call.description);
    view.amount = token_amount(plan, plan.amount);
    view.balance_before = token_amount(plan, plan.balance_before);
    view.balance_after = token_amount(plan, plan.balance_after());
    view.max_fee = result.max_fee.is_zero() ? tr("unknown") : ui::amount_text(result.max_fee, 6) + tr(" ETH");
    view.likely_fee = result.likely_fee.is_zero() ? tr("unknown") : ui::amount_text(result.likely_fee, 6) + tr(" ETH");
    for (const auto& details : result.call_details) view.raw_calls << QString::fromStdString(details);
    view.can_sign = canSign(plan.account);
    view.needs_password = view.can_sign && signer->second.kind == SignerSource::Kind::Keystore && !m_open.contains(plan.account);
    view.signer = signer != m_signers.end() ? signer->second.description : tr("watch-only %1").arg(QString::fromStdString(plan.account.to_hex()));
    if (view.can_sign && m_open.contains(plan.account)) view.signer += tr(" (unlocked)");
    if (plan.account != m_position->key.account) view.signer += tr(", paying for %1").arg(QString::fromStdString(m_position->key.account.to_hex()));
    m_dialog->setPlan(view);
    // An error that led to this plan stays in view.
    if (!m_last_error.isEmpty()) m_dialog->setError(m_last_error);
    m_last_error.clear();
}

QString ActionController::titleOf(const std::string& position_id) const
{
    const int row = m_window.positionModel()->rowOf(position_id);
    const auto cell = [&](int column) { return m_window.positionModel()->index(row, column).data().toString(); };
    return tr("%1 %2 %3 of %4").arg(cell(ui::PositionTableModel::Protocol), cell(ui::PositionTableModel::Collection),
                                    cell(ui::PositionTableModel::Token), cell(ui::PositionTableModel::Account));
}

void ActionController::confirm(const QByteArray& password)
{
    // One send per confirmation; a second click while it runs does nothing.
    if (m_sending) return;
    if (!m_plan) {
        // A new plan is on its way (the target changed): nothing is signed until the user has seen it.
        if (m_dialog) m_dialog->setError(tr("The plan is being made again; confirm once it shows. Nothing was signed."));
        return;
    }
    const auto signer = m_signers.find(m_plan->account);
    if (signer == m_signers.end()) return;
    m_sending = true;
    auto secret = std::make_shared<QByteArray>(password.constData(), password.size());
    m_window.addActivity(tr("Top-up of %1: %2 call(s) to sign").arg(QString::fromStdString(m_plan->position_id)).arg(m_plan->calls.size()));
    m_thread.post([worker = m_worker, plan = *m_plan, source = signer->second, secret] { worker->execute(plan, source, secret); });
}

void ActionController::finish(bool ok, const QString& message, quint64 last_block)
{
    m_sending = false;
    m_fresh_from = std::max<quint64>(m_fresh_from, last_block);
    m_window.addActivity(message);
    if (m_trading) {
        m_trading = false;
        if (!m_ticket) return;
        if (ok) m_ticket->setFinished(message);
        else m_ticket->setError(message + tr(" — change the ticket to route again"));
        return;
    }
    if (!m_dialog) return;
    if (ok) {
        m_dialog->setFinished(message);
        return;
    }
    m_dialog->setError(message);
    // What landed before the failure (an approval) changes the plan: plan again before another try.
    m_last_error = message;
    replan(m_dialog->target());
}

}  // namespace nftterm::app
