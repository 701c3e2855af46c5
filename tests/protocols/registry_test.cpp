#include "../support/verify_ok.hpp"

#include <protocols/positions/adapter.hpp>
#include <protocols/positions/registry.hpp>

#include <QTest>

#include "../support/test_registry.hpp"

#include <fstream>
#include <sstream>

using namespace nftterm;
using namespace nftterm::protocols;
using namespace nftterm::protocols::positions;

/// The shipped registries parse (every address with a valid EIP-55
/// checksum), make the adapters their chain has, and point each read at
/// the right contract; bad registries are refused with the reason.
class RegistryTest : public QObject {
    Q_OBJECT
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
        // P2P loans, pool loans and AMM pools live on mainnet; the perps do not.
        const auto adapters = make_adapters(*registry);
        QCOMPARE(adapters.size(), std::size_t(3));
        // On mainnet the loan records are LendPoolLoan's, not the pool's.
        for (const auto& adapter : adapters) {
            if (adapter->protocol() != Protocol::BendDao) continue;
            PositionKey key{Protocol::BendDao, {}, *registry->contract("BendLendPool"), *registry->contract("WETH9"), wallet::U256(1), 7, *registry->contract("WETH9")};
            ReadPlan reads;
            (void)adapter->plan({key}, reads);
            QCOMPARE(reads.calls().back().target, *registry->contract("BendLendPoolLoan"));
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
