#include "account_dialog.hpp"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QListWidget>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QVBoxLayout>

namespace nftterm::ui {

namespace {

/// Shorter keystore passwords fall to a laptop's guessing in days, scrypt or not.
constexpr int kMinimumPassword = 8;

QLineEdit* secret_field(QWidget* parent, const char* name, const QString& placeholder)
{
    auto* field = new QLineEdit(parent);
    field->setObjectName(QString::fromLatin1(name));
    field->setEchoMode(QLineEdit::Password);
    field->setPlaceholderText(placeholder);
    return field;
}

QLineEdit* text_field(QWidget* parent, const char* name, const QString& placeholder)
{
    auto* field = new QLineEdit(parent);
    field->setObjectName(QString::fromLatin1(name));
    field->setPlaceholderText(placeholder);
    return field;
}

QWidget* page(QWidget* parent, const QString& explanation, const std::vector<std::pair<QString, QWidget*>>& rows)
{
    auto* widget = new QWidget(parent);
    auto* form = new QFormLayout(widget);
    auto* text = new QLabel(explanation, widget);
    text->setWordWrap(true);
    form->addRow(text);
    for (const auto& [name, field] : rows) form->addRow(name, field);
    return widget;
}

/// UTF-8 of a secret text; the UTF-16 copy it came through is wiped before it is freed.
QByteArray utf8_wiping(QString text)
{
    QByteArray bytes = text.toUtf8();
    text.fill(QChar(u'\0'));
    return bytes;
}

QByteArray utf8(const QLineEdit* field)
{
    return utf8_wiping(field->text());
}

}  // namespace

AccountDialog::AccountDialog(QWidget* parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("accountDialog"));
    setWindowTitle(tr("Add account"));
    setMinimumWidth(560);
    m_label = text_field(this, "accountLabel", tr("e.g. trading, vault, fund A"));

