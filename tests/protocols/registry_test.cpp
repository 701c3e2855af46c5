#include "../support/verify_ok.hpp"

#include <protocols/positions/adapter.hpp>
#include <protocols/positions/registry.hpp>

#include <QTest>

#include "../support/test_registry.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

using namespace nftterm;
using namespace nftterm::protocols;
using namespace nftterm::protocols::positions;

/// The shipped registries parse (every address with a valid EIP-55
/// checksum), make the adapters their chain has, and point each read at
/// the right contract; bad registries are refused with the reason.
class RegistryTest : public QObject {
    Q_OBJECT

    static std::string file_text(const std::string& name)
    {
        std::ifstream in(std::string(NFTTERM_SOURCE_DIR "/packaging/registries/") + name);
        std::stringstream text;
        text << in.rdbuf();
        return text.str();
    }

private Q_SLOTS:
    void mainnetRegistry()
    {
        std::ifstream in(NFTTERM_SOURCE_DIR "/packaging/registries/ethereum-mainnet.json");
        std::stringstream text;
        text << in.rdbuf();
        auto registry = registry_from_json(text.str());
        VERIFY_OK(registry);
        QCOMPARE(registry->chain_id, std::uint64_t(1));
        QVERIFY(registry->start_block > 0);
        QCOMPARE(registry->contract("BendLendPool")->to_hex(), std::string("0x70b97A0da65C15dfb0FFA02aEE6FA36e507C2762"));
        // P2P loans (NFTfi v2.3 and v2.0), pool loans and AMM pools live on mainnet; the perps do not.
        const auto adapters = make_adapters(*registry);
        QCOMPARE(adapters.size(), std::size_t(4));
        QCOMPARE(std::count_if(adapters.begin(), adapters.end(), [](const auto& a) { return a->protocol() == Protocol::Nftfi; }), 2L);
        // On mainnet the loan records are LendPoolLoan's, not the pool's.
        for (const auto& adapter : adapters) {
            if (adapter->protocol() != Protocol::BendDao) continue;
            PositionKey key{Protocol::BendDao, {}, *registry->contract("BendLendPool"), *registry->contract("WETH9"), wallet::U256(1), 7, *registry->contract("WETH9")};
            ReadPlan reads;
            (void)adapter->plan({key}, reads);
            QCOMPARE(reads.calls().back().target, *registry->contract("BendLendPoolLoan"));
        }
    }

    void gnosisRegistryHasPerpV1()
    {
        auto registry = registry_from_json(file_text("gnosis-perp-v1.json"));
        VERIFY_OK(registry);
        QCOMPARE(registry->chain_id, std::uint64_t(100));
        const auto adapters = make_adapters(*registry);
        QCOMPARE(adapters.size(), std::size_t(1));
        QCOMPARE(adapters.front()->protocol(), Protocol::Perp);
        QCOMPARE(registry->contract("PerpClearingHouse")->to_hex(), std::string("0x5d9593586b4B5edBd23E7Eba8d88FD8F09D83EBd"));
    }

    void everyShippedAddressIsChecksummedAndSourced_data()
    {
        QTest::addColumn<QString>("file");
        for (const auto& entry : std::filesystem::directory_iterator(NFTTERM_SOURCE_DIR "/packaging/registries"))
            QTest::newRow(entry.path().filename().string().c_str()) << QString::fromStdString(entry.path().filename().string());
    }

    void everyShippedAddressIsChecksummedAndSourced()
    {
        QFETCH(QString, file);
        const auto text = file_text(file.toStdString());
        VERIFY_OK(registry_from_json(text));
        const auto in = nlohmann::json::parse(text);
        for (const char* field : {"contracts", "amms", "feeds"}) {
            const nlohmann::json entries = in.contains(field) ? in[field] : nlohmann::json::object();
            for (auto it = entries.begin(); it != entries.end(); ++it) {
                const std::string name = it.key();
                const auto& value = it.value();
                const std::string address = value.get<std::string>();
                // Mixed case: the loader checked its EIP-55 checksum (all-lower or all-upper would carry none).
                const bool lower = address.substr(2) == QString::fromStdString(address.substr(2)).toLower().toStdString();
                const bool upper = address.substr(2) == QString::fromStdString(address.substr(2)).toUpper().toStdString();
                QVERIFY2(!lower && !upper, (name + " " + address + " carries no checksum").c_str());
                QVERIFY2(in.contains("sources") && in["sources"].contains(name) && !in["sources"][name].get<std::string>().empty(),
                         (name + ": no source named").c_str());
            }
        }
    }

    void badRegistriesAreRefused()
    {
        auto garbage = registry_from_json("{not json");
        QVERIFY(!garbage);
        QCOMPARE(garbage.error().code, Errc::Config);
        // A mixed-case address with a wrong checksum names the contract.
        auto checksum = registry_from_json(R"({"chain_id":1,"contracts":{"BendLendPool":"0x70B97A0da65C15dfb0FFA02aEE6FA36e507C2762"}})");
        QVERIFY(!checksum);
        QVERIFY2(checksum.error().message().find("BendLendPool") != std::string::npos, checksum.error().message().c_str());
        auto no_chain = registry_from_json(R"({"contracts":{}})");
        QVERIFY(!no_chain);
    }
};

NFTTERM_TEST_GUILESS(RegistryTest)
#include "registry_test.moc"
