#include "account_worker.hpp"

#include "error_words.hpp"

#include <wallet/accounts/account_store.hpp>
#include <wallet/accounts/atomic_file.hpp>
#include <wallet/hw/ledger_signer.hpp>
#include <wallet/keys/key_import.hpp>

#include <chrono>
#include <optional>

namespace nftterm::app {

namespace {

using Kind = ui::AccountRequest::Kind;

wallet::ByteView bytes_of(const QByteArray& bytes)
{
    return {reinterpret_cast<const std::uint8_t*>(bytes.constData()), static_cast<std::size_t>(bytes.size())};
}

std::string_view text_of(const QByteArray& bytes)
{
    return {bytes.constData(), static_cast<std::size_t>(bytes.size())};
}

/// The key a request brings (or makes), before it is encrypted.
wallet::Result<wallet::PrivateKey> key_of(const ui::AccountRequest& request)
{
    switch (request.kind) {
    case Kind::NewKey: return wallet::PrivateKey::generate();
    case Kind::Mnemonic: {
        auto path = wallet::DerivationPath::parse(request.derivation_path.toStdString());
        if (!path) return std::unexpected(path.error());
        return wallet::key_from_mnemonic(text_of(request.secret), text_of(request.passphrase), *path);
    }
    case Kind::PrivateKey: return wallet::key_from_hex(text_of(request.secret));
    default: return wallet::fail(wallet::Errc::Unsupported, "this request brings no key");
    }
}

}  // namespace

AccountWorker::AccountWorker(std::filesystem::path data_dir, wallet::keystore::ScryptParams kdf) : m_data_dir(std::move(data_dir)), m_kdf(kdf) {}

void AccountWorker::add(std::shared_ptr<ui::AccountRequest> shared)
{
    // Whatever happens below, the secrets do not outlive this call.
    struct Wipe {
        ui::AccountRequest& request;
        ~Wipe() { request.wipe(); }
    } wipe{*shared};
    const ui::AccountRequest& request = *shared;

    auto store = wallet::AccountStore::open(m_data_dir);
    if (!store) return Q_EMIT failed(tr("cannot open the account store: %1").arg(words(store.error())));
    const std::string label = request.label.toStdString();
    wallet::Result<wallet::AccountEntry> entry = wallet::fail(wallet::Errc::Unsupported, "nothing to add");
    switch (request.kind) {
    case Kind::WatchOnly: {
        auto address = wallet::Address::parse(request.address.toStdString());
        if (!address) return Q_EMIT failed(tr("not an address: %1").arg(words(address.error())));
        entry = store->add_watch_only(*address, label);
        break;
    }
    case Kind::Ledger: {
        // The device is asked again: the address stored is the one it gives for the path now.
        auto path = wallet::DerivationPath::parse(request.derivation_path.toStdString());
        if (!path) return Q_EMIT failed(words(path.error()));
        auto expected = wallet::Address::parse(request.address.toStdString());
        const std::string spec = wallet::ledger::transport_spec(request.ledger_transport.isEmpty() ? std::nullopt
                                                                                                  : std::optional(request.ledger_transport.toStdString()));
        wallet::SignContext context;
        context.timeout = std::chrono::seconds(30);
        auto device = wallet::ledger::LedgerSigner::connect([spec] { return wallet::ledger::open_transport(spec); }, *path,
                                                            expected ? std::optional(*expected) : std::nullopt, context);
        if (!device) return Q_EMIT failed(words(device.error()));
        entry = store->add_ledger((*device)->address(), path->to_string(), spec, label);
        break;
    }
    case Kind::KeystoreFile: {
        auto text = wallet::read_small_file(request.keystore_file.toStdString());
        if (!text) return Q_EMIT failed(tr("cannot read %1: %2").arg(request.keystore_file, words(text.error())));
        // Proven to open before the store takes it in.
        if (auto key = wallet::keystore::decrypt(*text, bytes_of(request.password)); !key) return Q_EMIT failed(words(key.error()));
        entry = store->add_keystore(*text, label);
        break;
    }
    default: {
        auto key = key_of(request);
        if (!key) return Q_EMIT failed(words(key.error()));
        auto encrypted = wallet::keystore::encrypt(*key, bytes_of(request.password), m_kdf);
        if (!encrypted) return Q_EMIT failed(words(encrypted.error()));
        entry = store->add_keystore(*encrypted, label);
    }
    }
    if (!entry) return Q_EMIT failed(words(entry.error()));
    AddedAccount account;
    account.address = entry->address;
    const bool signs = entry->kind == wallet::AccountKind::Keystore || entry->kind == wallet::AccountKind::Ledger;
    account.row = {QString::fromStdString(entry->address.to_hex()), QString::fromStdString(entry->label), signs};
    if (entry->kind == wallet::AccountKind::Ledger) {
        account.row.kind = tr("Ledger %1").arg(QString::fromStdString(entry->path));
        account.signer.kind = SignerSource::Kind::Ledger;
        account.signer.ledger_path = entry->path;
        account.signer.ledger_transport = entry->transport;
        account.signer.description = tr("Ledger %1").arg(QString::fromStdString(entry->path));
    } else if (signs) {
        account.signer.kind = SignerSource::Kind::Keystore;
        account.signer.keystore = store->keystore_path(*entry);
        account.signer.description = tr("keystore %1").arg(QString::fromStdString(entry->address.to_hex()));
    }
    Q_EMIT added(account);
}

void AccountWorker::scanLedger(const QString& transport, bool ledger_live)
{
    auto device = wallet::ledger::open_transport(wallet::ledger::transport_spec(transport.isEmpty() ? std::nullopt : std::optional(transport.toStdString())));
    if (!device) return Q_EMIT failed(words(device.error()));
    wallet::SignContext context;
    context.timeout = std::chrono::seconds(30);
    auto accounts = wallet::ledger::discover_accounts(**device, ledger_live, 0, 5, context);
    if (!accounts) return Q_EMIT failed(words(accounts.error()));
    QStringList paths, addresses;
    for (const auto& account : *accounts) {
        paths << QString::fromStdString(account.path.to_string());
        addresses << QString::fromStdString(account.address.to_hex());
    }
    Q_EMIT ledgerScanned(paths, addresses);
}

void AccountWorker::relabel(const QString& address, const QString& label)
{
    auto parsed = wallet::Address::parse(address.toStdString());
    if (!parsed) return Q_EMIT failed(tr("not an address: %1").arg(words(parsed.error())));
    auto store = wallet::AccountStore::open(m_data_dir);
    if (!store) return Q_EMIT failed(tr("cannot open the account store: %1").arg(words(store.error())));
    if (auto done = store->set_label(*parsed, label.toStdString()); !done) return Q_EMIT failed(words(done.error()));
    Q_EMIT relabelled(address, label);
}

AccountService::AccountService(std::filesystem::path data_dir, wallet::keystore::ScryptParams kdf, QObject* parent) : QObject(parent)
{
    m_worker = new AccountWorker(std::move(data_dir), kdf);
    m_thread.adopt(m_worker);
    connect(&m_thread, &WorkerThread::failed, this, &AccountService::failed, Qt::QueuedConnection);
    connect(m_worker, &AccountWorker::added, this, &AccountService::added, Qt::QueuedConnection);
    connect(m_worker, &AccountWorker::relabelled, this, &AccountService::relabelled, Qt::QueuedConnection);
    connect(m_worker, &AccountWorker::ledgerScanned, this, &AccountService::ledgerScanned, Qt::QueuedConnection);
    connect(m_worker, &AccountWorker::failed, this, &AccountService::failed, Qt::QueuedConnection);
    m_thread.start();
}

AccountService::~AccountService() = default;

void AccountService::add(const ui::AccountRequest& request)
{
    // Deep copies of the secrets, held once: the worker's wipe reaches the only copy.
    auto copy = std::make_shared<ui::AccountRequest>(request);
    for (QByteArray* bytes : {&copy->secret, &copy->passphrase, &copy->password}) *bytes = QByteArray(bytes->constData(), bytes->size());
    m_thread.post([worker = m_worker, copy] { worker->add(copy); });
}

void AccountService::relabel(const QString& address, const QString& label)
{
    m_thread.post([worker = m_worker, address, label] { worker->relabel(address, label); });
}

void AccountService::scanLedger(const QString& transport, bool ledger_live)
{
    m_thread.post([worker = m_worker, transport, ledger_live] { worker->scanLedger(transport, ledger_live); });
}

}  // namespace nftterm::app
