#include "../support/anvil_node.hpp"
#include "../support/demo_world_fixture.hpp"
#include "../support/verify_ok.hpp"

#include <protocols/positions/fixed_point.hpp>
#include <protocols/devnet/seeding.hpp>
#include <protocols/eth/rpc/eth_api.hpp>
#include <protocols/positions/monitor.hpp>
#include <protocols/positions/second_opinion.hpp>
#include <protocols/risk/alerts.hpp>

#include <QTemporaryDir>
#include <QTest>

#include "../support/test_registry.hpp"

#include <iterator>
#include <set>

using namespace nftterm;
using namespace nftterm::protocols;
using namespace nftterm::protocols::positions;
using risk::Alert;
using risk::AlertEngine;
using risk::AlertState;
using risk::Severity;
using wallet::Address;
using wallet::U256;

namespace {

U256 wad(const char* text)
{
    return *U256::parse_units(text, 18);
}

std::string q(const Address& address)
{
    return "\"" + address.to_hex() + "\"";
}

Snapshot one_loan_at(const char* health, std::uint64_t block)
{
    Snapshot snapshot;
    snapshot.block.number = block;
    snapshot.block.timestamp = 1700000000 + block * 12;
    Position loan;
    loan.key.protocol = Protocol::BendDao;
    loan.key.account.bytes[19] = 0xb0;
    loan.key.number = U256(4);
    loan.token_id = U256(4);
    loan.state = PositionState::Active;
    loan.health_factor = wad(health);
    loan.debt = wad("10");
    snapshot.positions.push_back(loan);
    return snapshot;
}

/// "firing/critical", "resolved/warning", … for each event; an event without its id is "no id".
std::vector<std::string> kinds(const std::vector<Alert>& events)
{
    std::vector<std::string> out;
    for (const auto& e : events)
        out.push_back(e.id.empty() || e.id.find(':') == std::string::npos ? "no id" : std::string(to_string(e.state)) + "/" + std::string(to_string(e.severity)));
    return out;
}

}  // namespace

