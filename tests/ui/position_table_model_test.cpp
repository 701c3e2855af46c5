#include <ui/models/position_filter_model.hpp>
#include <ui/models/position_table_model.hpp>

#include <protocols/positions/snapshot_diff.hpp>

#include <QAbstractItemModelTester>
#include <QBrush>
#include <QSignalSpy>
#include <QTest>

#include <set>

#include "../support/test_registry.hpp"

using namespace nftterm;
using namespace nftterm::ui;
using protocols::positions::Position;
using protocols::positions::Snapshot;
using wallet::U256;

namespace {

U256 wad(double value)
{
    return U256(static_cast<std::uint64_t>(value * 1e6)) * U256(1000000000000ULL);
}

wallet::Address address(std::uint8_t last)
{
    wallet::Address out;
    out.bytes[19] = last;
    return out;
}

/// A pool loan of account `account` on token `token` with health factor `health`.
Position pool_loan(std::uint8_t account, std::uint64_t token, double health)
{
    Position position;
    position.key.protocol = protocols::positions::Protocol::BendDao;
    position.key.account = address(account);
    position.key.contract = address(0xb0);
    position.key.market = address(0xc0);
    position.key.number = U256(token);
    position.collection = address(0xc0);
    position.token_id = U256(token);
    position.collateral_value = wad(30);
    position.debt = wad(10);
    position.health_factor = wad(health);
    position.price = wad(30);
    position.liquidation_price = wad(30 / health);
    position.state = protocols::positions::PositionState::Active;
    position.price_source = "NFTOracle";
    return position;
}

/// A long perp of `size` (WAD) with margin ratio 10 %.
Position perp(std::uint8_t account, double size)
{
    Position position;
    position.key.protocol = protocols::positions::Protocol::Perp;
    position.key.account = address(account);
    position.key.contract = address(0xd0);
    position.key.market = address(0xe0);
    position.collection = address(0xc0);
    position.collateral_value = wad(30);
    position.debt = wad(30);
    position.margin_ratio = protocols::positions::SignedWad{false, wad(0.1)};
    position.size = protocols::positions::SignedWad{false, wad(size)};
    position.price = wad(30);
    position.state = protocols::positions::PositionState::Open;
    position.price_source = "Amm";
    return position;
}

std::shared_ptr<const Snapshot> snapshot_of(std::vector<Position> positions, std::uint64_t block)
{
    auto snapshot = std::make_shared<Snapshot>();
    snapshot->block.number = block;
    snapshot->block.timestamp = 1700000000 + block * 12;
    snapshot->positions = std::move(positions);
    return snapshot;
}

}  // namespace

