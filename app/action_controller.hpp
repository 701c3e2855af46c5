#pragma once

#include "action_worker.hpp"

#include <ui/dialogs/top_up_dialog.hpp>
#include <ui/dialogs/trade_ticket_dialog.hpp>

#include <protocols/positions/position.hpp>

#include <QObject>
#include <QPointer>
#include "worker_thread.hpp"

#include <map>
#include <optional>
#include <set>

namespace nftterm::ui {
class MainWindow;
}  // namespace nftterm::ui

namespace nftterm::app {

/// One-click top-up: a row's request opens the dialog with the plan made on
/// the action worker's thread, re-plans when the target changes, sends once
/// on confirmation, and reports progress in the dialog and the activity
/// pane. Lives on the GUI thread; destroying it joins the worker's thread.
class ActionController : public QObject {
    Q_OBJECT
public:
    ActionController(ui::MainWindow& window, protocols::eth::RpcClientOptions node, protocols::positions::Registry registry,
                     std::map<wallet::Address, SignerSource> signers, std::filesystem::path journal, double health_target = 1.5,
                     double margin_target = 0.25);
    ~ActionController() override;

    void openTopUp(const QString& position_id);
    /// The trade ticket: routed buys and sells in the pools of `collections` (symbol, address), signed by the active signer.
    void openTradeTicket(const QList<QPair<QString, QString>>& collections);
    ui::TradeTicketDialog* tradeTicket() const { return m_ticket; }
    /// Where the ticket finds P2P offers to accept (the registry file: the devnet manifest lists its open offers).
    void setOffersFile(std::filesystem::path file) { m_offers_file = std::move(file); }
    /// A perp's stop-loss or take-profit crossed: closes it when its account's
    /// key can sign without a prompt (an unlocked keystore, a devnet key, a
    /// Ledger, which asks on the device), else says so in the activity pane;
    /// the outcome in words comes back by triggerFinished.
    void closeOnTrigger(const protocols::positions::Position& position, const std::string& level, std::uint32_t slippage_bps);
    /// An account added while running, or one whose signer changed.
    void setSigner(const wallet::Address& account, const SignerSource& source);
    /// Who pays a top-up of a pool loan whose own account cannot sign (none: such top-ups cannot be sent).
    void setActiveSigner(const std::optional<wallet::Address>& account);
    /// Default targets of new dialogs.
    void setTargets(double health_target, double margin_target);
    /// How long an unlocked keystore stays open while unused (0: ask every time).
    void setAutoLock(int seconds);
    /// The fee ceiling for every later signature (Settings ▸ Security).
    void setFeeCeiling(const protocols::eth::FeeCeiling& ceiling);
    void lockAll();
    bool isUnlocked(const wallet::Address& account) const { return m_open.contains(account); }
    ui::TopUpDialog* dialog() const { return m_dialog; }
    /// The plan the dialog shows (or last showed).
    const std::optional<protocols::actions::PositionPlan>& plan() const { return m_plan; }

Q_SIGNALS:
    /// A trigger's close: landed (ok), failed or could not be signed, in words.
    void triggerFinished(bool ok, const QString& message);

private:
    void replan(double target);
    QString titleOf(const std::string& position_id) const;
    void showPlan(const PlanResult& result);
    void confirm(const QByteArray& password);
    void finish(bool ok, const QString& message, quint64 last_block);
    /// Another account pays when the position's own cannot sign (pool loans only).
    std::optional<wallet::Address> payerFor(const protocols::positions::Position& position) const;
    bool canSign(const wallet::Address& account) const;

    ui::MainWindow& m_window;
    std::map<wallet::Address, SignerSource> m_signers;
    std::optional<wallet::Address> m_active_signer;
    /// Keystores the action thread holds open (no password needed until they lock).
    std::set<wallet::Address> m_open;
    /// Where a top-up aims by default: a health factor for loans, a margin ratio for perps.
    double m_health_target;
    double m_margin_target;
    WorkerThread m_thread{QStringLiteral("actions")};
    ActionWorker* m_worker = nullptr;
    QPointer<ui::TopUpDialog> m_dialog;
    QPointer<ui::TradeTicketDialog> m_ticket;
    /// The route the ticket shows, and whether its swaps are being sent.
    std::optional<protocols::actions::TradePlan> m_trade;
    std::optional<protocols::actions::PerpTradePlan> m_perp;
    /// A borrow or a down-payment long from the ticket: its calls, as a top-up's are signed.
    std::optional<protocols::actions::PositionPlan> m_credit;
    std::filesystem::path m_offers_file;
    bool m_trading = false;
    void planTrade();
    void showTrade(const TradePlanResult& result);
    void showPerp(const protocols::actions::PerpTradePlan& plan, const FeeBound& fees);
    /// The ticket's credit side (action_controller_credit.cpp): the request from the ticket, the plan in words.
    std::optional<QString> creditRequest(const ui::TradeTicket& ticket, TradeRequest& request) const;
    void showCredit(const TradePlanResult& result);
    QString feeWords(const FeeBound& fees) const;
    void confirmTrade(const QByteArray& password);
    std::optional<protocols::positions::Position> m_position;
    std::optional<protocols::actions::PositionPlan> m_plan;
    bool m_sending = false;
    /// Plans are made only from snapshots of this block or later: what the
    /// last top-up landed in. An older snapshot would plan the same repay again.
    quint64 m_fresh_from = 0;
    /// A plan waiting for that snapshot, with its target.
    std::optional<double> m_waiting_target;
    QString m_last_error;
};

}  // namespace nftterm::app