    m_mnemonic = new QPlainTextEdit(this);
    m_mnemonic->setObjectName(QStringLiteral("accountMnemonic"));
    m_mnemonic->setPlaceholderText(tr("12 to 24 words, separated by spaces"));
    m_mnemonic->setMaximumHeight(70);
    m_passphrase = secret_field(this, "accountPassphrase", tr("optional BIP-39 passphrase"));
    m_path = text_field(this, "accountPath", {});
    m_path->setText(QStringLiteral("m/44'/60'/0'/0/0"));
    m_private_key = secret_field(this, "accountPrivateKey", tr("64 hex digits, with or without 0x"));
    m_keystore_file = text_field(this, "accountKeystoreFile", tr("a keystore v3 JSON file (MetaMask, geth, Foundry…)"));
    auto* browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Keystore file"), {}, tr("Keystore (*.json *);;All files (*)"));
        if (!file.isEmpty()) m_keystore_file->setText(file);
    });
    auto* file_row = new QWidget(this);
    auto* file_layout = new QHBoxLayout(file_row);
    file_layout->setContentsMargins(0, 0, 0, 0);
    file_layout->addWidget(m_keystore_file, 1);
    file_layout->addWidget(browse);
    m_keystore_password = secret_field(this, "accountKeystorePassword", tr("the password that opens it"));
    m_address = text_field(this, "accountAddress", QStringLiteral("0x…"));
    m_ledger_transport = text_field(this, "ledgerTransport", tr("hid (USB), or tcp:HOST:PORT for Speculos"));
    const QString environment = qEnvironmentVariable("NFTTERM_LEDGER_TRANSPORT");
    m_ledger_transport->setText(environment.isEmpty() ? QStringLiteral("hid") : environment);
    m_ledger_scheme = new QComboBox(this);
    m_ledger_scheme->setObjectName(QStringLiteral("ledgerScheme"));
    m_ledger_scheme->addItem(tr("BIP-44: m/44'/60'/0'/0/i (MetaMask, most wallets)"));
    m_ledger_scheme->addItem(tr("Ledger Live: m/44'/60'/i'/0/0"));
    auto* scan = new QPushButton(tr("Scan the device"), this);
    scan->setObjectName(QStringLiteral("ledgerScan"));
    connect(scan, &QPushButton::clicked, this, [this] {
        setBusy(tr("Reading the Ledger's addresses (unlock it and open the Ethereum app)…"));
        m_buttons->setEnabled(true);
        Q_EMIT ledgerScanRequested(m_ledger_transport->text().trimmed(), m_ledger_scheme->currentIndex() == 1);
    });
    auto* scheme_row = new QWidget(this);
    auto* scheme_layout = new QHBoxLayout(scheme_row);
    scheme_layout->setContentsMargins(0, 0, 0, 0);
    scheme_layout->addWidget(m_ledger_scheme, 1);
    scheme_layout->addWidget(scan);
    m_ledger_accounts = new QListWidget(this);
    m_ledger_accounts->setObjectName(QStringLiteral("ledgerAccounts"));
    m_ledger_accounts->setMinimumHeight(110);

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("accountTabs"));
    m_tabs->addTab(page(this, tr("A new random key, stored encrypted with your password. Back up the keystore file."), {}), tr("New key"));
    m_tabs->addTab(page(this, tr("The key at a derivation path of a BIP-39 mnemonic. Only the key is kept, encrypted; the words are not stored."),
                        {{tr("Mnemonic"), m_mnemonic}, {tr("Passphrase"), m_passphrase}, {tr("Path"), m_path}}),
                   tr("Mnemonic"));
    m_tabs->addTab(page(this, tr("A raw private key, stored encrypted with your password."), {{tr("Private key"), m_private_key}}), tr("Private key"));
    m_tabs->addTab(page(this, tr("A keystore file is copied as it is and keeps its own password; it is checked to open first."),
                        {{tr("File"), file_row}, {tr("Its password"), m_keystore_password}}),
                   tr("Keystore file"));
    m_tabs->addTab(page(this, tr("An address to monitor. Nothing can be signed for it (a top-up of its pool loans can be paid by your active signer)."),
                        {{tr("Address"), m_address}}),
                   tr("Watch-only"));
    m_tabs->addTab(page(this, tr("An account on a Ledger: only its path and address are kept; every signature is confirmed on the device."),
                        {{tr("Transport"), m_ledger_transport}, {tr("Scheme"), scheme_row}, {tr("Account"), m_ledger_accounts}}),
                   tr("Ledger"));

    m_password = secret_field(this, "accountPassword", tr("at least %1 characters").arg(kMinimumPassword));
    m_confirm = secret_field(this, "accountConfirm", tr("the same again"));
    m_new_password = new QWidget(this);
    auto* password_form = new QFormLayout(m_new_password);
    password_form->setContentsMargins(0, 0, 0, 0);
    password_form->addRow(tr("Keystore password"), m_password);
    password_form->addRow(tr("Confirm"), m_confirm);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("accountStatus"));
    m_status->setWordWrap(true);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Add"));
    m_buttons->button(QDialogButtonBox::Ok)->setObjectName(QStringLiteral("accountAdd"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &AccountDialog::submit);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int tab) {
        const auto chosen = static_cast<AccountRequest::Kind>(tab);
        m_new_password->setVisible(chosen != AccountRequest::Kind::KeystoreFile && chosen != AccountRequest::Kind::WatchOnly &&
                                   chosen != AccountRequest::Kind::Ledger);
        m_status->clear();
    });

    auto* label_form = new QFormLayout;
    label_form->addRow(tr("Label"), m_label);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs);
    layout->addLayout(label_form);
    layout->addWidget(m_new_password);
    layout->addWidget(m_status);
    layout->addWidget(m_buttons);
}

void AccountDialog::showKind(AccountRequest::Kind kind)
{
    m_tabs->setCurrentIndex(static_cast<int>(kind));
}

AccountRequest::Kind AccountDialog::kind() const
{
    return static_cast<AccountRequest::Kind>(m_tabs->currentIndex());
}

