#include "../support/demo_world_fixture.hpp"
#include "../support/verify_ok.hpp"

#include <protocols/eth/rpc/eth_api.hpp>
#include <protocols/positions/fixed_point.hpp>
#include <protocols/positions/monitor.hpp>
#include <protocols/positions/topup.hpp>

#include <QTest>

using namespace nftterm;
using namespace nftterm::protocols;
using namespace nftterm::protocols::positions;
using nftterm::tests::wad;
using wallet::Address;
using wallet::U256;

namespace {

std::string q(const Address& address)
{
    return "\"" + address.to_hex() + "\"";
}

}  // namespace

/// Top-up plans on the devnet: the calls land, and the health afterwards is
/// what the plan predicted, by the contract's own math.
class TopUpTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        m_world = std::make_unique<tests::DemoWorldFixture>();
        QVERIFY2(m_world->ready(), m_world->error().c_str());
        m_registry = *registry_from_json(devnet::manifest_to_json(m_world->manifest()));
    }
    void init() { m_world->snapshot(); }
    void cleanup() { m_world->revert(); }

    void poolLoanRepayLandsAtThePredictedHealth()
    {
        const auto position = weakest("benddao", "alice");
        QVERIFY(position.has_value());
        auto plan = plan_top_up(m_world->client(), m_registry, *position, wad("1.5"));
        VERIFY_OK(plan);
        QCOMPARE(plan->measure, std::string("healthFactor"));
        QCOMPARE(plan->calls.size(), std::size_t(1));  // the seeder approved the pool already
        QVERIFY(plan->calls.back().description.starts_with("repay "));
        QVERIFY(plan->predicted_health >= wad("1.5"));
        const auto receipt = land(*plan);
        QVERIFY(receipt.has_value());
        auto block = eth::get_block(m_world->client(), eth::BlockTag::number(receipt->block_number));
        const auto view = m_world->read(position->key.contract, "getNftDebtData(address,uint256)",
                                        "[" + q(position->collection) + "," + tests::dec(*position->token_id) + "]",
                                        "(uint256,address,uint256,uint256,uint256,uint256)");
        VERIFY_OK(view);
        const U256 actual = *U256::from_dec((*view)[5].get<std::string>());
        QCOMPARE(actual.to_dec(), predicted_health_at(*plan, block->timestamp)->to_dec());
        QVERIFY(actual >= wad("1.5"));
    }

    void anApprovalComesFirstWhenTheAllowanceIsShort()
    {
        VERIFY_OK(m_world->send("alice", m_world->contract("WETH9"), "approve(address,uint256)", "[" + q(m_world->contract("BendLendPool")) + ",\"0\"]"));
        const auto position = weakest("benddao", "alice");
        auto plan = plan_top_up(m_world->client(), m_registry, *position, wad("1.5"));
        VERIFY_OK(plan);
        QCOMPARE(plan->calls.size(), std::size_t(2));
        QVERIFY2(plan->calls.front().description.starts_with("approve ") && plan->calls.front().description.ends_with("to LendPool"),
                 plan->calls.front().description.c_str());
        QVERIFY(land(*plan).has_value());
        QVERIFY(refreshed(position->key.id())->health_factor >= wad("1.5"));
    }

    void perpAddMarginReachesTheTarget()
    {
        const auto position = weakest("perp", "carol");
        QVERIFY(position.has_value());
        auto plan = plan_top_up(m_world->client(), m_registry, *position, wad("0.3"));
        VERIFY_OK(plan);
        QCOMPARE(plan->measure, std::string("marginRatio"));
        QVERIFY(plan->calls.back().description.starts_with("add "));
        QVERIFY(land(*plan).has_value());
        const auto after = refreshed(position->key.id());
        QVERIFY(after.has_value());
        const U256 actual = after->margin_ratio->magnitude;
        // The ratio reads PnL from the spot or 15-minute TWAP mark, which may drift in the seconds
        // between plan and landing: equal to within a hundredth of a percent.
        const U256 tolerance = plan->predicted_health / U256(10000);
        QVERIFY2(actual + tolerance >= plan->predicted_health && actual <= plan->predicted_health + tolerance,
                 (actual.to_dec() + " vs " + plan->predicted_health.to_dec()).c_str());
        QVERIFY(actual + tolerance >= wad("0.3"));
    }

    void refusalsAreExplained()
    {
        const auto loan = weakest("nftfi", "alice");
        auto p2p = plan_top_up(m_world->client(), m_registry, *loan, wad("1.5"));
        QVERIFY(!p2p);
        QVERIFY(p2p.error().message().find("repay it in full") != std::string::npos);
        const auto pool_loan = weakest("benddao", "alice");
        auto already = plan_top_up(m_world->client(), m_registry, *pool_loan, wad("1.01"));
        QVERIFY(!already);
        QVERIFY(already.error().message().find("already") != std::string::npos);
        // Not enough WETH: alice sends hers away.
        const U256 balance = m_world->weth_balance(m_world->address_of("alice"));
        VERIFY_OK(m_world->send("alice", m_world->contract("WETH9"), "transfer(address,uint256)", "[" + q(m_world->address_of("keeper")) + "," + tests::dec(balance) + "]"));
        auto poor = plan_top_up(m_world->client(), m_registry, *weakest("benddao", "alice"), wad("1.5"));
        QVERIFY(!poor);
        QVERIFY2(poor.error().message().find("the account holds 0") != std::string::npos, poor.error().message().c_str());
    }

