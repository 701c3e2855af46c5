#include <wallet/accounts/account_store.hpp>
#include <wallet/keys/keystore.hpp>

#include <QTemporaryDir>
#include <QTest>

#include "../support/test_registry.hpp"

#include <sys/stat.h>

using namespace nftterm::wallet;

class AccountStoreTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void storesKeystoreWithOwnerOnlyMode()
    {
        QTemporaryDir dir;
        auto store = AccountStore::open(dir.path().toStdString());
        QVERIFY(store);
        auto key = PrivateKey::generate();
        const Address address = address_of(public_key_of(*key));
        auto json = keystore::encrypt(*key, as_view("pw"), keystore::ScryptParams::light());
        auto entry = store->add_keystore(*json, "trading");
        QVERIFY2(entry, entry ? "" : entry.error().message().c_str());
        QCOMPARE(entry->address, address);

        struct stat info {};
        QCOMPARE(::stat(store->keystore_path(*entry).c_str(), &info), 0);
        QCOMPARE(info.st_mode & 0777, 0600u);
        QCOMPARE(::stat((store->folder() / "accounts.json").c_str(), &info), 0);
        QCOMPARE(info.st_mode & 0777, 0600u);
        QCOMPARE(::stat((store->folder() / "keystore").c_str(), &info), 0);
        QCOMPARE(info.st_mode & 0777, 0700u);
        // No temporary file is left beside the keystore.
        QCOMPARE(std::distance(std::filesystem::directory_iterator(store->folder() / "keystore"), {}), std::ptrdiff_t(1));

        // Reopened from disk, the key still decrypts.
        auto reopened = AccountStore::open(dir.path().toStdString());
        QVERIFY(reopened);
        QCOMPARE(reopened->accounts().size(), std::size_t(1));
        QCOMPARE(reopened->accounts()[0].label, std::string("trading"));
        auto text = reopened->read_keystore(address);
        QVERIFY(text);
        QCOMPARE(keystore::decrypt(*text, as_view("pw"))->view().size(), std::size_t(32));
    }

    void keepsWatchOnlyAndLabelsAndRefusesDuplicates()
    {
        QTemporaryDir dir;
        auto store = AccountStore::open(dir.path().toStdString());
        const Address whale = *Address::parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
        QVERIFY(store->add_watch_only(whale, "whale"));
        QCOMPARE(store->add_watch_only(whale, "again").error().code, Errc::AlreadyExists);
        QVERIFY(store->set_label(whale, "fund"));
        QCOMPARE(store->read_keystore(whale).error().code, Errc::NotFound);
        auto reopened = AccountStore::open(dir.path().toStdString());
        QCOMPARE(reopened->accounts().at(0).label, std::string("fund"));
        QCOMPARE(reopened->accounts().at(0).kind, AccountKind::WatchOnly);
    }

    void damagedIndexIsAClearError()
    {
        QTemporaryDir dir;
        QFile index(dir.filePath(QStringLiteral("accounts.json")));
        QVERIFY(index.open(QIODevice::WriteOnly));
        index.write("{\"accounts\": [");
        index.close();
        auto store = AccountStore::open(dir.path().toStdString());
        QVERIFY(!store);
        QVERIFY(store.error().message().find("damaged") != std::string::npos);
    }
};

NFTTERM_TEST_APPLESS(AccountStoreTest)
#include "account_store_test.moc"
