#pragma once

#include <protocols/eth/rpc/rpc_client.hpp>
#include <protocols/eth/tx/sender.hpp>
#include <protocols/actions/amm_trade.hpp>
#include <protocols/actions/borrow.hpp>
#include <protocols/actions/down_payment.hpp>
#include <protocols/actions/p2p_offer.hpp>
#include <protocols/actions/perp.hpp>
#include <protocols/actions/plan.hpp>
#include <protocols/positions/registry.hpp>

#include <QByteArray>
#include <QMetaType>
#include <QObject>
#include <QString>

#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>

class QTimer;

namespace nftterm::app {

class SignerSession;

/// How an account signs in the terminal.
struct SignerSource {
    enum class Kind { WatchOnly, Keystore, DevnetKey, Ledger };
    Kind kind = Kind::WatchOnly;
    /// Kind::Keystore: the keystore v3 file.
    std::filesystem::path keystore;
    /// Kind::Ledger: the account's path and how to reach the device ("hid", "tcp:HOST:PORT").
    std::string ledger_path;
    std::string ledger_transport;
    /// Kind::DevnetKey: m/44'/60'/0'/0/index of the devnet's public test mnemonic.
    std::uint32_t devnet_index = 0;
    /// For people: "keystore 0x…", "devnet key of carol".
    QString description;
};

/// What a plan's calls can cost in fees: the most (every call's gas bound with
/// the sender's margin at the max fee per gas it offers) and the likely, with
/// each call as it would be signed.
struct FeeBound {
    wallet::U256 max_fee;
    wallet::U256 likely_fee;
    std::vector<std::string> call_details;
};

/// What the trade ticket asks for: a routed buy of `count` NFTs, or a sell of
/// `token_ids`; or with `perp`, a long (buy) or short on the collection's Amm.
struct TradeRequest {
    wallet::Address collection;
    bool buy = true;
    bool perp = false;
    wallet::U256 margin;    // perp: the quote token, 18 decimals
    wallet::U256 leverage;  // perp: WAD
    std::uint32_t slippage_bps = 100;
    /// Credit: a borrow against `token_ids[0]` to `target_health` (WAD), or a down-payment long
    /// paying `down_payment_bps` of the price (NFT `token_ids[0]` if given), `limit` its most.
    bool borrow = false;
    bool down_payment_long = false;
    wallet::U256 target_health;
    std::uint64_t down_payment_bps = 0;
    /// A P2P offer to accept: the `offer_index`th of `offers_file`.
    bool accept_offer = false;
    std::size_t offer_index = 0;
    std::filesystem::path offers_file;
    std::uint64_t count = 0;
    std::vector<wallet::U256> token_ids;
    /// The most a buy may cost, the least a sell must pay (ETH wei); unset: no limit.
    std::optional<wallet::U256> limit;
    wallet::Address account;
};

/// A trade plan, or why there is none.
struct TradePlanResult {
    std::optional<protocols::actions::TradePlan> plan;
    std::optional<protocols::actions::PerpTradePlan> perp;
    std::optional<protocols::actions::BorrowPlan> borrow;
    std::optional<protocols::actions::DownPaymentPlan> down_payment;
    std::optional<protocols::actions::AcceptOfferPlan> accept_offer;
    FeeBound fees;
    QString error;
};

/// A plan, or why there is none.
struct PlanResult {
    std::optional<protocols::actions::PositionPlan> plan;
    /// The most the fees of every call can come to (wei): the gas limit the
    /// sender will set (estimate + margin) × the max fee per gas it will offer.
    wallet::U256 max_fee;
    /// What they will likely come to: the estimate × (next base fee + tip).
    wallet::U256 likely_fee;
    /// Each call as it would be signed, for the "show the raw transaction" view.
    std::vector<std::string> call_details;
    QString error;
};

/// Plans top-ups and signs and sends them, on its own thread (planning
/// reads the chain, unlocking a keystore takes a second of scrypt, sending
/// waits for receipts). Results leave by queued signals.
class ActionWorker : public QObject {
    Q_OBJECT
public:
    /// `stop`: requested when the window closes; every wait ends early on it.
    ActionWorker(protocols::eth::RpcClientOptions node, protocols::positions::Registry registry, std::filesystem::path journal,
                 std::stop_token stop = {}, std::chrono::seconds auto_lock = std::chrono::minutes(5));
    ~ActionWorker() override;