/// The alert rules: levels with re-arming, escalation, and against the
/// devnet, critical alerts for exactly the positions the contracts' own
/// views put below the level.
class AlertsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aHealthHoveringAtALevelAlertsOnce()
    {
        AlertEngine engine;  // warning 1.20, critical 1.05, re-arm margin 0.05
        const auto at = [&](const char* health, std::uint64_t block) { return kinds(engine.observe(one_loan_at(health, block), block)); };
        using V = std::vector<std::string>;
        QCOMPARE(at("1.30", 1), V{});
        QCOMPARE(at("1.15", 2), V{"firing/warning"});
        QCOMPARE(at("1.19", 3), V{});
        QCOMPARE(at("1.22", 4), V{});  // above the level, not past the margin: still firing, no event
        QCOMPARE(at("1.18", 5), V{});
        QCOMPARE(at("1.26", 6), V{"resolved/warning"});
        QCOMPARE(at("1.00", 7), V{"firing/critical"});
        QCOMPARE(at("1.04", 8), V{});
        QCOMPARE(at("1.08", 9), V{});  // under critical + margin: stays critical
        QCOMPARE(at("1.12", 10), V{"firing/warning"});
        QCOMPARE(at("1.30", 11), V{"resolved/warning"});
    }

    void anAlertSaysWhatItIsInWords()
    {
        risk::AlertNames names;
        Address bob;
        bob.bytes[19] = 0xb0;
        names.accounts[bob] = "bob";
        names.collections[Address()] = "DAPE";
        AlertEngine engine({}, names);
        const auto events = engine.observe(one_loan_at("0.97", 1), 1);
        QCOMPARE(events.size(), std::size_t(1));
        const Alert& alert = events.front();
        QCOMPARE(alert.id, "health:" + one_loan_at("0.97", 1).positions.front().key.id());
        QCOMPARE(alert.rule, std::string("health"));
        QCOMPARE(alert.value, std::string("0.97"));
        QCOMPARE(alert.threshold, std::string("1.05"));
        // Repaying 10 × (1 − 0.97 / 1.5) = 3.5333… WETH brings it to 1.5.
        QCOMPARE(alert.message, std::string("bob's DAPE #4 pool loan: health 0.97 < 1.05, liquidatable now; top up 3.5333 to reach 1.50"));
        const auto json = nlohmann::json::parse(risk::alert_to_json(alert));
        for (const char* key : {"id", "rule", "severity", "state", "position", "account", "message", "value", "threshold", "block"}) QVERIFY2(json.contains(key), key);
        QCOMPARE(json["severity"].get<std::string>(), std::string("critical"));
        QCOMPARE(json["state"].get<std::string>(), std::string("firing"));
        QCOMPARE(json["account"].get<std::string>(), bob.to_hex());
    }

    void aCriticalAlertIsNotifiedAgainUntilAcknowledged()
    {
        risk::AlertLevels levels;
        levels.escalate_every_seconds = 600;
        AlertEngine engine(levels);
        const std::uint64_t t0 = 1700000000;
        QCOMPARE(engine.observe(one_loan_at("0.99", 1), t0).size(), std::size_t(1));
        QVERIFY(engine.observe(one_loan_at("0.99", 2), t0 + 599).empty());  // never more often
        const auto again = engine.observe(one_loan_at("0.99", 3), t0 + 600);
        QCOMPARE(again.size(), std::size_t(1));
        QVERIFY(again.front().escalation);
        QVERIFY(engine.observe(one_loan_at("0.99", 4), t0 + 900).empty());
        engine.acknowledge(again.front().id);
        QVERIFY(engine.observe(one_loan_at("0.99", 5), t0 + 5000).empty());
        // A repaid loan: the position is gone, its alert resolves.
        Snapshot empty = one_loan_at("0.99", 6);
        empty.positions.clear();
        const auto gone = engine.observe(empty, t0 + 5001);
        QCOMPARE(kinds(gone), std::vector<std::string>{"resolved/critical"});
        QVERIFY(gone.front().message.find("the position is gone") != std::string::npos);
    }

    void anOracleCrashAlertsExactlyThePositionsTheContractsPutBelowTheLevel()
    {
        tests::DemoWorldFixture world;
        QVERIFY2(world.ready(), world.error().c_str());
        auto registry = registry_from_json(devnet::manifest_to_json(world.manifest()));
        VERIFY_OK(registry);
        const std::vector<Address> traders{world.address_of("alice"), world.address_of("bob"), world.address_of("carol")};
        Monitor monitor(world.client(), *registry, traders);
        VERIFY_OK(monitor.discover());
        AlertEngine engine;
        const auto refresh = [&] {
            auto snapshot = monitor.refresh();
            return snapshot ? std::optional(std::make_pair(*snapshot, engine.observe(**snapshot, (*snapshot)->block.timestamp))) : std::nullopt;
        };
        QVERIFY(refresh());

        // DAPE's oracle price falls 45 %.
        const Address dape = world.contract("DAPE");
        const Address oracle = world.contract("NFTOracle");
        const U256 price = world.read_u256(oracle, "getAssetPrice(address)", "[" + q(dape) + "]");
        VERIFY_OK(world.send("deployer", oracle, "setAssetData(address,uint256)", "[" + q(dape) + ",\"" + (price / U256(100) * U256(55)).to_dec() + "\"]"));
        const auto crashed = refresh();
        QVERIFY(crashed);
        const auto& [snapshot, events] = *crashed;

        // The contracts' own views decide which positions are below the critical level.
        std::set<std::string> below;
        for (const auto& p : snapshot->positions) {
            if (p.key.protocol == Protocol::BendDao && p.state == PositionState::Active) {
                auto view = world.read(p.key.contract, "getNftDebtData(address,uint256)", "[" + q(p.collection) + ",\"" + p.token_id->to_dec() + "\"]",
                                       "(uint256,address,uint256,uint256,uint256,uint256)");
                VERIFY_OK(view);
                if (*U256::from_dec((*view)[5].get<std::string>()) < engine.levels().health_critical) below.insert("health:" + p.key.id());
            }
            if (p.key.protocol == Protocol::Perp) {
                auto view = world.read(p.key.contract, "getMarginRatio(address,address)", "[" + q(p.key.market) + "," + q(p.key.account) + "]", "((int256))");
                VERIFY_OK(view);
                const std::string ratio = (*view)[0][0].get<std::string>();
                const U256 mmr = world.read_u256(p.key.contract, "maintenanceMarginRatio()");
                const U256 level = fixed::mul_d(engine.levels().margin_critical_mmr, mmr);
                if (ratio.starts_with('-') || *U256::from_dec(ratio) < level) below.insert("margin:" + p.key.id());
            }
        }
        QVERIFY(!below.empty());
        std::set<std::string> critical;
        for (const auto& alert : engine.firing())
            if (alert.severity == Severity::Critical && (alert.rule == "health" || alert.rule == "margin")) critical.insert(alert.id);
        QVERIFY(critical == below);
        std::size_t fired_now = 0;
        for (const auto& e : events) fired_now += e.state == AlertState::Firing && e.severity == Severity::Critical && e.rule == "health";
        QVERIFY(fired_now > 0);

        // Ten more blocks at the same price: interest moves the health a little, no alert moves.
        for (int i = 0; i < 10; ++i) {
            QVERIFY(world.client().call("evm_mine", "[]").has_value());
            const auto later = refresh();
            QVERIFY(later);
            for (const auto& e : later->second) QVERIFY2(!critical.contains(e.id), e.message.c_str());
        }

        // The price comes back: the DAPE loans' alerts resolve.
        VERIFY_OK(world.send("deployer", oracle, "setAssetData(address,uint256)", "[" + q(dape) + ",\"" + price.to_dec() + "\"]"));
        const auto recovered = refresh();
        QVERIFY(recovered);
        std::size_t resolved = 0;
        for (const auto& e : recovered->second)
            if (e.state == AlertState::Resolved && e.rule == "health") ++resolved;
        QVERIFY(resolved > 0);
    }

    void anAuctionedLoanSaysHowLongItCanBeRedeemedAndAgainInItsLastHour()
    {
        tests::DemoWorldFixture world;
        QVERIFY2(world.ready(), world.error().c_str());
        auto registry = registry_from_json(devnet::manifest_to_json(world.manifest()));
        VERIFY_OK(registry);
        const Address bob = world.address_of("bob");
        Monitor monitor(world.client(), *registry, {bob});
        VERIFY_OK(monitor.discover());
        auto first = monitor.refresh();
        VERIFY_OK(first);
        const Address dape = world.contract("DAPE");
        const Position* loan = nullptr;
        for (const auto& p : (*first)->positions)
            if (p.key.protocol == Protocol::BendDao && p.collection == dape && p.state == PositionState::Active) loan = &p;
        QVERIFY(loan);
        const std::string token = "\"" + loan->token_id->to_dec() + "\"";
        const Address pool = loan->key.contract;

        // The floor falls under the loan's liquidation price; the keeper bids.
        const Address oracle = world.contract("NFTOracle");
        const U256 price = world.read_u256(oracle, "getAssetPrice(address)", "[" + q(dape) + "]");
        VERIFY_OK(world.send("deployer", oracle, "setAssetData(address,uint256)", "[" + q(dape) + ",\"" + (price / U256(100) * U256(70)).to_dec() + "\"]"));
        VERIFY_OK(world.send("keeper", world.contract("WETH9"), "deposit()", "[]", wad("100")));
        VERIFY_OK(world.send("keeper", world.contract("WETH9"), "approve(address,uint256)", "[" + q(pool) + ",\"" + U256::max().to_dec() + "\"]"));
        const U256 floor = world.read_u256(pool, "getNftLiquidatePrice(address,uint256)", "[" + q(dape) + "," + token + "]");
        VERIFY_OK(world.send("keeper", pool, "auction(address,uint256,uint256,address)",
                             "[" + q(dape) + "," + token + ",\"" + (floor + wad("0.01")).to_dec() + "\"," + q(world.address_of("keeper")) + "]"));

        AlertEngine engine;
        const std::string id = loan->key.id();
        auto auctioned = monitor.refresh();
        VERIFY_OK(auctioned);
        const auto events = engine.observe(**auctioned, (*auctioned)->block.timestamp);
        const auto found = std::find_if((*auctioned)->positions.begin(), (*auctioned)->positions.end(), [&](const Position& p) { return p.key.id() == id; });
        QVERIFY(found != (*auctioned)->positions.end());
        QVERIFY(found->state == PositionState::Auction);
        // The redeem window as the pool's own view computes it.
        auto view = world.read(pool, "getNftAuctionEndTime(address,uint256)", "[" + q(dape) + "," + token + "]", "(uint256,uint256,uint256,uint256)");
        VERIFY_OK(view);
        QCOMPARE(*found->redeem_ends_at, U256::from_dec((*view)[3].get<std::string>())->to_u64().value());
        QCOMPARE(*found->auction_ends_at, U256::from_dec((*view)[2].get<std::string>())->to_u64().value());
        const auto auction = std::find_if(events.begin(), events.end(), [&](const Alert& a) { return a.id == "auction:" + id; });
        QVERIFY(auction != events.end());
        QVERIFY(auction->severity == Severity::Critical);
        QVERIFY2(auction->message.find("redeem it within 4 h") != std::string::npos, auction->message.c_str());
        QVERIFY(std::none_of(events.begin(), events.end(), [&](const Alert& a) { return a.rule == "auction-ending"; }));

        // Three and a half hours later: the last hour, said once more.
        world.advance(3 * 3600 + 1800);
        auto late = monitor.refresh();
        VERIFY_OK(late);
        const auto later = engine.observe(**late, (*late)->block.timestamp);
        const auto ending = std::find_if(later.begin(), later.end(), [&](const Alert& a) { return a.id == "auction-ending:" + id; });
        QVERIFY(ending != later.end());
        QVERIFY2(ending->message.find("redeem it within 30 min") != std::string::npos || ending->message.find("redeem it within 29 min") != std::string::npos,
                 ending->message.c_str());
        // The auction alert itself is only escalated (not acknowledged for hours), not fired anew.
        for (const auto& a : later)
            if (a.id == "auction:" + id) QVERIFY(a.escalation);
    }

    void aCriticalAlertWaitsForASecondEndpointToAgree()
    {
        tests::DemoWorldFixture world;
        QVERIFY2(world.ready(), world.error().c_str());
        auto registry = registry_from_json(devnet::manifest_to_json(world.manifest()));
        VERIFY_OK(registry);
        const std::vector<Address> traders{world.address_of("alice"), world.address_of("bob"), world.address_of("carol")};
        Monitor monitor(world.client(), *registry, traders);
        VERIFY_OK(monitor.discover());
        auto before = monitor.refresh();
        VERIFY_OK(before);
        // The demo world has loans below the critical level already: both nodes agree on those.
        std::set<std::string> critical_before;
        for (const auto& e : AlertEngine().observe(**before, (*before)->block.timestamp))
            if (e.severity == Severity::Critical && (e.rule == "health" || e.rule == "margin")) critical_before.insert(e.id);

        // A second node that has the same chain up to here: anvil forked from the first.
        auto head = eth::block_number(world.client());
        VERIFY_OK(head);
        tests::AnvilNode fork("--fork-url " + world.url() + " --fork-block-number " + std::to_string(*head));
        QVERIFY2(fork.running(), fork.error().c_str());
        eth::RpcClientOptions fork_options;
        fork_options.urls = {fork.url()};
        fork_options.chain_id = registry->chain_id;
        eth::RpcClient fork_client(fork_options);
        QTemporaryDir journal;
        devnet::detail::World fork_world(fork_client, journal.filePath(QStringLiteral("fork.jsonl")).toStdString());

        // DAPE's price crashes on the first node only; the second mines an empty block to the same height.
        const Address dape = world.contract("DAPE");
        const Address oracle = world.contract("NFTOracle");
        const U256 price = world.read_u256(oracle, "getAssetPrice(address)", "[" + q(dape) + "]");
        const std::string crash = "[" + q(dape) + ",\"" + (price / U256(100) * U256(55)).to_dec() + "\"]";
        VERIFY_OK(world.send("deployer", oracle, "setAssetData(address,uint256)", crash));
        QVERIFY(fork_client.call("evm_mine", "[]").has_value());
        auto crashed = monitor.refresh();
        VERIFY_OK(crashed);

        // What one endpoint alone would call critical.
        AlertEngine alone;
        std::set<std::string> critical_alone;
        for (const auto& e : alone.observe(**crashed, (*crashed)->block.timestamp))
            if (e.severity == Severity::Critical && (e.rule == "health" || e.rule == "margin")) critical_alone.insert(e.id);
        QVERIFY(!critical_alone.empty());

        eth::RpcClientOptions both;
        both.urls = {world.url(), fork.url()};
        SecondOpinion second(both, registry->chain_id);
        QVERIFY(second.available());
        int asked = 0;
        const risk::SecondOpinionSource ask = [&] {
            ++asked;
            return second.read(monitor, **crashed, world.client().active_endpoint());
        };
        AlertEngine engine;
        const auto events = engine.observe(**crashed, (*crashed)->block.timestamp, ask);
        // The second node reads the whole block once (not once per position) and sees no crash: what only the crash put
        // below the level is a warning that says the endpoints disagree; what was below before, both confirm.
        QCOMPARE(asked, 1);
        std::set<std::string> contradicted, confirmed_now;
        for (const auto& e : events) {
            if (e.rule != "health" && e.rule != "margin") continue;
            if (e.confirmation == risk::Confirmation::Contradicted) {
                contradicted.insert(e.id);
                QVERIFY2(e.severity == Severity::Warning, e.message.c_str());
                QVERIFY2(e.message.find("the endpoints disagree") != std::string::npos, e.message.c_str());
            } else if (e.confirmation == risk::Confirmation::Confirmed) {
                confirmed_now.insert(e.id);
                QVERIFY2(e.severity == Severity::Critical, e.message.c_str());
            } else {
                QVERIFY2(e.severity != Severity::Critical, e.message.c_str());
            }
        }
        std::set<std::string> only_the_crash;
        std::set_difference(critical_alone.begin(), critical_alone.end(), critical_before.begin(), critical_before.end(),
                            std::inserter(only_the_crash, only_the_crash.end()));
        QVERIFY(!only_the_crash.empty());
        QVERIFY(contradicted == only_the_crash);
        QVERIFY(confirmed_now == critical_before);
        const auto disagree = std::find_if(events.begin(), events.end(), [](const Alert& a) { return a.id == "endpoints-disagree:node"; });
        QVERIFY(disagree != events.end());
        QVERIFY(disagree->state == AlertState::Firing);
        QVERIFY(risk::alert_to_json(*std::find_if(events.begin(), events.end(), [&](const Alert& a) { return a.id == *contradicted.begin(); }))
                    .find("\"confirmation\":\"contradicted\"") != std::string::npos);

        // The second node sees the crash too: the same alerts turn critical, confirmed, and the disagreement resolves.
        VERIFY_OK(fork_world.call(world.actor("deployer"), oracle, "setAssetData(address,uint256)", crash));
        QVERIFY(world.client().call("evm_mine", "[]").has_value());
        auto agreed = monitor.refresh();
        VERIFY_OK(agreed);
        const auto ask_again = [&] { return second.read(monitor, **agreed, world.client().active_endpoint()); };
        const auto later = engine.observe(**agreed, (*agreed)->block.timestamp, ask_again);
        std::set<std::string> confirmed;
        for (const auto& e : later)
            if (e.severity == Severity::Critical && e.state == AlertState::Firing && e.confirmation == risk::Confirmation::Confirmed) {
                confirmed.insert(e.id);
                QVERIFY2(e.message.find("confirmed by") != std::string::npos, e.message.c_str());
            }
        QVERIFY(confirmed == only_the_crash);
        QVERIFY(std::any_of(later.begin(), later.end(), [](const Alert& a) { return a.id == "endpoints-disagree:node" && a.state == AlertState::Resolved; }));
    }

    void aCriticalAlertFiresWhenTheSecondEndpointCannotBeAskedAndSaysSo()
    {
        tests::DemoWorldFixture world;
        QVERIFY2(world.ready(), world.error().c_str());
        auto registry = registry_from_json(devnet::manifest_to_json(world.manifest()));
        VERIFY_OK(registry);
        Monitor monitor(world.client(), *registry, {world.address_of("bob")});
        VERIFY_OK(monitor.discover());
        const Address dape = world.contract("DAPE");
        const Address oracle = world.contract("NFTOracle");
        const U256 price = world.read_u256(oracle, "getAssetPrice(address)", "[" + q(dape) + "]");
        VERIFY_OK(world.send("deployer", oracle, "setAssetData(address,uint256)", "[" + q(dape) + ",\"" + (price / U256(100) * U256(55)).to_dec() + "\"]"));
        auto crashed = monitor.refresh();
        VERIFY_OK(crashed);

        // The second endpoint is a port where nothing listens.
        eth::RpcClientOptions both;
        both.urls = {world.url(), "http://127.0.0.1:1"};
        both.transport.connect_timeout = std::chrono::milliseconds(500);
        SecondOpinion second(both, registry->chain_id);
        AlertEngine engine;
        const auto events = engine.observe(**crashed, (*crashed)->block.timestamp,
                                           [&] { return second.read(monitor, **crashed, world.client().active_endpoint()); });
        std::size_t critical = 0;
        for (const auto& e : events)
            if (e.rule == "health" && e.severity == Severity::Critical) {
                ++critical;
                QVERIFY(e.confirmation == risk::Confirmation::Unconfirmed);
                QVERIFY2(e.message.find("not confirmed: the second endpoint could not be read") != std::string::npos, e.message.c_str());
            }
        QVERIFY(critical > 0);
        QVERIFY(std::none_of(events.begin(), events.end(), [](const Alert& a) { return a.rule == "endpoints-disagree"; }));
    }

    void aLiquidatedLoanIsSaidOnceAndARepaidOneIsNot()
    {
        tests::DemoWorldFixture world;
        QVERIFY2(world.ready(), world.error().c_str());
        auto registry = registry_from_json(devnet::manifest_to_json(world.manifest()));
        VERIFY_OK(registry);
        const Address bob = world.address_of("bob");
        Monitor monitor(world.client(), *registry, {bob});
        VERIFY_OK(monitor.discover());
        auto first = monitor.refresh();
        VERIFY_OK(first);
        const Address dape = world.contract("DAPE");
        std::optional<Position> doomed, repaid;
        for (const auto& p : (*first)->positions)
            if (p.key.protocol == Protocol::BendDao && p.state == PositionState::Active) (p.collection == dape ? doomed : repaid) = p;
        QVERIFY(doomed && repaid);
        AlertEngine engine;
        (void)engine.observe(**first, (*first)->block.timestamp);

        // bob repays his other loan in full.
        const Address weth = world.contract("WETH9");
        VERIFY_OK(world.send("bob", weth, "deposit()", "[]", wad("50")));
        VERIFY_OK(world.send("bob", weth, "approve(address,uint256)", "[" + q(repaid->key.contract) + ",\"" + U256::max().to_dec() + "\"]"));
        VERIFY_OK(world.send("bob", repaid->key.contract, "repay(address,uint256,uint256)",
                             "[" + q(repaid->collection) + ",\"" + repaid->token_id->to_dec() + "\",\"" + (repaid->debt + wad("1")).to_dec() + "\"]"));

        // DAPE falls under the loan's liquidation price; the keeper bids, waits out the auction and liquidates.
        const Address pool = doomed->key.contract;
        const std::string token = "\"" + doomed->token_id->to_dec() + "\"";
        const Address oracle = world.contract("NFTOracle");
        const U256 price = world.read_u256(oracle, "getAssetPrice(address)", "[" + q(dape) + "]");
        VERIFY_OK(world.send("deployer", oracle, "setAssetData(address,uint256)", "[" + q(dape) + ",\"" + (price / U256(100) * U256(60)).to_dec() + "\"]"));
        VERIFY_OK(world.send("keeper", weth, "deposit()", "[]", wad("100")));
        VERIFY_OK(world.send("keeper", weth, "approve(address,uint256)", "[" + q(pool) + ",\"" + U256::max().to_dec() + "\"]"));
        const U256 floor = world.read_u256(pool, "getNftLiquidatePrice(address,uint256)", "[" + q(dape) + "," + token + "]");
        VERIFY_OK(world.send("keeper", pool, "auction(address,uint256,uint256,address)",
                             "[" + q(dape) + "," + token + ",\"" + (floor + wad("0.01")).to_dec() + "\"," + q(world.address_of("keeper")) + "]"));
        auto auctioned = monitor.refresh();
        VERIFY_OK(auctioned);
        const auto during = engine.observe(**auctioned, (*auctioned)->block.timestamp);
        // The repaid loan: gone, by the pool's own word Repaid, and no liquidation said.
        QVERIFY(std::any_of((*auctioned)->ended.begin(), (*auctioned)->ended.end(),
                            [&](const auto& e) { return e.first == repaid->key && e.second == PositionEnd::Repaid; }));
        QVERIFY(std::none_of(during.begin(), during.end(), [](const Alert& a) { return a.rule == "liquidated"; }));
        const auto in_auction = std::find_if((*auctioned)->positions.begin(), (*auctioned)->positions.end(), [&](const Position& p) { return p.key == doomed->key; });
        QVERIFY(in_auction != (*auctioned)->positions.end() && in_auction->auction_ends_at);
        world.advance(*in_auction->auction_ends_at - world.head_timestamp() + 60);
        VERIFY_OK(world.send("keeper", pool, "liquidate(address,uint256,uint256)", "[" + q(dape) + "," + token + ",\"" + wad("5").to_dec() + "\"]"));

        auto after = monitor.refresh();
        VERIFY_OK(after);
        const auto events = engine.observe(**after, (*after)->block.timestamp);
        // The pool says Defaulted: one critical "liquidated" event, and the auction alert resolves saying so.
        const auto loan_state = world.read(pool, "getLoan(uint256)", "[\"" + std::to_string(doomed->key.loan) + "\"]",
                                           "((uint256,uint8,address,address,uint256,address,uint256,uint256,address,uint256,uint256,address))");
        VERIFY_OK(loan_state);
        QCOMPARE((*loan_state)[0][1].get<std::string>(), std::string("5"));
        std::vector<Alert> liquidated;
        for (const auto& e : events)
            if (e.rule == "liquidated") liquidated.push_back(e);
        QCOMPARE(liquidated.size(), std::size_t(1));
        QCOMPARE(liquidated[0].id, "liquidated:" + doomed->key.id());
        QVERIFY(liquidated[0].severity == Severity::Critical);
        QVERIFY2(liquidated[0].message.find("was liquidated") != std::string::npos, liquidated[0].message.c_str());
        const auto auction = std::find_if(events.begin(), events.end(), [&](const Alert& a) { return a.id == "auction:" + doomed->key.id(); });
        QVERIFY(auction != events.end());
        QVERIFY(auction->state == AlertState::Resolved);
        QVERIFY2(auction->message.find("gone (liquidated)") != std::string::npos, auction->message.c_str());
        // Said once: the next block is quiet about it.
        QVERIFY(world.client().call("evm_mine", "[]").has_value());
        auto later = monitor.refresh();
        VERIFY_OK(later);
        for (const auto& e : engine.observe(**later, (*later)->block.timestamp)) QVERIFY2(e.rule != "liquidated", e.message.c_str());
    }

    void aForeclosedP2pLoanIsSaidOnce()
    {
        tests::DemoWorldFixture world;
        QVERIFY2(world.ready(), world.error().c_str());
        auto registry = registry_from_json(devnet::manifest_to_json(world.manifest()));
        VERIFY_OK(registry);
        const Address bob = world.address_of("bob");
        const auto seeded = std::find_if(world.manifest().loans.begin(), world.manifest().loans.end(),
                                         [&](const devnet::SeededLoan& l) { return l.protocol == Protocol::Nftfi && l.borrower == bob; });
        QVERIFY(seeded != world.manifest().loans.end());
        std::string lender;
        for (const auto& account : world.manifest().accounts)
            if (account.address == seeded->lender) lender = account.name;
        QVERIFY(!lender.empty());
        Monitor monitor(world.client(), *registry, {bob});
        VERIFY_OK(monitor.discover());
        auto first = monitor.refresh();
        VERIFY_OK(first);
        AlertEngine engine;
        (void)engine.observe(**first, (*first)->block.timestamp);
        const auto loan = std::find_if((*first)->positions.begin(), (*first)->positions.end(),
                                       [&](const Position& p) { return p.key.protocol == Protocol::Nftfi && p.key.number == U256(seeded->loan_id); });
        QVERIFY(loan != (*first)->positions.end());

        // Past maturity the lender forecloses (the contract refuses a repayment by then).
        world.advance(*loan->maturity - world.head_timestamp() + 60);
        VERIFY_OK(world.send(lender, loan->key.contract, "liquidateOverdueLoan(uint32)", "[" + std::to_string(seeded->loan_id) + "]"));
        auto after = monitor.refresh();
        VERIFY_OK(after);
        const auto events = engine.observe(**after, (*after)->block.timestamp);
        const auto foreclosed = std::find_if(events.begin(), events.end(), [&](const Alert& a) { return a.id == "liquidated:" + loan->key.id(); });
        QVERIFY(foreclosed != events.end());
        QVERIFY(foreclosed->severity == Severity::Critical);
        QVERIFY2(foreclosed->message.find("was foreclosed") != std::string::npos, foreclosed->message.c_str());
        QVERIFY(world.client().call("evm_mine", "[]").has_value());
        auto later = monitor.refresh();
        VERIFY_OK(later);
        for (const auto& e : engine.observe(**later, (*later)->block.timestamp)) QVERIFY2(e.rule != "liquidated", e.message.c_str());
    }
};

NFTTERM_TEST_APPLESS(AlertsTest)
#include "alerts_test.moc"
