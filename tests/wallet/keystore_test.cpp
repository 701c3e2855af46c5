#include <wallet/accounts/atomic_file.hpp>
#include <wallet/keys/keystore.hpp>

#include <nlohmann/json.hpp>

#include <QTest>

#include "../support/test_registry.hpp"

using namespace nftterm::wallet;
using nlohmann::json;

namespace {

json vectors()
{
    return json::parse(*read_small_file(NFTTERM_TESTS_DIR "/wallet/data/keystore_v3_vectors.json"));
}

}  // namespace

class KeystoreTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void decryptsPublishedVectors_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("pbkdf2") << QStringLiteral("pbkdf2");
        QTest::newRow("scrypt") << QStringLiteral("scrypt");
    }
    void decryptsPublishedVectors()
    {
        QFETCH(QString, name);
        const json v = vectors()[name.toStdString()];
        auto key = keystore::decrypt(v["json"].dump(), as_view(v["password"].get<std::string>()));
        QVERIFY2(key, key ? "" : key.error().message().c_str());
        QCOMPARE(to_hex_bare(key->view()), v["priv"].get<std::string>());
    }

    void wrongPasswordIsDetectedByMac()
    {
        const json v = vectors()["pbkdf2"];
        auto key = keystore::decrypt(v["json"].dump(), as_view("testpassworD"));
        QVERIFY(!key);
        QCOMPARE(key.error().code, Errc::WrongPassword);
    }

    void roundTripsWithLightScrypt()
    {
        auto key = PrivateKey::generate();
        QVERIFY(key);
        auto text = keystore::encrypt(*key, as_view("correct horse"), keystore::ScryptParams::light());
        QVERIFY(text);
        const json written = json::parse(*text);
        QCOMPARE(written["version"].get<int>(), 3);
        QCOMPARE(written["crypto"]["kdfparams"]["n"].get<int>(), 4096);
        auto back = keystore::decrypt(*text, as_view("correct horse"));
        QVERIFY(back);
        QCOMPARE(to_hex(back->view()), to_hex(key->view()));
        QCOMPARE(*keystore::address_of_file(*text), address_of(public_key_of(*key)));
        QCOMPARE(keystore::decrypt(*text, as_view("wrong")).error().code, Errc::WrongPassword);
    }

    void refusesKdfCostsNoWalletWrites_data()
    {
        QTest::addColumn<QString>("kdf");
        QTest::addColumn<qulonglong>("n");
        QTest::addColumn<qulonglong>("r");
        QTest::addColumn<qulonglong>("p");
        QTest::addColumn<qulonglong>("c");
        // Each within what the code accepted before (memory under 2 GiB, r and p up to 1,024, up to
        // 100,000,000 iterations), each minutes of work: a file crafted to stall the terminal.
        QTest::newRow("scrypt p=16 at n=2^20") << QStringLiteral("scrypt") << 1048576ULL << 8ULL << 16ULL << 0ULL;
        QTest::newRow("scrypt r=1024") << QStringLiteral("scrypt") << 1024ULL << 1024ULL << 1024ULL << 0ULL;
        QTest::newRow("scrypt n=2^21") << QStringLiteral("scrypt") << 2097152ULL << 1ULL << 1ULL << 0ULL;
        QTest::newRow("pbkdf2 50M") << QStringLiteral("pbkdf2") << 0ULL << 0ULL << 0ULL << 50000000ULL;
    }
    void refusesKdfCostsNoWalletWrites()
    {
        QFETCH(QString, kdf);
        QFETCH(qulonglong, n);
        QFETCH(qulonglong, r);
        QFETCH(qulonglong, p);
        QFETCH(qulonglong, c);
        json v = vectors()["pbkdf2"]["json"];
        v["crypto"]["kdf"] = kdf.toStdString();
        if (kdf == QStringLiteral("scrypt"))
            v["crypto"]["kdfparams"] = {{"n", n}, {"r", r}, {"p", p}, {"dklen", 32}, {"salt", v["crypto"]["kdfparams"]["salt"]}};
        else
            v["crypto"]["kdfparams"]["c"] = c;
        auto checked = keystore::check(v.dump());
        QVERIFY(!checked);
        QCOMPARE(checked.error().code, Errc::UnsupportedKeystore);
        QVERIFY2(checked.error().message().find("crafted") != std::string::npos, checked.error().message().c_str());
        auto key = keystore::decrypt(v.dump(), as_view("testpassword"));
        QVERIFY(!key);
        QCOMPARE(key.error().code, Errc::UnsupportedKeystore);
        // What wallets do write passes the check.
        QVERIFY(keystore::check(vectors()["pbkdf2"]["json"].dump()));
        QVERIFY(keystore::check(vectors()["scrypt"]["json"].dump()));
    }

    void rejectsCorruptFiles_data()
    {
        QTest::addColumn<QString>("mutation");
        QTest::newRow("truncated") << QStringLiteral("truncate");
        QTest::newRow("not json") << QStringLiteral("garbage");
        QTest::newRow("no crypto") << QStringLiteral("drop-crypto");
        QTest::newRow("bad mac hex") << QStringLiteral("bad-mac");
        QTest::newRow("short iv") << QStringLiteral("short-iv");
        QTest::newRow("unknown kdf") << QStringLiteral("unknown-kdf");
        QTest::newRow("version 1") << QStringLiteral("version");
        QTest::newRow("absurd scrypt") << QStringLiteral("huge-n");
        QTest::newRow("wrong address") << QStringLiteral("wrong-address");
    }
    void rejectsCorruptFiles()
    {
        QFETCH(QString, mutation);
        json v = vectors()["pbkdf2"]["json"];
        std::string text;
        const std::string m = mutation.toStdString();
        if (m == "drop-crypto") v.erase("crypto");
        if (m == "bad-mac") v["crypto"]["mac"] = "zz";
        if (m == "short-iv") v["crypto"]["cipherparams"]["iv"] = "00";
        if (m == "unknown-kdf") v["crypto"]["kdf"] = "argon2";
        if (m == "version") v["version"] = 1;
        if (m == "huge-n") {
            v["crypto"]["kdf"] = "scrypt";
            v["crypto"]["kdfparams"] = {{"n", 1ULL << 40}, {"r", 8}, {"p", 1}, {"dklen", 32}, {"salt", "00"}};
        }
        if (m == "wrong-address") v["address"] = "0000000000000000000000000000000000000001";
        text = v.dump();
        if (m == "truncate") text = text.substr(0, text.size() / 2);
        if (m == "garbage") text = "not a keystore";
        auto key = keystore::decrypt(text, as_view("testpassword"));
        QVERIFY(!key);
        QVERIFY(key.error().code == Errc::CorruptKeystore || key.error().code == Errc::UnsupportedKeystore);
        QVERIFY(!key.error().message().empty());
    }
};

NFTTERM_TEST_APPLESS(KeystoreTest)
#include "keystore_test.moc"