    /// Calls off the signature under way (a hardware wallet waiting for its
    /// person): thread-safe, called directly from the GUI thread, since the
    /// action thread is blocked in the signer meanwhile.
    void cancelSigning();
    /// How long a hardware wallet may take to answer before the request fails in words.
    static constexpr std::chrono::minutes kDeviceTimeout{2};

public Q_SLOTS:
    /// `payer`: another account pays (and signs) instead of the position's.
    void plan(const protocols::positions::Position& position, double target, std::optional<wallet::Address> payer = {});
    /// How long an unlocked keystore stays open while unused (0: ask every time).
    void setAutoLock(int seconds);
    /// Locks every open keystore now.
    void lockAll();
    /// The fee ceiling every later signature is held to (Settings).
    void setFeeCeiling(const protocols::eth::FeeCeiling& ceiling) { m_ceiling = ceiling; }
    /// Unlocks the signer (the password is zeroed after use), then simulates,
    /// signs, sends and waits for each call in turn; stops at the first failure.
    void execute(const protocols::actions::PositionPlan& plan, const nftterm::app::SignerSource& source, std::shared_ptr<QByteArray> password);
    /// Reads the collection's pools and routes the trade (see actions::plan_buy / plan_sell_owned).
    void planTrade(const nftterm::app::TradeRequest& request);
    /// Signs and sends a trade's swaps in turn, as execute does a top-up's calls.
    void executeTrade(const protocols::actions::TradePlan& plan, const nftterm::app::SignerSource& source, std::shared_ptr<QByteArray> password);
    /// A stop-loss or take-profit crossed: plans the close as `close` does (the
    /// Amm's quote made `slippage_bps` worse) at the snapshot's block and sends it
    /// with the open signer (no password is asked: the caller checked it is open).
    void closeOnTrigger(const protocols::positions::Position& position, const QString& level, quint32 slippage_bps, const nftterm::app::SignerSource& source);
    /// Signs and sends a perp trade's calls (an approval, openPosition), then reads what the clearing house stored.
    void executePerp(const protocols::actions::PerpTradePlan& plan, const nftterm::app::SignerSource& source, std::shared_ptr<QByteArray> password);

Q_SIGNALS:
    void planned(const nftterm::app::PlanResult& result);
    /// A trigger's close landed (ok) or not, in words.
    void triggerExecuted(bool ok, const QString& message, quint64 last_block);
    void tradePlanned(const nftterm::app::TradePlanResult& result);
    void progress(const QString& message);
    /// ok: every call landed. `message` says what happened, in words;
    /// `last_block`: the block of the last call that landed (0: none did).
    void executed(bool ok, const QString& message, quint64 last_block);
    /// A keystore was unlocked and stays open, or was locked (idle or asked).
    void lockChanged(const QString& address, bool open);
    /// A hardware wallet is about to show a request: what to confirm on it (and,
    /// for a hashed EIP-712 message, the two hashes it shows).
    void devicePrompt(const QString& what, const QString& hashes);

private:
    protocols::eth::RpcClient& client();
    void checkIdle();
    FeeBound boundFees(const wallet::Address& account, const std::vector<protocols::actions::PlannedCall>& calls);
    void planPerp(const TradeRequest& request, TradePlanResult& result);
    void planCredit(const TradeRequest& request, TradePlanResult& result);
    /// Unlocks the signer, then simulates, signs, sends and waits for each call; on a failure says why in `failure` and returns false.
    bool runCalls(const wallet::Address& account, const std::vector<protocols::actions::PlannedCall>& calls, const SignerSource& source,
                  const std::shared_ptr<QByteArray>& password, quint64& last_block, QString& failure);

    protocols::eth::RpcClientOptions m_node;
    protocols::positions::Registry m_registry;
    protocols::eth::FeeCeiling m_ceiling;
    std::filesystem::path m_journal;
    std::stop_token m_stop;
    std::unique_ptr<protocols::eth::RpcClient> m_client;
    std::unique_ptr<SignerSession> m_session;
    QTimer* m_idle_timer = nullptr;
    /// The signature under way's cancel.
    std::mutex m_cancel_mutex;
    std::stop_source m_cancel;
    /// The call being signed as a Ledger shows it.
    QString m_device_shows;
};

}  // namespace nftterm::app

Q_DECLARE_METATYPE(nftterm::app::PlanResult)
Q_DECLARE_METATYPE(nftterm::app::TradePlanResult)
Q_DECLARE_METATYPE(nftterm::app::TradeRequest)
Q_DECLARE_METATYPE(nftterm::app::SignerSource)
Q_DECLARE_METATYPE(nftterm::protocols::positions::Position)
Q_DECLARE_METATYPE(nftterm::protocols::actions::PositionPlan)
Q_DECLARE_METATYPE(std::shared_ptr<QByteArray>)
