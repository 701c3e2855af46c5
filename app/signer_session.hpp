#pragma once

#include "action_worker.hpp"

#include <wallet/signer/signer.hpp>

#include <chrono>
#include <map>
#include <optional>
#include <memory>
#include <vector>

namespace nftterm::app {

/// Keystores unlocked for a while, so that another top-up soon after needs
/// no password; each is locked (its key wiped) once idle for the auto-lock
/// time. An auto-lock of zero keeps nothing: every signature asks again.
/// Not thread-safe: it lives on the action thread.
class SignerSession {
public:
    using Clock = std::chrono::steady_clock;

    explicit SignerSession(std::chrono::seconds auto_lock);

    void set_auto_lock(std::chrono::seconds auto_lock) { m_auto_lock = auto_lock; }
    std::chrono::seconds auto_lock() const { return m_auto_lock; }

    /// The account's signer: the open one, or unlocked now with `password`.
    /// It stays valid until the next call on this session.
    protocols::Result<wallet::Signer*> signer(const wallet::Address& account, const SignerSource& source, const QByteArray& password,
                                              Clock::time_point now, const wallet::SignContext& context = {});
    bool is_open(const wallet::Address& account) const { return m_open.contains(account); }
    /// Locks the keystores idle for the auto-lock time or longer; the accounts locked.
    std::vector<wallet::Address> lock_idle(Clock::time_point now);
    std::vector<wallet::Address> lock_all();
    /// The signature (or plan of several) is done: a signer that was not to
    /// be kept (auto-lock 0, a devnet key) is wiped now, not at the next call.
    void forget_unkept() { m_once.reset(); }
    /// Whether a signer not to be kept is still held (tests).
    bool holds_unkept() const { return m_once != nullptr; }

private:
    struct Open {
        std::unique_ptr<wallet::Signer> signer;
        Clock::time_point last_used;
    };
    std::chrono::seconds m_auto_lock;
    std::map<wallet::Address, Open> m_open;
    /// A signer used once and not kept (auto-lock 0, devnet keys).
    std::unique_ptr<wallet::Signer> m_once;
};

/// Unlocks a signer: a keystore with its password, a devnet test key, a
/// Ledger (connected, its address for the path checked against `account`
/// when given; `context` bounds the wait); a watch-only account cannot sign.
protocols::Result<std::unique_ptr<wallet::Signer>> unlock_signer(const SignerSource& source, const QByteArray& password,
                                                                 const std::optional<wallet::Address>& account = std::nullopt,
                                                                 const wallet::SignContext& context = {});

}  // namespace nftterm::app
