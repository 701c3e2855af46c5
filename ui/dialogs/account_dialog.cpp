#include "account_dialog.hpp"

#include <QDialogButtonBox>
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
        m_new_password->setVisible(chosen != AccountRequest::Kind::KeystoreFile && chosen != AccountRequest::Kind::WatchOnly);
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
    const bool new_keystore = request.kind != AccountRequest::Kind::KeystoreFile && request.kind != AccountRequest::Kind::WatchOnly;
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
    }
    if (new_keystore) request.password = utf8(m_password);
    setBusy(new_keystore ? tr("Encrypting the key (a few seconds of scrypt)…") : tr("Adding…"));
    Q_EMIT submitted(request);
    // The receiver took its own copies; this one is wiped before it is freed.
    request.wipe();
}

}  // namespace nftterm::ui
