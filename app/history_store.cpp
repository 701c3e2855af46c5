#include "history_store.hpp"

#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>
#include <atomic>
#include <filesystem>

#include <fcntl.h>
#include <unistd.h>

namespace nftterm::app {

namespace {

constexpr const char* kSchema[] = {
    "CREATE TABLE IF NOT EXISTS position_samples ("
    " chain TEXT NOT NULL, position TEXT NOT NULL, block INTEGER NOT NULL, time INTEGER NOT NULL, collection TEXT,"
    " price REAL, liquidation_price REAL, health REAL, cost_per_day REAL,"
    " PRIMARY KEY (chain, position, block)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS collection_samples ("
    " chain TEXT NOT NULL, collection TEXT NOT NULL, block INTEGER NOT NULL, time INTEGER NOT NULL,"
    " oracle REAL, feed REAL, best_bid REAL, twap REAL,"
    " PRIMARY KEY (chain, collection, block)) WITHOUT ROWID",
};

QVariant value(const std::optional<double>& number)
{
    return number ? QVariant(*number) : QVariant(QMetaType::fromType<double>());
}

std::optional<double> number(const QVariant& value)
{
    return value.isNull() ? std::nullopt : std::optional<double>(value.toDouble());
}

QString failure(const QString& what, const QSqlError& error)
{
    return what + QStringLiteral(": ") + error.text();
}

}  // namespace

std::expected<std::unique_ptr<HistoryStore>, QString> HistoryStore::open(const QString& file)
{
    static std::atomic<int> next{0};
    const QString connection = QStringLiteral("nftterm-history-%1").arg(next++);
    std::error_code ignored;
    std::filesystem::create_directories(std::filesystem::path(file.toStdString()).parent_path(), ignored);
    // Created private (it tells which positions the user holds); SQLite gives its journal the same mode.
    if (const int fd = ::open(file.toLocal8Bit().constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600); fd >= 0) ::close(fd);
    // Owns the connection from here on: the destructor removes it on every path.
    std::unique_ptr<HistoryStore> store(new HistoryStore(connection));
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
    db.setDatabaseName(file);
    if (!db.open()) return std::unexpected(failure(QStringLiteral("cannot open the history file %1").arg(file), db.lastError()));
    QSqlQuery query(db);
    // WAL: the reader on another connection never blocks the writer.
    for (const char* statement : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA busy_timeout=2000"}) (void)query.exec(QString::fromLatin1(statement));
    for (const char* statement : kSchema) {
        if (!query.exec(QString::fromLatin1(statement)))
            return std::unexpected(failure(QStringLiteral("%1 is not a history file nftterm can use").arg(file), query.lastError()));
    }
    return store;
}

HistoryStore::HistoryStore(QString connection) : m_connection(std::move(connection)) {}

HistoryStore::~HistoryStore()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        if (db.isValid()) db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
}

std::expected<void, QString> HistoryStore::record(const QString& chain, const std::vector<PositionSample>& positions,
                                                  const std::vector<CollectionSample>& collections)
{
    if (positions.empty() && collections.empty()) return {};
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (!db.transaction()) return std::unexpected(failure(QStringLiteral("cannot write the history"), db.lastError()));
    QSqlQuery position(db);
    position.prepare(QStringLiteral("INSERT OR REPLACE INTO position_samples VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    for (const auto& sample : positions) {
        const auto& point = sample.point;
        for (const QVariant& bound : {QVariant(chain), QVariant(sample.position_id), QVariant(qint64(point.block)), QVariant(point.time),
                                      QVariant(sample.collection), value(point.price), value(point.liquidation_price), value(point.health),
                                      value(point.cost_per_day)})
            position.addBindValue(bound);
        if (!position.exec()) {
            db.rollback();
            return std::unexpected(failure(QStringLiteral("cannot write the history"), position.lastError()));
        }
    }
    QSqlQuery collection(db);
    collection.prepare(QStringLiteral("INSERT OR REPLACE INTO collection_samples VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    for (const auto& sample : collections) {
        for (const QVariant& bound : {QVariant(chain), QVariant(sample.collection), QVariant(qint64(sample.block)), QVariant(sample.time),
                                      value(sample.oracle), value(sample.feed), value(sample.best_bid), value(sample.twap)})
            collection.addBindValue(bound);
        if (!collection.exec()) {
            db.rollback();
            return std::unexpected(failure(QStringLiteral("cannot write the history"), collection.lastError()));
        }
    }
    if (!db.commit()) {
        db.rollback();
        return std::unexpected(failure(QStringLiteral("cannot write the history"), db.lastError()));
    }
    return {};
}

std::expected<void, QString> HistoryStore::prune(const QString& chain, qint64 keep_seconds)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (!db.transaction()) return std::unexpected(failure(QStringLiteral("cannot prune the history"), db.lastError()));
    QSqlQuery query(db);
    for (const char* table : {"position_samples", "collection_samples"}) {
        query.prepare(QStringLiteral("DELETE FROM %1 WHERE chain = ? AND time < (SELECT MAX(time) FROM %1 WHERE chain = ?) - ?").arg(QLatin1String(table)));
        query.addBindValue(chain);
        query.addBindValue(chain);
        query.addBindValue(keep_seconds);
        if (!query.exec()) {
            db.rollback();
            return std::unexpected(failure(QStringLiteral("cannot prune the history"), query.lastError()));
        }
    }
    if (!db.commit()) return std::unexpected(failure(QStringLiteral("cannot prune the history"), db.lastError()));
    return {};
}

std::expected<ui::PositionHistory, QString> HistoryStore::position_history(const QString& chain, const QString& position_id, int limit)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    ui::PositionHistory history{position_id, {}};
    QSqlQuery query(db);
    query.prepare(QStringLiteral("SELECT block, time, price, liquidation_price, health, cost_per_day, collection FROM position_samples"
                                 " WHERE chain = ? AND position = ? ORDER BY block DESC LIMIT ?"));
    query.addBindValue(chain);
    query.addBindValue(position_id);
    query.addBindValue(limit);
    if (!query.exec()) return std::unexpected(failure(QStringLiteral("cannot read the history"), query.lastError()));
    QString collection;
    std::vector<ui::HistoryPoint> own;
    while (query.next()) {
        ui::HistoryPoint point;
        point.block = query.value(0).toULongLong();
        point.time = query.value(1).toLongLong();
        point.price = number(query.value(2));
        point.liquidation_price = number(query.value(3));
        point.health = number(query.value(4));
        point.cost_per_day = number(query.value(5));
        collection = query.value(6).toString();
        own.push_back(point);
    }
    std::reverse(own.begin(), own.end());
    if (own.empty()) return history;

    // The collection's TWAP over the same blocks, as points of their own.
    std::vector<ui::HistoryPoint> twap;
    if (!collection.isEmpty()) {
        query.prepare(QStringLiteral("SELECT block, time, twap FROM collection_samples"
                                     " WHERE chain = ? AND collection = ? AND block >= ? AND twap IS NOT NULL ORDER BY block"));
        query.addBindValue(chain);
        query.addBindValue(collection);
        query.addBindValue(qint64(own.front().block));
        if (!query.exec()) return std::unexpected(failure(QStringLiteral("cannot read the history"), query.lastError()));
        while (query.next()) {
            ui::HistoryPoint point;
            point.block = query.value(0).toULongLong();
            point.time = query.value(1).toLongLong();
            point.twap = number(query.value(2));
            twap.push_back(point);
        }
    }
    history.points.reserve(own.size() + twap.size());
    std::merge(own.begin(), own.end(), twap.begin(), twap.end(), std::back_inserter(history.points),
               [](const ui::HistoryPoint& a, const ui::HistoryPoint& b) { return a.block < b.block; });
    return history;
}

}  // namespace nftterm::app
