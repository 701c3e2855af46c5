#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QString>

namespace nftterm::ui {

/// What the add-account dialog asks the app to do. Secrets travel as byte
/// arrays the receiver wipes once used.
struct AccountRequest {
    enum class Kind { NewKey, Mnemonic, PrivateKey, KeystoreFile, WatchOnly, Ledger };
    Kind kind = Kind::NewKey;
    QString label;
    /// Mnemonic words, or the private key in hex.
    QByteArray secret = {};
    /// The BIP-39 passphrase ("25th word"), often empty.
    QByteArray passphrase = {};
    QString derivation_path = {};
    /// KeystoreFile: the file to import.
    QString keystore_file = {};
    /// The new keystore's password; for KeystoreFile, the password that opens it.
    QByteArray password = {};
    /// WatchOnly: the address; Ledger: the address the scan showed for derivation_path.
    QString address = {};
    /// Ledger: how to reach the device ("hid", "tcp:HOST:PORT").
    QString ledger_transport = {};

    void wipe()
    {
        for (QByteArray* secret_bytes : {&secret, &passphrase, &password}) {
            secret_bytes->fill('\0');
            secret_bytes->clear();
        }
    }
};

}  // namespace nftterm::ui

Q_DECLARE_METATYPE(nftterm::ui::AccountRequest)