void AccountDialog::setBusy(const QString& what)
{
    m_status->setStyleSheet({});
    m_status->setText(what);
    m_buttons->setEnabled(false);
}

void AccountDialog::setError(const QString& message)
{
    m_status->setStyleSheet(QStringLiteral("color: #e53935;"));
    m_status->setText(message);
    m_buttons->setEnabled(true);
}

void AccountDialog::setLedgerAccounts(const QStringList& paths, const QStringList& addresses)
{
    m_ledger_accounts->clear();
    for (qsizetype i = 0; i < paths.size() && i < addresses.size(); ++i) {
        auto* item = new QListWidgetItem(addresses[i] + QStringLiteral("   ") + paths[i], m_ledger_accounts);
        item->setData(Qt::UserRole, paths[i]);
        item->setData(Qt::UserRole + 1, addresses[i]);
    }
    if (m_ledger_accounts->count() > 0) m_ledger_accounts->setCurrentRow(0);
    m_status->setStyleSheet({});
    m_status->setText(tr("Choose the account to add; the device is asked again for its address when you add it."));
    m_buttons->setEnabled(true);
}

void AccountDialog::done(int result)
{
    clearSecrets();
    QDialog::done(result);
}

void AccountDialog::clearSecrets()
{
    for (QLineEdit* field : {m_passphrase, m_private_key, m_keystore_password, m_password, m_confirm}) field->clear();
    m_mnemonic->clear();
}

void AccountDialog::submit()
{
    AccountRequest request;
    request.kind = kind();
    request.label = m_label->text().trimmed();
    const bool new_keystore = request.kind != AccountRequest::Kind::KeystoreFile && request.kind != AccountRequest::Kind::WatchOnly &&
                              request.kind != AccountRequest::Kind::Ledger;
    if (new_keystore) {
        if (m_password->text().size() < kMinimumPassword) return setError(tr("The keystore password needs at least %1 characters.").arg(kMinimumPassword));
        if (m_password->text() != m_confirm->text()) return setError(tr("The two passwords differ."));
    }
    switch (request.kind) {
    case AccountRequest::Kind::NewKey: break;
    case AccountRequest::Kind::Mnemonic:
        if (m_mnemonic->toPlainText().trimmed().isEmpty()) return setError(tr("Enter the mnemonic's words."));
        request.secret = utf8_wiping(m_mnemonic->toPlainText().simplified());
        request.passphrase = utf8(m_passphrase);
        request.derivation_path = m_path->text().trimmed();
        break;
    case AccountRequest::Kind::PrivateKey:
        if (m_private_key->text().trimmed().isEmpty()) return setError(tr("Enter the private key."));
        request.secret = utf8_wiping(m_private_key->text().trimmed());
        break;
    case AccountRequest::Kind::KeystoreFile:
        if (m_keystore_file->text().trimmed().isEmpty()) return setError(tr("Choose the keystore file."));
        request.keystore_file = m_keystore_file->text().trimmed();
        request.password = utf8(m_keystore_password);
        break;
    case AccountRequest::Kind::WatchOnly:
        if (m_address->text().trimmed().isEmpty()) return setError(tr("Enter the address to watch."));
        request.address = m_address->text().trimmed();
        break;
    case AccountRequest::Kind::Ledger: {
        const auto* chosen = m_ledger_accounts->currentItem();
        if (!chosen) return setError(tr("Scan the device and choose one of its accounts."));
        request.derivation_path = chosen->data(Qt::UserRole).toString();
        request.address = chosen->data(Qt::UserRole + 1).toString();
        request.ledger_transport = m_ledger_transport->text().trimmed();
        break;
    }
    }
    if (new_keystore) request.password = utf8(m_password);
    setBusy(new_keystore ? tr("Encrypting the key (a few seconds of scrypt)…")
            : request.kind == AccountRequest::Kind::Ledger ? tr("Checking the address on the Ledger…")
                                                           : tr("Adding…"));
    Q_EMIT submitted(request);
    // The receiver took its own copies; this one is wiped before it is freed.
    request.wipe();
}

}  // namespace nftterm::ui
