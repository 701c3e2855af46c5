#include "position_table_model.hpp"

#include "position_format.hpp"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QFont>
#include <QTimer>

#include <algorithm>

namespace nftterm::ui {

using protocols::positions::Position;
using protocols::positions::PositionChange;
using protocols::positions::PositionField;
using protocols::positions::Snapshot;

namespace {

/// How long a moved health stays highlighted.
constexpr int kFlashMs = 1500;


QColor risk_colour(RiskLevel level)
{
    switch (level) {
    case RiskLevel::Critical: return QColor(0xc6, 0x28, 0x28);
    case RiskLevel::Warning: return QColor(0xef, 0x8f, 0x00);
    case RiskLevel::Safe: return QColor(0x2e, 0x7d, 0x32);
    case RiskLevel::Unknown: break;
    }
    return QColor(0x75, 0x75, 0x75);
}

}  // namespace

int PositionTableModel::columnOfField(PositionField field)
{
    switch (field) {
    case PositionField::CollateralValue:
    case PositionField::ExitValue:
    case PositionField::Pnl:
    case PositionField::PriceSource:
    case PositionField::PriceStale: return Collateral;
    case PositionField::Debt: return Debt;
    case PositionField::HealthFactor:
    case PositionField::MarginRatio: return Health;
    case PositionField::Price:
    case PositionField::LiquidationPrice: return LiquidationPrice;
    case PositionField::Maturity: return Maturity;
    case PositionField::CostPerDay: return DailyCost;
    case PositionField::Size: return Token;
    case PositionField::State:
    case PositionField::Readable: return State;
    }
    return kNotShown;
}

PositionTableModel::PositionTableModel(QObject* parent) : QAbstractTableModel(parent), m_flash_timer(new QTimer(this))
{
    m_clock.start();
    m_flash_timer->setSingleShot(true);
    connect(m_flash_timer, &QTimer::timeout, this, &PositionTableModel::endFlashes);
}

PositionTableModel::~PositionTableModel() = default;

int PositionTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int PositionTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

void PositionTableModel::setNames(QHash<QString, QString> collection_symbols, QHash<QString, QString> account_labels)
{
    m_collection_symbols = std::move(collection_symbols);
    m_account_labels = std::move(account_labels);
    if (!m_rows.empty()) Q_EMIT dataChanged(index(0, Account), index(rowCount() - 1, Collection));
}

void PositionTableModel::setThresholds(const RiskThresholds& thresholds)
{
    m_thresholds = thresholds;
    for (std::size_t row = 0; row < m_rows.size(); ++row) m_health_key[row] = healthKey(m_rows[row]);
    if (!m_rows.empty()) Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void PositionTableModel::applySnapshot(std::shared_ptr<const Snapshot> snapshot, const std::vector<PositionChange>& changes)
{
    if (!snapshot) return;
    const bool was_stale = m_connection_stale;
    m_connection_stale = false;
    m_snapshot = std::move(snapshot);
    const auto& after = m_snapshot->positions;

    // Removals first (from the bottom, so the rows above keep their numbers).
    std::vector<int> removed;
    for (const auto& change : changes)
        if (change.kind == PositionChange::Kind::Removed)
            if (const auto found = m_row_of.find(change.id); found != m_row_of.end()) removed.push_back(found->second);
    std::sort(removed.rbegin(), removed.rend());
    for (const int row : removed) {
        beginRemoveRows({}, row, row);
        m_row_of.erase(m_rows[static_cast<std::size_t>(row)].key.id());
        m_rows.erase(m_rows.begin() + row);
        m_flash_until.erase(m_flash_until.begin() + row);
        m_health_key.erase(m_health_key.begin() + row);
        for (auto& [id, at] : m_row_of)
            if (at > row) --at;
        endRemoveRows();
    }

    // Changes in place: only the changed cells are signalled.
    const qint64 now = m_clock.elapsed();
    bool flashing = false;
    for (const auto& change : changes) {
        if (change.kind != PositionChange::Kind::Changed || !change.after_index) continue;
        const auto found = m_row_of.find(change.id);
        if (found == m_row_of.end()) continue;
        const int row = found->second;
        // Highlighted only when the health shown moves (not for interest in the sixth decimal each block).
        const bool health_moved = display(m_rows[static_cast<std::size_t>(row)], Health) != display(after[*change.after_index], Health);
        m_rows[static_cast<std::size_t>(row)] = after[*change.after_index];
        m_health_key[static_cast<std::size_t>(row)] = healthKey(after[*change.after_index]);
        int first = ColumnCount, last = -1;
        change.fields.for_each([&](PositionField field) {
            const int column = columnOfField(field);
            if (column < 0) return;
            first = std::min(first, column);
            last = std::max(last, column);
            if (column == Health && health_moved) {
                m_flash_until[static_cast<std::size_t>(row)] = now + kFlashMs;
                flashing = true;
            }
        });
        // Distance follows the price and the liquidation price; the action follows the health.
        if (last >= LiquidationPrice || (first <= Collateral && last >= Collateral)) last = std::max(last, int(Distance));
        if (first <= Health && last >= Health) last = std::max(last, int(Action));
        if (last >= 0) Q_EMIT dataChanged(index(row, first), index(row, last));
    }

    // Additions at the end, in one insertion.
    std::vector<std::size_t> added;
    for (const auto& change : changes)
        if (change.kind == PositionChange::Kind::Added && change.after_index && !m_row_of.contains(change.id)) added.push_back(*change.after_index);
    if (!added.empty()) {
        const int first = rowCount();
        beginInsertRows({}, first, first + static_cast<int>(added.size()) - 1);
        for (const std::size_t at : added) {
            m_row_of.emplace(after[at].key.id(), rowCount());
            m_rows.push_back(after[at]);
            m_flash_until.push_back(0);
            m_health_key.push_back(healthKey(after[at]));
        }
        endInsertRows();
    }
    if (was_stale && !m_rows.empty()) Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    if (flashing) m_flash_timer->start(kFlashMs);
    Q_EMIT snapshotApplied(m_snapshot->block.number);
}

void PositionTableModel::setConnectionStale(bool stale)
{
    if (stale == m_connection_stale) return;
    m_connection_stale = stale;
    if (!m_rows.empty()) Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void PositionTableModel::endFlashes()
{
    const qint64 now = m_clock.elapsed();
    for (std::size_t row = 0; row < m_flash_until.size(); ++row) {
        if (m_flash_until[row] == 0 || m_flash_until[row] > now) continue;
        m_flash_until[row] = 0;
        Q_EMIT dataChanged(index(static_cast<int>(row), Health), index(static_cast<int>(row), Health));
    }
}

const Position* PositionTableModel::positionAt(int row) const
{
    if (row < 0 || row >= rowCount()) return nullptr;
    return &m_rows[static_cast<std::size_t>(row)];
}

int PositionTableModel::rowOf(const std::string& id) const
{
    const auto found = m_row_of.find(id);
    return found == m_row_of.end() ? -1 : found->second;
}

QString PositionTableModel::collectionName(const wallet::Address& collection) const
{
    const QString hex = QString::fromStdString(collection.to_hex());
    return m_collection_symbols.value(hex, short_address(collection));
}

QVariant PositionTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount) return {};
    const Position& position = m_rows[static_cast<std::size_t>(index.row())];
    const std::uint64_t now = m_snapshot ? m_snapshot->block.timestamp : 0;
    const bool stale = m_connection_stale || position.price_stale || !position.readable;
    switch (role) {
    case Qt::DisplayRole: return display(position, index.column());
    case SortRole:
        if (index.column() == Health) return m_health_key[static_cast<std::size_t>(index.row())];
        return sortKey(position, index.column());
    case RiskRole: return int(risk_of(position, m_thresholds, now));
    case PositionIdRole: return QString::fromStdString(position.key.id());
    case ProtocolRole: return QString::fromUtf8(to_string(position.key.protocol));
    case AccountRole: return QString::fromStdString(position.key.account.to_hex());
    case CollectionRole: return collectionName(position.collection);
    case StaleRole: return stale;
    case Qt::TextAlignmentRole:
        return index.column() >= Collateral && index.column() <= DailyCost ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    case Qt::ForegroundRole:
        if (stale) return QBrush(QColor(0x9e, 0x9e, 0x9e));
        if (index.column() == Health || index.column() == Distance) return QBrush(risk_colour(risk_of(position, m_thresholds, now)));
        return {};
    case Qt::BackgroundRole:
        if (index.column() == Health && m_flash_until[static_cast<std::size_t>(index.row())] > m_clock.elapsed())
            return QBrush(QColor(0xff, 0xd5, 0x4f, 0x38));
        return {};
    case Qt::FontRole:
        if (stale) {
            QFont font;
            font.setItalic(true);
            return font;
        }
        if (index.column() == Health) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case Qt::ToolTipRole:
        if (!position.readable) return QString::fromStdString(position.unreadable_reason);
        if (m_connection_stale) return tr("The node is not answering: these figures are from block %1").arg(m_snapshot ? m_snapshot->block.number : 0);
        if (index.column() == Collateral)
            return tr("%1, %2 old%3").arg(QString::fromStdString(position.price_source), age_text(position.price_age_seconds),
                                         position.price_stale ? tr(" — stale") : QString());
        return QString::fromStdString(position.key.id());
    default: return {};
    }
}

QVariant PositionTableModel::display(const Position& position, int column) const
{
    const std::uint64_t now = m_snapshot ? m_snapshot->block.timestamp : 0;
    switch (column) {
    case Protocol: return protocol_name(position.key.protocol);
    case Account: {
        const QString hex = QString::fromStdString(position.key.account.to_hex());
        return m_account_labels.value(hex, short_address(position.key.account));
    }
    case Collection: return collectionName(position.collection);
    case Token:
        if (position.key.protocol == protocols::positions::Protocol::Sudoswap) return tr("pool");
        if (position.token_id) return QString(u'#' + QString::fromStdString(position.token_id->to_dec()));
        if (position.size) return QString((position.size->negative ? tr("short ") : tr("long ")) + amount_text(position.size->magnitude, 3));
        return tr("pool");
    case Collateral: {
        if (!position.readable) return tr("unreadable");
        if (!position.unpriced.empty()) return tr("unpriced");
        QString text = amount_text(position.collateral_value) + u' ' + age_text(position.price_age_seconds);
        if (position.price_stale || m_connection_stale) text += tr(" stale");
        return text;
    }
    case Debt:
        if (!position.unpriced.empty()) return tr("in another currency");
        return position.debt.is_zero() ? QString(u'—') : amount_text(position.debt);
    case Health:
        // In auction the pool reports no health factor: the loan is being liquidated.
        if (position.state == protocols::positions::PositionState::Auction) return tr("in auction");
        if (position.health_factor) return tr("HF %1").arg(wad_to_double(*position.health_factor), 0, 'f', 3);
        if (position.margin_ratio) return tr("MR %1 %").arg(signed_wad_to_double(*position.margin_ratio) * 100, 0, 'f', 2);
        if (position.maturity) return *position.maturity > now ? tr("due in %1").arg(age_text(*position.maturity - now)) : tr("overdue");
        return QString(u'—');
    case LiquidationPrice: return position.liquidation_price ? amount_text(*position.liquidation_price) : QString(u'—');
    case Distance: {
        if (position.state == protocols::positions::PositionState::Auction) return QString(u'—');
        const auto distance = distance_to_liquidation(position);
        return distance ? QString::number(*distance * 100, 'f', 1) + QStringLiteral(" %") : QString(u'—');
    }
    case Maturity:
        return position.maturity ? QDateTime::fromSecsSinceEpoch(static_cast<qint64>(*position.maturity)).toString(QStringLiteral("yyyy-MM-dd HH:mm"))
                                 : QString(u'—');
    case DailyCost: return position.cost_per_day ? QString::number(signed_wad_to_double(*position.cost_per_day), 'f', 4) : QString(u'—');
    case State: return QString::fromUtf8(to_string(position.state));
    case Action: {
        // A button on the rows that need one and can take one.
        // An auctioned loan is redeemed, not topped up.
        const bool can_top_up = has_top_up(position.key.protocol) && position.state != protocols::positions::PositionState::Auction;
        const auto risk = risk_of(position, m_thresholds, now);
        return can_top_up && position.readable && (risk == RiskLevel::Warning || risk == RiskLevel::Critical) ? tr("Top up…") : QString();
    }
    default: return {};
    }
}

QVariant PositionTableModel::sortKey(const Position& position, int column) const
{
    switch (column) {
    case Collateral: return wad_to_double(position.collateral_value);
    case Debt: return wad_to_double(position.debt);
    case Health: return healthKey(position);
    case LiquidationPrice: return position.liquidation_price ? wad_to_double(*position.liquidation_price) : 0.0;
    case Distance: return distance_to_liquidation(position).value_or(1e12);
    case Maturity: return position.maturity ? double(*position.maturity) : 1e18;
    case DailyCost: return position.cost_per_day ? signed_wad_to_double(*position.cost_per_day) : 0.0;
    default: return display(position, column);
    }
}

double PositionTableModel::healthKey(const Position& position) const
{
    // Pool loans and perps on one scale: how many times the critical level they hold.
    if (position.health_factor) return wad_to_double(*position.health_factor) / std::max(m_thresholds.health_critical, 1e-9);
    if (position.margin_ratio) return signed_wad_to_double(*position.margin_ratio) / std::max(m_thresholds.margin_critical, 1e-9);
    return 1e12;
}

QVariant PositionTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Protocol: return tr("Protocol");
    case Account: return tr("Account");
    case Collection: return tr("Collection");
    case Token: return tr("Token / size");
    case Collateral: return tr("Collateral (ETH, age)");
    case Debt: return tr("Debt / notional");
    case Health: return tr("Health");
    case LiquidationPrice: return tr("Liq. price");
    case Distance: return tr("To liquidation");
    case Maturity: return tr("Maturity");
    case DailyCost: return tr("Cost / day");
    case State: return tr("State");
    case Action: return tr("Action");
    default: return {};
    }
}

}  // namespace nftterm::ui
