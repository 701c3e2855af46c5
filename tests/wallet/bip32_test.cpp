#include <wallet/accounts/atomic_file.hpp>
#include <wallet/keys/bip32.hpp>
#include <wallet/keys/bip39.hpp>
#include <wallet/primitives/address.hpp>

#include <nlohmann/json.hpp>

#include <QTest>

#include "../support/test_registry.hpp"

using namespace nftterm::wallet;
using nlohmann::json;

class Bip32Test : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesBip32Vectors()
    {
        const json data = json::parse(*read_small_file(NFTTERM_TESTS_DIR "/wallet/data/bip32_vectors.json"));
        QCOMPARE(data["vectors"].size(), std::size_t(3));
        for (const auto& vector : data["vectors"]) {
            auto master = ExtendedKey::from_seed(*bytes_from_hex(vector["seed"].get<std::string>()));
            QVERIFY(master);
            for (const auto& chain : vector["chains"]) {
                const std::string path_text = chain[0];
                auto path = DerivationPath::parse(path_text);
                QVERIFY2(path, path_text.c_str());
                auto key = master->derive(*path);
                QVERIFY(key);
                QCOMPARE(key->to_xpub(), chain[1].get<std::string>());
                QCOMPARE(key->to_xprv(), chain[2].get<std::string>());
            }
        }
    }

    void derivesEthereumPaths()
    {
        // The "abandon … about" mnemonic, no passphrase: the address every
        // Ethereum wallet shows first for it.
        auto seed = bip39::to_seed("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about", "");
        auto master = ExtendedKey::from_seed(seed->view());
        auto first = master->derive(DerivationPath::bip44(0));
        QVERIFY(first);
        QCOMPARE(address_of(public_key_of(first->private_key())).to_hex(), std::string("0x9858EfFD232B4033E47d90003D41EC34EcaEda94"));
        // anvil's default mnemonic gives its well-known accounts on the BIP-44 path.
        auto anvil_seed = bip39::to_seed("test test test test test test test test test test test junk", "");
        auto anvil = ExtendedKey::from_seed(anvil_seed->view());
        QCOMPARE(address_of(public_key_of(anvil->derive(DerivationPath::bip44(1))->private_key())).to_hex(),
                 std::string("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"));
        // Ledger Live index 0 is the same path as BIP-44 index 0.
        QCOMPARE(DerivationPath::ledger_live(0), DerivationPath::bip44(0));
        QCOMPARE(DerivationPath::ledger_live(3).to_string(), std::string("m/44'/60'/3'/0/0"));
    }

    void parsesAndRejectsPaths()
    {
        QCOMPARE(DerivationPath::parse("m/44'/60'/0'/0/7")->to_string(), std::string("m/44'/60'/0'/0/7"));
        QCOMPARE(*DerivationPath::parse("m/44h/60H/0'/0/7"), *DerivationPath::parse("m/44'/60'/0'/0/7"));
        QVERIFY(DerivationPath::parse("m")->indices.empty());
        for (const char* bad : {"", "44'/60'", "m/", "m//1", "m/2147483648", "m/1x", "m/-1"})
            QCOMPARE(DerivationPath::parse(bad).error().code, Errc::InvalidDerivationPath);
    }
};

NFTTERM_TEST_APPLESS(Bip32Test)
#include "bip32_test.moc"