/// The positions table model against real snapshot diffs: rows come and
/// go by insertion and removal, a changed figure signals only its row's
/// changed cells, never a reset.
class PositionTableModelTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void firstSnapshotInsertsEveryRowOnce()
    {
        PositionTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        feed(model, {pool_loan(1, 1, 2.0), pool_loan(1, 2, 1.3), pool_loan(2, 3, 1.05)});
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(reset.count(), 0);
        QCOMPARE(model.data(model.index(1, PositionTableModel::Health)).toString(), QStringLiteral("HF 1.300"));
        QCOMPARE(model.data(model.index(1, PositionTableModel::Token)).toString(), QStringLiteral("#2"));
    }

    void aMovedHealthSignalsOnlyItsRowAndHighlightsIt()
    {
        PositionTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        feed(model, {pool_loan(1, 1, 2.0), pool_loan(1, 2, 1.3), pool_loan(2, 3, 1.05)});
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        feed(model, {pool_loan(1, 1, 2.0), pool_loan(1, 2, 1.2), pool_loan(2, 3, 1.05)});
        QCOMPARE(changed.count(), 1);
        const auto top = changed.first().at(0).value<QModelIndex>();
        const auto bottom = changed.first().at(1).value<QModelIndex>();
        QCOMPARE(top.row(), 1);
        QCOMPARE(bottom.row(), 1);
        QVERIFY(top.column() <= PositionTableModel::Health && bottom.column() >= PositionTableModel::Health);
        QCOMPARE(inserted.count(), 0);
        QCOMPARE(removed.count(), 0);
        QCOMPARE(model.data(model.index(1, PositionTableModel::Health)).toString(), QStringLiteral("HF 1.200"));
        QVERIFY(model.data(model.index(1, PositionTableModel::Health), Qt::BackgroundRole).isValid());
        QVERIFY(!model.data(model.index(0, PositionTableModel::Health), Qt::BackgroundRole).isValid());
        // The highlight fades by itself.
        QTRY_VERIFY_WITH_TIMEOUT(!model.data(model.index(1, PositionTableModel::Health), Qt::BackgroundRole).isValid(), 5000);
    }

    void aMoveTooSmallToSeeIsNotHighlighted()
    {
        PositionTableModel model;
        feed(model, {pool_loan(1, 1, 2.0), pool_loan(1, 2, 1.3)});
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        // A block of interest: the health factor moves in its sixth decimal, the text shown does not.
        feed(model, {pool_loan(1, 1, 2.0), pool_loan(1, 2, 1.299999)});
        QCOMPARE(changed.count(), 1);
        QCOMPARE(model.data(model.index(1, PositionTableModel::Health)).toString(), QStringLiteral("HF 1.300"));
        QVERIFY(!model.data(model.index(1, PositionTableModel::Health), Qt::BackgroundRole).isValid());
        // The action follows the health: a critical row gets its button in the same signal.
        feed(model, {pool_loan(1, 1, 2.0), pool_loan(1, 2, 1.05)});
        QCOMPARE(changed.count(), 2);
        QVERIFY(changed.last().at(1).value<QModelIndex>().column() >= PositionTableModel::Action);
        QCOMPARE(model.data(model.index(1, PositionTableModel::Action)).toString(), QStringLiteral("Top up…"));
    }

    void anUnchangedBlockSignalsNothing()
    {
        PositionTableModel model;
        feed(model, {pool_loan(1, 1, 2.0), pool_loan(1, 2, 1.3)});
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        feed(model, {pool_loan(1, 1, 2.0), pool_loan(1, 2, 1.3)});
        QCOMPARE(changed.count(), 0);
    }

    void closedPositionsAreRemovedAndNewOnesAppended()
    {
        PositionTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        feed(model, {pool_loan(1, 1, 2.0), pool_loan(1, 2, 1.3), pool_loan(2, 3, 1.05)});
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        feed(model, {pool_loan(1, 1, 2.0), pool_loan(2, 3, 1.05), pool_loan(2, 4, 3.0)});
        QCOMPARE(removed.count(), 1);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.rowOf(pool_loan(1, 2, 1.3).key.id()), -1);
        QCOMPARE(model.rowOf(pool_loan(2, 3, 1.05).key.id()), 1);
        QCOMPARE(model.rowOf(pool_loan(2, 4, 3.0).key.id()), 2);
        QCOMPARE(model.data(model.index(2, PositionTableModel::Token)).toString(), QStringLiteral("#4"));
    }

    void riskFollowsTheThresholds()
    {
        PositionTableModel model;
        feed(model, {pool_loan(1, 1, 2.0), pool_loan(1, 2, 1.3), pool_loan(2, 3, 1.05)});
        QCOMPARE(risk(model, 0), RiskLevel::Safe);
        QCOMPARE(risk(model, 1), RiskLevel::Warning);
        QCOMPARE(risk(model, 2), RiskLevel::Critical);
        RiskThresholds strict;
        strict.health_warning = 2.5;
        strict.health_critical = 1.5;
        model.setThresholds(strict);
        QCOMPARE(risk(model, 0), RiskLevel::Warning);
        QCOMPARE(risk(model, 1), RiskLevel::Critical);
    }

    void staleDataIsShownAsStale()
    {
        PositionTableModel model;
        auto stale = pool_loan(1, 2, 1.3);
        stale.price_stale = true;
        feed(model, {pool_loan(1, 1, 2.0), stale});
        QVERIFY(!model.data(model.index(0, 0), PositionTableModel::StaleRole).toBool());
        QVERIFY(model.data(model.index(1, 0), PositionTableModel::StaleRole).toBool());
        QVERIFY(model.data(model.index(1, PositionTableModel::Collateral)).toString().contains(QStringLiteral("stale")));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setConnectionStale(true);
        QCOMPARE(changed.count(), 1);
        QVERIFY(model.data(model.index(0, 0), PositionTableModel::StaleRole).toBool());
        // The next snapshot is fresh again.
        feed(model, {pool_loan(1, 1, 2.0), stale});
        QVERIFY(!model.data(model.index(0, 0), PositionTableModel::StaleRole).toBool());
    }

    void anUnpricedLoanSaysSoInsteadOfAnEthValue()
    {
        // A P2P loan in a stablecoin: its debt is not in ETH and nothing is set against it.
        PositionTableModel model;
        auto loan = pool_loan(1, 2, 1.3);
        loan.key.protocol = protocols::positions::Protocol::Nftfi;
        loan.health_factor.reset();
        loan.collateral_value = U256();
        loan.debt = U256(1050000000);  // 1,050 of a 6-decimal token
        loan.unpriced = "the loan is in dUSD and the registry names no dUSD/ETH price";
        feed(model, {pool_loan(1, 1, 2.0), loan});
        QCOMPARE(model.data(model.index(1, PositionTableModel::Collateral)).toString(), QStringLiteral("unpriced"));
        QCOMPARE(model.data(model.index(1, PositionTableModel::Debt)).toString(), QStringLiteral("in another currency"));
        QVERIFY(model.data(model.index(0, PositionTableModel::Collateral)).toString().startsWith(QStringLiteral("30")));
    }

    void filtersByProtocolAccountCollectionAndRisk()
    {
        PositionTableModel model;
        PositionFilterModel filter;
        filter.setSourceModel(&model);
        QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setNames({{QString::fromStdString(address(0xc0).to_hex()), QStringLiteral("DAPE")}}, {});
        feed(model, {pool_loan(1, 1, 2.0), pool_loan(1, 2, 1.3), pool_loan(2, 3, 1.05)});
        QCOMPARE(filter.rowCount(), 3);
        filter.setAtRiskOnly(true);
        QCOMPARE(filter.rowCount(), 2);
        filter.setAccount(QString::fromStdString(address(2).to_hex()));
        QCOMPARE(filter.rowCount(), 1);
        filter.setAccount({});
        filter.setAtRiskOnly(false);
        filter.setProtocol(QStringLiteral("perp"));
        QCOMPARE(filter.rowCount(), 0);
        filter.setProtocol(QStringLiteral("benddao"));
        filter.setCollectionText(QStringLiteral("dap"));
        QCOMPARE(filter.rowCount(), 3);
        filter.setCollectionText(QStringLiteral("PXPK"));
        QCOMPARE(filter.rowCount(), 0);
        // Sorting by health puts the weakest first.
        filter.setCollectionText({});
        filter.sort(PositionTableModel::Health, Qt::AscendingOrder);
        QCOMPARE(filter.index(0, PositionTableModel::Token).data().toString(), QStringLiteral("#3"));
    }

    void theSortAndTheAtRiskFilterFollowEachBlock()
    {
        PositionTableModel model;
        PositionFilterModel filter;
        filter.setSourceModel(&model);
        QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
        filter.sort(PositionTableModel::Health, Qt::AscendingOrder);
        feed(model, {pool_loan(1, 1, 2.0), pool_loan(1, 2, 1.3), pool_loan(2, 3, 1.05), pool_loan(2, 4, 3.0)});
        QCOMPARE(filter.index(0, PositionTableModel::Token).data().toString(), QStringLiteral("#3"));
        filter.setAtRiskOnly(true);
        QCOMPARE(filter.rowCount(), 2);
        // #4 falls below everyone, #3 is repaid to safety: one block re-sorts and re-filters.
        feed(model, {pool_loan(1, 1, 2.0), pool_loan(1, 2, 1.3), pool_loan(2, 3, 2.5), pool_loan(2, 4, 1.01)});
        QCOMPARE(filter.rowCount(), 2);
        QCOMPARE(filter.index(0, PositionTableModel::Token).data().toString(), QStringLiteral("#4"));
        QCOMPARE(filter.index(1, PositionTableModel::Token).data().toString(), QStringLiteral("#2"));
        filter.setAtRiskOnly(false);
        QStringList order;
        for (int row = 0; row < filter.rowCount(); ++row) order << filter.index(row, PositionTableModel::Token).data().toString();
        QCOMPARE(order, (QStringList{QStringLiteral("#4"), QStringLiteral("#2"), QStringLiteral("#1"), QStringLiteral("#3")}));
        // Descending, as a click on the header asks.
        filter.sort(PositionTableModel::Health, Qt::DescendingOrder);
        QCOMPARE(filter.index(0, PositionTableModel::Token).data().toString(), QStringLiteral("#3"));
    }

    void aPerpSizeChangeReachesItsTokenCell()
    {
        PositionTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        feed(model, {pool_loan(1, 1, 2.0), perp(2, 1.5)});
        QCOMPARE(model.data(model.index(1, PositionTableModel::Token)).toString(), QStringLiteral("long 1.5"));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        // Only the size moves (a partial close at an unchanged margin ratio and value).
        feed(model, {pool_loan(1, 1, 2.0), perp(2, 0.5)});
        QCOMPARE(changed.count(), 1);
        const auto top = changed.first().at(0).value<QModelIndex>();
        const auto bottom = changed.first().at(1).value<QModelIndex>();
        QCOMPARE(top.row(), 1);
        QVERIFY(top.column() <= PositionTableModel::Token && bottom.column() >= PositionTableModel::Token);
        QCOMPARE(model.data(model.index(1, PositionTableModel::Token)).toString(), QStringLiteral("long 0.5"));
    }

    void everyChangedFieldMapsToAColumnOrIsDeliberatelyHidden()
    {
        // The table shows every figure the diff reports; one it left out on purpose would be listed here.
        const std::set<protocols::positions::PositionField> hidden;
        for (std::size_t i = 0; i < protocols::positions::kPositionFieldCount; ++i) {
            const auto field = static_cast<protocols::positions::PositionField>(i);
            const int column = PositionTableModel::columnOfField(field);
            if (hidden.contains(field)) {
                QCOMPARE(column, PositionTableModel::kNotShown);
                continue;
            }
            QVERIFY2(column >= 0 && column < PositionTableModel::ColumnCount, protocols::positions::json_name(field).data());
        }
    }

private:
    void feed(PositionTableModel& model, std::vector<Position> positions)
    {
        auto next = snapshot_of(std::move(positions), ++m_block);
        const auto previous = model.snapshot();
        model.applySnapshot(next, protocols::positions::diff_snapshots(previous.get(), *next));
    }

    static RiskLevel risk(const PositionTableModel& model, int row)
    {
        return static_cast<RiskLevel>(model.data(model.index(row, 0), PositionTableModel::RiskRole).toInt());
    }

    std::uint64_t m_block = 0;
};

NFTTERM_TEST_WIDGETS(PositionTableModelTest)
#include "position_table_model_test.moc"