private:
    std::optional<Position> weakest(const std::string& protocol, const char* who)
    {
        Monitor monitor(m_world->client(), m_registry, {m_world->address_of(who)});
        if (!monitor.discover()) return std::nullopt;
        auto snapshot = monitor.refresh();
        if (!snapshot) return std::nullopt;
        std::optional<Position> found;
        for (const auto& p : (*snapshot)->positions) {
            if (p.key.protocol != protocol) continue;
            const U256 health = p.health_factor ? *p.health_factor : p.margin_ratio ? p.margin_ratio->magnitude : U256(p.maturity.value_or(0));
            const U256 best = !found ? U256::max() : found->health_factor ? *found->health_factor : found->margin_ratio ? found->margin_ratio->magnitude : U256(found->maturity.value_or(0));
            if (health < best && (protocol != "benddao" || p.state == "active")) found = p;
        }
        return found;
    }

    std::optional<Position> refreshed(const std::string& id)
    {
        Monitor monitor(m_world->client(), m_registry, {m_world->address_of("alice"), m_world->address_of("bob"), m_world->address_of("carol")});
        if (!monitor.discover()) return std::nullopt;
        auto snapshot = monitor.refresh();
        if (!snapshot) return std::nullopt;
        for (const auto& p : (*snapshot)->positions)
            if (p.key.id() == id) return p;
        return std::nullopt;
    }

    /// Sends the plan's calls as the position's account; the last receipt.
    std::optional<eth::Receipt> land(const TopUpPlan& plan)
    {
        std::optional<eth::Receipt> last;
        const char* who = nullptr;
        for (const char* name : {"alice", "bob", "carol"})
            if (plan.account == m_world->address_of(name)) who = name;
        if (!who) return std::nullopt;
        for (const auto& call : plan.calls) {
            auto receipt = m_world->world().send(m_world->actor(who), call.to, call.data, call.value);
            if (!receipt) {
                qWarning("%s: %s", call.description.c_str(), receipt.error().message().c_str());
                return std::nullopt;
            }
            last = *receipt;
        }
        return last;
    }

    std::unique_ptr<tests::DemoWorldFixture> m_world;
    Registry m_registry;
};

QTEST_GUILESS_MAIN(TopUpTest)
#include "topup_test.moc"
