#include <wallet/accounts/atomic_file.hpp>
#include <wallet/keys/bip32.hpp>
#include <wallet/keys/bip39.hpp>

#include <nlohmann/json.hpp>

#include <QTest>

#include "../support/test_registry.hpp"

using namespace nftterm::wallet;
using nlohmann::json;

class Bip39Test : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesReferenceVectors()
    {
        const json data = json::parse(*read_small_file(NFTTERM_TESTS_DIR "/wallet/data/bip39_vectors.json"));
        const std::string passphrase = data["passphrase"];
        QVERIFY(data["english"].size() >= 12);
        for (const auto& v : data["english"]) {
            const std::string entropy = v[0], mnemonic = v[1], seed = v[2], xprv = v[3];
            auto words = bip39::from_entropy(*bytes_from_hex(entropy));
            QVERIFY(words);
            QCOMPARE(std::string(words->as_string()), mnemonic);
            QVERIFY(bip39::validate(mnemonic));
            auto derived = bip39::to_seed(mnemonic, passphrase);
            QVERIFY(derived);
            QCOMPARE(to_hex_bare(derived->view()), seed);
            QCOMPARE(ExtendedKey::from_seed(derived->view())->to_xprv(), xprv);
        }
    }

    void normalisesNonAsciiPassphrasesAsPublished()
    {
        // The Japanese vectors: NFKD of the phrase (ideographic spaces) and of the passphrase (㍍, ガ, ゞ).
        const json data = json::parse(*read_small_file(NFTTERM_TESTS_DIR "/wallet/data/bip39_japanese_vectors.json"));
        const std::string salt = data["salt"];
        QVERIFY(data["vectors"].size() >= 4);
        for (const auto& v : data["vectors"]) {
            auto seed = bip39::seed_of_phrase(v["phrase"].get<std::string>(), salt);
            QVERIFY2(seed, seed ? "" : seed.error().message().c_str());
            QCOMPARE(to_hex_bare(seed->view()), v["seed"].get<std::string>());
            QCOMPARE(ExtendedKey::from_seed(seed->view())->to_xprv(), v["bip32_xprv"].get<std::string>());
        }
    }

    void englishMnemonicWithNonAsciiPassphrasesMatchesASecondImplementation()
    {
        // Seeds from @scure/bip39 (tests/wallet/data/independent_vectors.mjs).
        const json data = json::parse(*read_small_file(NFTTERM_TESTS_DIR "/wallet/data/independent_vectors.json"));
        QVERIFY(data["bip39"].size() >= 3);
        for (const auto& v : data["bip39"]) {
            const std::string passphrase = v["passphrase"];
            auto seed = bip39::to_seed(v["mnemonic"].get<std::string>(), passphrase);
            QVERIFY2(seed, seed ? "" : seed.error().message().c_str());
            QCOMPARE(to_hex_bare(seed->view()), v["seed"].get<std::string>());
            // The same passphrase typed decomposed (as some keyboards do) is the same wallet.
            const std::string decomposed = QString::fromStdString(passphrase).normalized(QString::NormalizationForm_D).toStdString();
            auto again = bip39::to_seed(v["mnemonic"].get<std::string>(), decomposed);
            QVERIFY(again);
            QCOMPARE(to_hex_bare(again->view()), v["seed"].get<std::string>());
        }
        QCOMPARE(bip39::to_seed("legal winner thank year wave sausage worth useful legal winner thank yellow", "\xff\xfe").error().code,
                 Errc::InvalidMnemonic);
    }

    void rejectsBadMnemonics_data()
    {
        QTest::addColumn<QString>("mnemonic");
        QTest::newRow("bad checksum") << QStringLiteral("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon");
        QTest::newRow("unknown word") << QStringLiteral("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abaut");
        QTest::newRow("eleven words") << QStringLiteral("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about");
        QTest::newRow("empty") << QString();
    }
    void rejectsBadMnemonics()
    {
        QFETCH(QString, mnemonic);
        const std::string text = mnemonic.toStdString();
        QCOMPARE(bip39::validate(text).error().code, Errc::InvalidMnemonic);
        QCOMPARE(bip39::to_seed(text, "").error().code, Errc::InvalidMnemonic);
    }

    void toleratesExtraWhitespace()
    {
        auto a = bip39::to_seed("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about", "");
        auto b = bip39::to_seed("  abandon abandon abandon abandon abandon abandon\nabandon abandon abandon abandon abandon   about\n", "");
        QVERIFY(a && b);
        QCOMPARE(to_hex(a->view()), to_hex(b->view()));
    }

    void generatesValidMnemonics()
    {
        for (unsigned words : {12u, 15u, 18u, 21u, 24u}) {
            auto m = bip39::generate(words);
            QVERIFY(m);
            QVERIFY(bip39::validate(m->as_string()));
            QCOMPARE(static_cast<unsigned>(std::count(m->as_string().begin(), m->as_string().end(), ' ')), words - 1);
        }
        QVERIFY(std::string(bip39::generate(12)->as_string()) != std::string(bip39::generate(12)->as_string()));
        QVERIFY(!bip39::generate(13));
    }
};

NFTTERM_TEST_APPLESS(Bip39Test)
#include "bip39_test.moc"
