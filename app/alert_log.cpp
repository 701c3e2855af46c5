#include "alert_log.hpp"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <atomic>
#include <filesystem>

#include <fcntl.h>
#include <unistd.h>

namespace nftterm::app {

namespace {

constexpr const char* kAlertSchema =
    "CREATE TABLE IF NOT EXISTS alert_events (at INTEGER NOT NULL, id TEXT NOT NULL, event TEXT NOT NULL, rule TEXT, severity TEXT, "
    "position TEXT, account TEXT, message TEXT, value TEXT, threshold TEXT, block INTEGER, until INTEGER)";

}  // namespace

std::expected<std::unique_ptr<AlertLog>, QString> AlertLog::open(const QString& file)
{
    static std::atomic<int> next{0};
    const QString connection = QStringLiteral("nftterm-alerts-%1").arg(next++);
    std::error_code ignored;
    std::filesystem::create_directories(std::filesystem::path(file.toStdString()).parent_path(), ignored);
    // Private: it says which positions the user holds and how close they are to liquidation.
    if (const int fd = ::open(file.toLocal8Bit().constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600); fd >= 0) ::close(fd);
    std::unique_ptr<AlertLog> log(new AlertLog(connection));
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
    db.setDatabaseName(file);
    if (!db.open()) return std::unexpected(QStringLiteral("cannot open the alert log %1: %2").arg(file, db.lastError().text()));
    QSqlQuery query(db);
    (void)query.exec(QStringLiteral("PRAGMA busy_timeout=2000"));
    if (!query.exec(QString::fromLatin1(kAlertSchema)))
        return std::unexpected(QStringLiteral("%1 is not an alert log nftterm can use: %2").arg(file, query.lastError().text()));
    return log;
}

AlertLog::~AlertLog()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        if (db.isValid()) db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
}

std::expected<void, QString> AlertLog::record(const protocols::risk::Alert& alert, qint64 at)
{
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    query.prepare(QStringLiteral("INSERT INTO alert_events (at, id, event, rule, severity, position, account, message, value, threshold, block) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    query.addBindValue(at);
    query.addBindValue(QString::fromStdString(alert.id));
    query.addBindValue(alert.escalation ? QStringLiteral("escalated") : QString::fromUtf8(to_string(alert.state)));
    query.addBindValue(QString::fromStdString(alert.rule));
    query.addBindValue(QString::fromUtf8(to_string(alert.severity)));
    query.addBindValue(alert.position ? QString::fromStdString(*alert.position) : QString());
    query.addBindValue(alert.account ? QString::fromStdString(alert.account->to_hex()) : QString());
    query.addBindValue(QString::fromStdString(alert.message));
    query.addBindValue(QString::fromStdString(alert.value));
    query.addBindValue(QString::fromStdString(alert.threshold));
    query.addBindValue(static_cast<qlonglong>(alert.block));
    if (!query.exec()) return std::unexpected(QStringLiteral("cannot record an alert: %1").arg(query.lastError().text()));
    return {};
}

std::expected<void, QString> AlertLog::record_user(const std::string& id, const char* action, qint64 at, qint64 until)
{
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    query.prepare(QStringLiteral("INSERT INTO alert_events (at, id, event, until) VALUES (?, ?, ?, ?)"));
    query.addBindValue(at);
    query.addBindValue(QString::fromStdString(id));
    query.addBindValue(QString::fromLatin1(action));
    query.addBindValue(until);
    if (!query.exec()) return std::unexpected(QStringLiteral("cannot record the %1 alert: %2").arg(QString::fromLatin1(action), query.lastError().text()));
    return {};
}

std::set<std::string> AlertLog::acknowledged() const
{
    // Per alert, its newest event that is not an escalation or a snooze: acknowledged means still seen.
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    std::set<std::string> out;
    if (!query.exec(QStringLiteral("SELECT id, event FROM alert_events WHERE event IN ('firing', 'resolved', 'acknowledged') ORDER BY rowid")))
        return out;
    while (query.next()) {
        const std::string id = query.value(0).toString().toStdString();
        if (query.value(1).toString() == QStringLiteral("acknowledged")) out.insert(id);
        else if (query.value(1).toString() == QStringLiteral("resolved")) out.erase(id);
    }
    return out;
}

int AlertLog::count() const
{
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    return query.exec(QStringLiteral("SELECT COUNT(*) FROM alert_events")) && query.next() ? query.value(0).toInt() : 0;
}

}  // namespace nftterm::app
