#include "action_worker.hpp"

#include "error_words.hpp"
#include "signer_session.hpp"
#include "worker_thread.hpp"

#include <protocols/eth/rpc/eth_api.hpp>
#include <protocols/eth/tx/receipt_tracker.hpp>
#include <protocols/eth/tx/sender.hpp>
#include <protocols/actions/perp.hpp>
#include <protocols/actions/plan_reads.hpp>
#include <protocols/actions/topup.hpp>
#include <protocols/positions/read_helpers.hpp>
#include <protocols/pricing/order_book.hpp>
#include <wallet/accounts/atomic_file.hpp>
#include <wallet/hw/ledger_signer.hpp>
#include <QTimer>

#include <cmath>

namespace nftterm::app {

using protocols::actions::PositionPlan;

namespace {

/// A call after an approval cannot be estimated before the approval lands: what it typically takes.
constexpr std::uint64_t kUnestimatedGas = 250000;

}  // namespace

ActionWorker::ActionWorker(protocols::eth::RpcClientOptions node, protocols::positions::Registry registry, std::filesystem::path journal,
                           std::stop_token stop, std::chrono::seconds auto_lock)
    : m_node(std::move(node)), m_registry(std::move(registry)), m_journal(std::move(journal)), m_stop(std::move(stop)), m_session(std::make_unique<SignerSession>(auto_lock))
{
}

ActionWorker::~ActionWorker() = default;

protocols::eth::RpcClient& ActionWorker::client()
{
    if (!m_client) m_client = std::make_unique<protocols::eth::RpcClient>(m_node);
    return *m_client;
}

void ActionWorker::setAutoLock(int seconds)
{
    m_session->set_auto_lock(std::chrono::seconds(std::max(0, seconds)));
    checkIdle();
}

void ActionWorker::lockAll()
{
    for (const auto& account : m_session->lock_all()) Q_EMIT lockChanged(QString::fromStdString(account.to_hex()), false);
}

void ActionWorker::checkIdle()
{
    for (const auto& account : m_session->lock_idle(SignerSession::Clock::now())) Q_EMIT lockChanged(QString::fromStdString(account.to_hex()), false);
}

void ActionWorker::plan(const protocols::positions::Position& position, double target, std::optional<wallet::Address> payer)
{
    PlanResult result;
    const auto wad = wallet::U256::parse_units(QString::number(target, 'f', 6).toStdString(), 18);
    auto plan = wad ? protocols::actions::plan_top_up(client(), m_registry, position, *wad, payer) : protocols::fail(protocols::Errc::Refused, "the target is not a number");
    if (!plan) {
        result.error = words(plan.error());
        Q_EMIT planned(result);
        return;
    }
    const auto bound = boundFees(plan->account, plan->calls);
    result.max_fee = bound.max_fee;
    result.likely_fee = bound.likely_fee;
    result.call_details = bound.call_details;
    result.plan = std::move(*plan);
    Q_EMIT planned(result);
}

FeeBound ActionWorker::boundFees(const wallet::Address& account, const std::vector<protocols::actions::PlannedCall>& calls)
{
    // The fee as the sender will set it: each call's gas (estimated; after an approval, bounded)
    // plus the margin, at the max fee per gas it offers — the most it can cost — and at the
    // next base fee plus the tip, what it will likely cost.
    FeeBound result;
    auto fees = protocols::eth::suggest_fees(client());
    // The nonces they will take, if nothing else is sent from the account first.
    const auto next_nonce = protocols::eth::get_transaction_count(client(), account, protocols::eth::BlockTag::pending());
    std::uint64_t call_index = 0;
    for (const auto& call : calls) {
        protocols::eth::CallRequest request;
        request.from = account;
        request.to = call.to;
        request.data = call.data;
        request.value = call.value;
        auto estimate = protocols::eth::estimate_gas(client(), request);
        // Unestimated (after an approval): likely a typical call's gas, at most the bound past which the sender refuses to sign.
        const std::uint64_t gas = estimate ? *estimate : std::min(kUnestimatedGas, call.gas_bound);
        const std::uint64_t limit = protocols::eth::with_gas_margin(estimate ? *estimate : call.gas_bound);
        std::string details = call.description + "\n  chain " + std::to_string(m_registry.chain_id) + ", from " + account.to_hex() + " to "
                              + call.to.to_hex() + "\n  value " + call.value.format_units(18) + " ETH, gas limit " + std::to_string(limit);
        if (next_nonce) details += ", nonce " + std::to_string(*next_nonce + call_index);
        ++call_index;
        if (fees) {
            const auto& tier = fees->at(protocols::eth::FeeSpeed::Normal);
            const wallet::U256& per_gas = fees->eip1559 ? tier.max_fee_per_gas : tier.gas_price;
            const wallet::U256 likely_per_gas = fees->eip1559 ? fees->next_base_fee + tier.max_priority_fee_per_gas : tier.gas_price;
            result.max_fee = result.max_fee + per_gas * wallet::U256(limit);
            result.likely_fee = result.likely_fee + likely_per_gas * wallet::U256(gas);
            details += ", max fee " + per_gas.format_units(9) + " gwei per gas (tip " + tier.max_priority_fee_per_gas.format_units(9) + " gwei)";
        }
        details += "\n  calldata " + wallet::to_hex(call.data);
        result.call_details.push_back(std::move(details));
    }
    return result;
}

void ActionWorker::cancelSigning()
{
    std::lock_guard lock(m_cancel_mutex);
    m_cancel.request_stop();
}

void ActionWorker::planTrade(const TradeRequest& request)
{
    TradePlanResult result;
    if (request.perp) {
        planPerp(request, result);
        return Q_EMIT tradePlanned(result);
    }
    if (request.borrow || request.down_payment_long || request.accept_offer) {
        planCredit(request, result);
        return Q_EMIT tradePlanned(result);
    }
    auto pools = protocols::pricing::read_collection_pools(client(), m_registry, request.collection);
    if (!pools) {
        result.error = words(pools.error());
        return Q_EMIT tradePlanned(result);
    }
    auto plan = request.buy ? protocols::actions::plan_buy(*pools, request.count, request.limit, request.account)
                            : protocols::actions::plan_sell_owned(client(), *pools, request.token_ids, request.limit, request.account);
    if (!plan) result.error = words(plan.error());
    else {
        result.fees = boundFees(plan->account, plan->calls);
        result.plan = std::move(*plan);
    }
    Q_EMIT tradePlanned(result);
}

void ActionWorker::planCredit(const TradeRequest& request, TradePlanResult& result)
{
    auto head = protocols::eth::block_number(client());
    if (!head) {
        result.error = words(head.error());
        return;
    }
    if (request.accept_offer) {
        auto text = wallet::read_small_file(request.offers_file, 16 << 20);
        if (!text) {
            result.error = tr("Cannot read the offers file %1: %2").arg(QString::fromStdString(request.offers_file.string()), words(text.error()));
            return;
        }
        auto offers = protocols::nftfi::offers_from_json(*text);
        if (!offers) {
            result.error = words(offers.error());
            return;
        }
        if (request.offer_index >= offers->size()) {
            result.error = tr("The offers file lists %1 offer(s).").arg(offers->size());
            return;
        }
        auto plan = protocols::actions::plan_accept_offer(client(), m_registry, request.account, (*offers)[request.offer_index], *head);
        if (!plan) {
            result.error = words(plan.error());
            return;
        }
        result.fees = boundFees(request.account, plan->plan.calls);
        result.accept_offer = std::move(*plan);
        return;
    }
    const std::optional<wallet::U256> token = request.token_ids.empty() ? std::nullopt : std::optional(request.token_ids.front());
    if (request.borrow) {
        if (!token) {
            result.error = tr("Name the NFT to borrow against (its token id).");
            return;
        }
        auto plan = protocols::actions::plan_borrow(client(), m_registry, request.account, request.collection, *token, std::nullopt, request.target_health, *head);
        if (!plan) {
            result.error = words(plan.error());
            return;
        }
        result.fees = boundFees(request.account, plan->plan.calls);
        result.borrow = std::move(*plan);
        return;
    }
    auto plan = protocols::actions::plan_down_payment(client(), m_registry, request.account, request.collection, token, request.down_payment_bps, request.limit, *head);
    if (!plan) {
        result.error = words(plan.error());
        return;
    }
    result.fees = boundFees(request.account, plan->plan.calls);
    result.down_payment = std::move(*plan);
}

void ActionWorker::planPerp(const TradeRequest& request, TradePlanResult& result)
{
    const std::string symbol = m_registry.symbol_of(request.collection);
    const auto amm = m_registry.amms.find(symbol);
    const auto house = m_registry.contract("PerpClearingHouse");
    if (symbol.empty() || amm == m_registry.amms.end() || !house) {
        result.error = tr("This collection has no perp market in the registry.");
        return;
    }
    auto head = protocols::eth::block_number(client());
    if (!head) {
        result.error = words(head.error());
        return;
    }
    auto plan = protocols::actions::plan_perp_trade(client(), *house, amm->second, request.account, request.buy, request.margin, request.leverage,
                                                    request.slippage_bps, *head);
    if (!plan) {
        result.error = words(plan.error());
        return;
    }
    result.fees = boundFees(request.account, plan->plan.calls);
    result.perp = std::move(*plan);
}

void ActionWorker::executeTrade(const protocols::actions::TradePlan& plan, const SignerSource& source, std::shared_ptr<QByteArray> password)
{
    quint64 last_block = 0;
    QString failure;
    if (!runCalls(plan.account, plan.calls, source, password, last_block, failure)) return Q_EMIT executed(false, failure, last_block);
    Q_EMIT executed(true,
                    tr("Landed: %1 %2 NFTs for %3 ETH (average %4 ETH)")
                        .arg(plan.action == "buy" ? tr("bought") : tr("sold"))
                        .arg(plan.count)
                        .arg(QString::fromStdString(plan.total.format_units(18)), QString::fromStdString(plan.average_price.format_units(18))),
                    last_block);
}

void ActionWorker::closeOnTrigger(const protocols::positions::Position& position, const QString& level, quint32 slippage_bps, const SignerSource& source)
{
    const QString id = QString::fromStdString(position.key.id());
    auto plan = protocols::actions::plan_close(client(), position, slippage_bps);
    if (!plan) return Q_EMIT triggerExecuted(false, tr("The %1 of %2 could not be planned: %3 — close it yourself").arg(level, id, words(plan.error())), 0);
    quint64 last_block = 0;
    QString failure;
    auto no_password = std::make_shared<QByteArray>();
    if (!runCalls(plan->account, plan->calls, source, no_password, last_block, failure))
        return Q_EMIT triggerExecuted(false, tr("The %1 of %2 failed: %3 — close it yourself").arg(level, id, failure), last_block);
    Q_EMIT triggerExecuted(true, tr("The %1 of %2 closed it in block %3 (%4 %5 %6)")
                                     .arg(level, id)
                                     .arg(last_block)
                                     .arg(plan->pays_in ? tr("paid") : tr("received"), QString::fromStdString(plan->amount.format_units(plan->token_decimals)),
                                          QString::fromStdString(plan->token_symbol)),
                           last_block);
}

void ActionWorker::executePerp(const protocols::actions::PerpTradePlan& plan, const SignerSource& source, std::shared_ptr<QByteArray> password)
{
    quint64 last_block = 0;
    QString failure;
    if (!runCalls(plan.plan.account, plan.plan.calls, source, password, last_block, failure)) return Q_EMIT executed(false, failure, last_block);
    // What the clearing house stored, in words: the size and its own margin ratio at the landing block.
    const auto ratio = protocols::actions::detail::view_at(client(), plan.house, "getMarginRatio(address,address)",
                                                           {protocols::positions::detail::value(plan.amm),
                                                            protocols::positions::detail::value(plan.plan.account)},
                                                           "((int256))", last_block);
    QString after;
    if (ratio) {
        const auto value = protocols::positions::detail::signed_wad(protocols::positions::detail::list((*ratio)[0])[0]);
        after = tr("; margin ratio %1%2 %").arg(value.negative ? QStringLiteral("-") : QString(), QString::number(std::stod(value.magnitude.format_units(16)), 'f', 2));
    }
    const auto size = [](const protocols::positions::SignedWad& v) -> QString {
        return (v.negative ? QStringLiteral("-") : QString()) + QString::number(std::stod(v.magnitude.format_units(18)), 'f', 4);
    };
    Q_EMIT executed(true, tr("Landed: perp %1, size %2 → %3%4").arg(QString::fromStdString(plan.kind), size(plan.size_before), size(plan.size_after), after), last_block);
}

bool ActionWorker::runCalls(const wallet::Address& account, const std::vector<protocols::actions::PlannedCall>& calls, const SignerSource& source,
                            const std::shared_ptr<QByteArray>& password, quint64& last_block, QString& failure)
{
    if (!m_idle_timer) {
        // Made here, on the action thread: it checks the open keystores' idle time every second.
        m_idle_timer = new QTimer(this);
        connect(m_idle_timer, &QTimer::timeout, this, [this] { (void)run_catching([this] { checkIdle(); }); });
        m_idle_timer->start(1000);
    }
    // Whatever happens below, a key that was not to be kept does not outlive this call.
    struct ForgetUnkept {
        SignerSession& session;
        ~ForgetUnkept() { session.forget_unkept(); }
    } forget{*m_session};
    // The signatures of this plan can be called off (Cancel, or the window closing) and a device has a deadline.
    wallet::SignContext context;
    {
        std::lock_guard lock(m_cancel_mutex);
        m_cancel = std::stop_source();
        context.stop = m_cancel.get_token();
    }
    const std::stop_callback closing(m_stop, [this] { cancelSigning(); });
    context.timeout = kDeviceTimeout;
    const bool was_open = m_session->is_open(account);
    auto signer = m_session->signer(account, source, *password, SignerSession::Clock::now(), context);
    password->fill('\0');
    if (!signer) {
        failure = words(signer.error()) + tr(" — nothing was sent");
        return false;
    }
    if (!was_open && m_session->is_open(account)) Q_EMIT lockChanged(QString::fromStdString(account.to_hex()), true);
    if (auto* ledger = dynamic_cast<wallet::ledger::LedgerSigner*>(*signer))
        ledger->on_prompt([this](const wallet::ledger::DevicePrompt& prompt) {
            QString hashes;
            if (prompt.domain_separator && prompt.message_hash)
                hashes = tr("domain hash %1\nmessage hash %2").arg(QString::fromStdString(prompt.domain_separator->to_hex()),
                                                                    QString::fromStdString(prompt.message_hash->to_hex()));
            Q_EMIT devicePrompt(QString::fromStdString(prompt.what), hashes.isEmpty() ? m_device_shows : hashes);
        });
    if ((*signer)->address() != account) {
        failure = tr("the key unlocked is not the paying account — nothing was sent");
        return false;
    }
    auto journal = protocols::eth::TxJournal::open(m_journal);
    if (!journal) {
        failure = words(journal.error());
        return false;
    }
    protocols::eth::NonceManager nonces(client());
    // Signed for the registry's chain only, within the fee ceilings of the settings.
    protocols::eth::SendPolicy policy;
    policy.chain_id = m_registry.chain_id;
    policy.ceiling = m_ceiling;
    protocols::eth::Sender sender(client(), **signer, **journal, nonces, policy);
    protocols::eth::ReceiptTracker tracker(client(), **journal);
        for (std::size_t i = 0; i < calls.size(); ++i) {
        const auto& call = calls[i];
        const protocols::eth::SendRequest request = call.send_request();
        Q_EMIT progress(tr("%1/%2: %3 — signing").arg(i + 1).arg(calls.size()).arg(QString::fromStdString(call.description)));
        // What the Ethereum app shows for it, for the window to say beside "Confirm on your Ledger".
        m_device_shows = tr("%1/%2: %3\nThe device shows the amount (%4 ETH), the contract (%5), the network (chain %6) and the max fees "
                            "(at most the fee above); it signs contract data only with Blind signing on. It waits up to %7 min.")
                             .arg(i + 1)
                             .arg(calls.size())
                             .arg(QString::fromStdString(call.description), QString::fromStdString(call.value.format_units(18)),
                                  QString::fromStdString(call.to.to_hex()))
                             .arg(m_registry.chain_id)
                             .arg(kDeviceTimeout.count());
        // Simulated first: a call that would revert is never signed.
        auto sent = sender.send(request, context);
        if (!sent) {
            failure = tr("“%1” was not sent: %2").arg(QString::fromStdString(call.description), words(sent.error()));
            return false;
        }
        const QString hash = QString::fromStdString(sent->signed_tx.hash.to_hex());
        Q_EMIT progress(tr("%1/%2: %3 — sent %4, waiting").arg(i + 1).arg(calls.size()).arg(QString::fromStdString(call.description), hash));
        if (!sent->warning.empty()) Q_EMIT progress(QString::fromStdString(sent->warning));
        auto status = tracker.wait(sent->signed_tx.hash, {1, std::chrono::milliseconds(100), std::chrono::minutes(5), m_stop});
        if (!status || status->state != protocols::eth::TxState::Mined) {
            const QString why = status ? QString::fromStdString(status->reason) : words(status.error());
            failure = tr("“%1” (%2) did not land: %3").arg(QString::fromStdString(call.description), hash, why);
            return false;
        }
        last_block = status->receipt->block_number;
        Q_EMIT progress(tr("%1/%2: %3 — landed in block %4").arg(i + 1).arg(calls.size()).arg(QString::fromStdString(call.description)).arg(status->receipt->block_number));
    }
    return true;
}

void ActionWorker::execute(const PositionPlan& plan, const SignerSource& source, std::shared_ptr<QByteArray> password)
{
    quint64 last_block = 0;
    QString failure;
    if (!runCalls(plan.account, plan.calls, source, password, last_block, failure)) return Q_EMIT executed(false, failure, last_block);
    // A new loan has no health before it (max): said as such.
    const auto figure = [this](const wallet::U256& value) { return value == wallet::U256::max() ? tr("none") : QString::fromStdString(value.format_units(18)).left(6); };
    Q_EMIT executed(true, tr("Landed: %1 %2 → predicted %3").arg(QString::fromStdString(plan.measure), figure(plan.health_before), figure(plan.predicted_health)),
                    last_block);
}

}  // namespace nftterm::app
