#include "../support/demo_world_fixture.hpp"
#include "../support/verify_ok.hpp"

#include <app/history_recorder.hpp>
#include <app/history_store.hpp>
#include <protocols/devnet/demo_world.hpp>
#include <protocols/positions/monitor.hpp>
#include <protocols/positions/snapshot_diff.hpp>

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "../support/test_registry.hpp"

#include <cmath>

using namespace nftterm;
using namespace nftterm::protocols;
using namespace nftterm::protocols::positions;
using wallet::U256;

namespace {

std::string q(const wallet::Address& address)
{
    return "\"" + address.to_hex() + "\"";
}

double in_eth(const U256& wad)
{
    return wad.native().convert_to<double>() / 1e18;
}

bool near(double a, double b)
{
    return std::abs(a - b) <= 1e-12 * std::max(1.0, std::abs(b));
}

const QString kChain = QStringLiteral("31337:history-test");

}  // namespace

/// The history behind the charts: what is recorded from real snapshots of
/// the devnet, read back as the contracts showed it, after a restart too;
/// quiet blocks are not written until the heartbeat; a file that is not a
/// history is refused and left alone.
class HistoryTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        m_world = std::make_unique<tests::DemoWorldFixture>();
        QVERIFY2(m_world->ready(), m_world->error().c_str());
        m_registry = m_world->registry();
        for (const char* name : {"alice", "bob", "carol"}) m_accounts.push_back(m_world->address_of(name));
        QVERIFY(m_dir.isValid());
    }

    void init() { m_world->snapshot(); }
    void cleanup() { m_world->revert(); }

    void recordsWhatTheContractsShowAndKeepsItAcrossARestart()
    {
        const QString file = m_dir.filePath(QStringLiteral("restart.sqlite"));
        Monitor monitor(m_world->client(), m_registry, m_accounts);
        VERIFY_OK(monitor.discover());
        auto before = monitor.refresh();
        VERIFY_OK(before);
        app::HistoryRecorder recorder;
        auto store = app::HistoryStore::open(file);
        QVERIFY2(store.has_value(), store ? "" : qPrintable(store.error()));
        // Every position is recorded when first seen.
        const auto first = recorder.samples(**before, diff_snapshots(nullptr, **before));
        QCOMPARE(first.positions.size(), (*before)->positions.size());
        QCOMPARE(first.collections.size(), (*before)->prices.size());
        QVERIFY((*store)->record(kChain, first.positions, first.collections).has_value());

        // The DAPE floor falls 10 %: the DAPE pool loans move by far more than the recording threshold.
        const wallet::Address dape = m_world->contract("DAPE");
        const wallet::Address oracle = m_world->contract("NFTOracle");
        const U256 old_price = m_world->read_u256(oracle, "getAssetPrice(address)", "[" + q(dape) + "]");
        VERIFY_OK(m_world->send("deployer", oracle, "setAssetData(address,uint256)", "[" + q(dape) + "," + tests::dec(old_price * U256(9) / U256(10)) + "]"));
        auto after = monitor.refresh();
        VERIFY_OK(after);
        const auto second = recorder.samples(**after, diff_snapshots(before->get(), **after));
        QVERIFY((*store)->record(kChain, second.positions, second.collections).has_value());

        const Position* loan = nullptr;
        for (const auto& position : (*after)->positions)
            if (position.key.protocol == protocols::positions::Protocol::BendDao && position.collection == dape && position.state == protocols::positions::PositionState::Active) loan = &position;
        QVERIFY2(loan, "no active DAPE pool loan in the seeded world");
        const QString id = QString::fromStdString(loan->key.id());
        auto history = (*store)->position_history(kChain, id);
        QVERIFY2(history.has_value(), history ? "" : qPrintable(history.error()));
        std::vector<ui::HistoryPoint> own;
        for (const auto& point : history->points)
            if (point.health) own.push_back(point);
        QCOMPARE(own.size(), std::size_t(2));
        // As the oracle and the pool's own view answer.
        const U256 new_price = m_world->read_u256(oracle, "getAssetPrice(address)", "[" + q(dape) + "]");
        const auto view = m_world->read(loan->key.contract, "getNftDebtData(address,uint256)", "[" + q(dape) + "," + tests::dec(*loan->token_id) + "]",
                                        "(uint256,address,uint256,uint256,uint256,uint256)");
        VERIFY_OK(view);
        QVERIFY(near(*own[0].price, in_eth(old_price)));
        QVERIFY(near(*own[1].price, in_eth(new_price)));
        QVERIFY(near(*own[1].health, in_eth(*U256::from_dec((*view)[5].get<std::string>()))));
        QCOMPARE(own[1].block, (*after)->block.number);
        QCOMPARE(own[1].time, qint64((*after)->block.timestamp));
        QVERIFY(*own[1].health < *own[0].health);
        // The collection's trade TWAP is merged in, as the pricing read it.
        for (const auto& prices : (*after)->prices) {
            if (prices.collection != dape || !prices.trade_twap) continue;
            const auto twap = std::find_if(history->points.begin(), history->points.end(), [](const auto& point) { return point.twap.has_value(); });
            QVERIFY(twap != history->points.end());
            QVERIFY(near(*twap->twap, in_eth(prices.trade_twap->price)));
        }

        // A restart reads the same history back; another chain has none of it.
        store->reset();
        auto reopened = app::HistoryStore::open(file);
        QVERIFY2(reopened.has_value(), reopened ? "" : qPrintable(reopened.error()));
        auto again = (*reopened)->position_history(kChain, id);
        QVERIFY(again.has_value());
        QCOMPARE(again->points.size(), history->points.size());
        for (std::size_t i = 0; i < again->points.size(); ++i) {
            QCOMPARE(again->points[i].block, history->points[i].block);
            QCOMPARE(again->points[i].health, history->points[i].health);
            QCOMPARE(again->points[i].price, history->points[i].price);
            QCOMPARE(again->points[i].liquidation_price, history->points[i].liquidation_price);
        }
        QVERIFY((*reopened)->position_history(QStringLiteral("1:0xother"), id)->points.empty());
        QCOMPARE(int(QFile::permissions(file) & (QFileDevice::ReadGroup | QFileDevice::ReadOther)), 0);
    }

    void quietBlocksWaitForTheHeartbeat()
    {
        Monitor monitor(m_world->client(), m_registry, m_accounts);
        VERIFY_OK(monitor.discover());
        auto first = monitor.refresh();
        VERIFY_OK(first);
        app::HistoryRecorder recorder({.heartbeat_seconds = 300, .significant_move = 0.002});
        QVERIFY(!recorder.samples(**first, diff_snapshots(nullptr, **first)).positions.empty());

        // One second of interest moves every pool loan a little: changed, not worth a row. (A perp's
        // margin ratio may still move noticeably in a second, as its TWAP mark follows the spot.)
        m_world->advance(1);
        auto quiet = monitor.refresh();
        VERIFY_OK(quiet);
        const auto quiet_changes = diff_snapshots(first->get(), **quiet);
        const auto is_pool_loan = [](const auto& change) { return change.id.starts_with("benddao:"); };
        QVERIFY2(std::ranges::any_of(quiet_changes, is_pool_loan), "interest should have moved the pool loans");
        const auto quiet_samples = recorder.samples(**quiet, quiet_changes);
        for (const auto& sample : quiet_samples.positions) QVERIFY2(!sample.position_id.startsWith(u"benddao:"), qPrintable(sample.position_id));

        // Past the heartbeat, every position that changed is written again.
        m_world->advance(301);
        auto later = monitor.refresh();
        VERIFY_OK(later);
        const auto changes = diff_snapshots(quiet->get(), **later);
        std::size_t changed = 0;
        for (const auto& change : changes) changed += change.kind != PositionChange::Kind::Removed && (*later)->positions[*change.after_index].readable;
        QVERIFY(changed > 0);
        QCOMPARE(recorder.samples(**later, changes).positions.size(), changed);
    }

    void samplesPastTheRetentionAreDeletedForTheirChainOnly()
    {
        auto store = app::HistoryStore::open(m_dir.filePath(QStringLiteral("retention.sqlite")));
        QVERIFY2(store.has_value(), store ? "" : qPrintable(store.error()));
        const auto sample = [](qint64 day, quint64 block) {
            app::PositionSample position{QStringLiteral("benddao:pool:dape:1"), QStringLiteral("0xdape"), {}};
            position.point.time = day * 86400;
            position.point.block = block;
            position.point.health = 1.5;
            return position;
        };
        const app::CollectionSample old_price{QStringLiteral("0xdape"), 1 * 86400, 1, 30.0};
        QVERIFY((*store)->record(kChain, {sample(1, 1), sample(50, 2), sample(100, 3)}, {old_price}).has_value());
        QVERIFY((*store)->record(QStringLiteral("1:0xother"), {sample(1, 1)}, {}).has_value());
        // 90 days before the newest sample (day 100): day 1 goes, day 50 and 100 stay.
        QVERIFY((*store)->prune(kChain, 90 * 86400).has_value());
        auto kept = (*store)->position_history(kChain, QStringLiteral("benddao:pool:dape:1"));
        QVERIFY(kept.has_value());
        QCOMPARE(kept->points.size(), std::size_t(2));
        QCOMPARE(kept->points[0].block, quint64(2));
        QCOMPARE(kept->points[1].block, quint64(3));
        // Another chain's history is its own: its lone sample is its newest.
        QVERIFY((*store)->prune(QStringLiteral("1:0xother"), 90 * 86400).has_value());
        QCOMPARE((*store)->position_history(QStringLiteral("1:0xother"), QStringLiteral("benddao:pool:dape:1"))->points.size(), std::size_t(1));
    }

    void aFileThatIsNotAHistoryIsRefusedAndLeftAlone()
    {
        const QString file = m_dir.filePath(QStringLiteral("notes.sqlite"));
        const QByteArray content = QByteArray("my trading notes, not a database\n").repeated(200);
        {
            QFile out(file);
            QVERIFY(out.open(QIODevice::WriteOnly));
            out.write(content);
        }
        auto store = app::HistoryStore::open(file);
        QVERIFY(!store.has_value());
        QVERIFY2(store.error().contains(file) && store.error().contains(QStringLiteral("not a history file")), qPrintable(store.error()));
        QFile in(file);
        QVERIFY(in.open(QIODevice::ReadOnly));
        QCOMPARE(in.readAll(), content);
    }

private:
    std::unique_ptr<tests::DemoWorldFixture> m_world;
    Registry m_registry;
    std::vector<wallet::Address> m_accounts;
    QTemporaryDir m_dir;
};

NFTTERM_TEST_GUILESS(HistoryTest)
#include "history_test.moc"
