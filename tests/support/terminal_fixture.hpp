#pragma once

// What the tests that drive the whole terminal (app::Terminal, as main()
// builds it) share: finding a dialog's widgets, the options of a terminal
// on the test devnet, adding an account through the add-account dialog.

#include "demo_world_fixture.hpp"

#include <app/account_controller.hpp>
#include <app/terminal.hpp>
#include <protocols/devnet/demo_world.hpp>
#include <ui/account_request.hpp>
#include <ui/dialogs/account_dialog.hpp>
#include <wallet/keys/keystore.hpp>

#include <nlohmann/json.hpp>

#include <QDialog>
#include <QLineEdit>
#include <QPushButton>
#include <QString>
#include <QTemporaryDir>
#include <QTest>

#include <fstream>
#include <string>

namespace nftterm::tests {

/// The password of the keystores the terminal tests write.
inline const QString kTerminalPassword = QStringLiteral("correct horse battery");

template <typename T>
T* child(QObject* parent, const char* name)
{
    return parent->findChild<T*>(QString::fromLatin1(name));
}

/// The world's manifest without its demo accounts (and node), written into
/// `dir`: a terminal on it watches only the accounts a test adds.
inline std::string plain_registry(const DemoWorldFixture& world, const QTemporaryDir& dir)
{
    auto manifest = nlohmann::json::parse(protocols::devnet::manifest_to_json(world.manifest()));
    manifest.erase("accounts");
    manifest.erase("rpc_url");
    const std::string file = dir.filePath(QStringLiteral("registry.json")).toStdString();
    std::ofstream(file) << manifest.dump();
    return file;
}

/// A terminal on the test devnet: polling fast, light scrypt for the keystores it writes.
inline app::TerminalOptions terminal_options(const std::string& registry, const std::string& url, const QString& data_dir)
{
    app::TerminalOptions options;
    options.registry = registry;
    options.rpc_urls = {url};
    options.poll_ms = 100;
    options.data_dir = data_dir.toStdString();
    options.kdf = wallet::keystore::ScryptParams::light();
    return options;
}

/// Opens the add-account dialog on one kind, lets `fill` fill it, adds, and waits for it to close.
template <typename Fill>
void add_account(app::Terminal& terminal, ui::AccountRequest::Kind kind, Fill fill)
{
    terminal.accounts()->openAddDialog();
    auto* dialog = terminal.accounts()->dialog();
    QVERIFY(dialog);
    dialog->showKind(kind);
    fill(dialog);
    child<QPushButton>(dialog, "accountAdd")->click();
    QTRY_VERIFY_WITH_TIMEOUT(!terminal.accounts()->dialog(), 20000);
}

/// A private key imported through the add-account dialog into a keystore with kTerminalPassword.
inline void import_key(app::Terminal& terminal, const QString& key_hex)
{
    add_account(terminal, ui::AccountRequest::Kind::PrivateKey, [&](QDialog* dialog) {
        child<QLineEdit>(dialog, "accountPrivateKey")->setText(key_hex);
        child<QLineEdit>(dialog, "accountPassword")->setText(kTerminalPassword);
        child<QLineEdit>(dialog, "accountConfirm")->setText(kTerminalPassword);
    });
}

}  // namespace nftterm::tests
