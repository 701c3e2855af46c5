#include "signer_session.hpp"

#include <protocols/devnet/seeding.hpp>
#include <wallet/accounts/atomic_file.hpp>
#include <wallet/hw/ledger_signer.hpp>
#include <wallet/keys/keystore.hpp>

namespace nftterm::app {

protocols::Result<std::unique_ptr<wallet::Signer>> unlock_signer(const SignerSource& source, const QByteArray& password,
                                                                 const std::optional<wallet::Address>& account, const wallet::SignContext& context)
{
    switch (source.kind) {
    case SignerSource::Kind::Ledger: {
        auto path = wallet::DerivationPath::parse(source.ledger_path);
        if (!path) return protocols::fail(protocols::Errc::Config, "the Ledger account's path: " + path.error().message());
        const std::string spec = wallet::ledger::transport_spec(source.ledger_transport.empty() ? std::nullopt : std::optional(source.ledger_transport));
        auto signer = wallet::ledger::LedgerSigner::connect([spec] { return wallet::ledger::open_transport(spec); }, *path, account, context);
        if (!signer) return std::unexpected(protocols::from_wallet(signer.error(), "connecting to the Ledger"));
        return std::unique_ptr<wallet::Signer>(std::move(*signer));
    }
    case SignerSource::Kind::WatchOnly:
        return protocols::fail(protocols::Errc::Refused, "this account is watch-only: import its key to sign");
    case SignerSource::Kind::Keystore: {
        auto text = wallet::read_small_file(source.keystore);
        if (!text) return protocols::fail(protocols::Errc::Io, "cannot read the keystore " + source.keystore.string() + ": " + text.error().message());
        auto key = wallet::keystore::decrypt(*text, wallet::ByteView(reinterpret_cast<const std::uint8_t*>(password.constData()),
                                                                     static_cast<std::size_t>(password.size())));
        if (!key) return protocols::fail(protocols::Errc::Refused, key.error().message());  // "wrong password: …" as it is
        return wallet::make_software_signer(std::move(*key));
    }
    case SignerSource::Kind::DevnetKey: {
        auto actors = protocols::devnet::detail::demo_actors();
        if (!actors) return std::unexpected(actors.error());
        for (auto& actor : *actors)
            if (actor.account.index == source.devnet_index) return std::move(actor.signer);
        return protocols::fail(protocols::Errc::Config, "no devnet key with that index");
    }
    }
    return protocols::fail(protocols::Errc::Config, "unknown signer");
}

SignerSession::SignerSession(std::chrono::seconds auto_lock) : m_auto_lock(auto_lock) {}

protocols::Result<wallet::Signer*> SignerSession::signer(const wallet::Address& account, const SignerSource& source, const QByteArray& password,
                                                         Clock::time_point now, const wallet::SignContext& context)
{
    if (auto open = m_open.find(account); open != m_open.end()) {
        open->second.last_used = now;
        return open->second.signer.get();
    }
    // A Ledger is connected afresh for each request (it holds no secret here; it may have been replugged).
    auto unlocked = unlock_signer(source, password, source.kind == SignerSource::Kind::Ledger ? std::optional(account) : std::nullopt, context);
    if (!unlocked) return std::unexpected(unlocked.error());
    if (source.kind == SignerSource::Kind::Keystore && m_auto_lock.count() > 0 && (*unlocked)->address() == account) {
        auto& open = m_open[account];
        open.signer = std::move(*unlocked);
        open.last_used = now;
        return open.signer.get();
    }
    m_once = std::move(*unlocked);
    return m_once.get();
}

std::vector<wallet::Address> SignerSession::lock_idle(Clock::time_point now)
{
    std::vector<wallet::Address> locked;
    for (auto it = m_open.begin(); it != m_open.end();) {
        if (now - it->second.last_used >= m_auto_lock) {
            locked.push_back(it->first);
            it = m_open.erase(it);  // the software signer wipes its key as it dies
        } else {
            ++it;
        }
    }
    return locked;
}

std::vector<wallet::Address> SignerSession::lock_all()
{
    std::vector<wallet::Address> locked;
    for (const auto& [account, open] : m_open) locked.push_back(account);
    m_open.clear();
    m_once.reset();
    return locked;
}

}  // namespace nftterm::app
