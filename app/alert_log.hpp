#pragma once

#include <protocols/risk/alerts.hpp>

#include <QString>

#include <expected>
#include <memory>
#include <set>
#include <string>

namespace nftterm::app {

/// Every alert event (firing, resolved) and what the user did with it
/// (acknowledged, snoozed) in an SQLite file of its own (mode 0600), so the
/// record survives restarts and an acknowledged alert stays quiet after one.
/// Used on one thread (the GUI's: a few rows per block).
class AlertLog {
public:
    [[nodiscard]] static std::expected<std::unique_ptr<AlertLog>, QString> open(const QString& file);
    ~AlertLog();

    [[nodiscard]] std::expected<void, QString> record(const protocols::risk::Alert& alert, qint64 at);
    /// "acknowledged" or "snoozed" (until: unix time) by the user.
    [[nodiscard]] std::expected<void, QString> record_user(const std::string& id, const char* action, qint64 at, qint64 until = 0);
    /// The alerts whose newest event is the user's acknowledgement (not resolved since).
    std::set<std::string> acknowledged() const;
    /// How many events are recorded (tests, diagnostics).
    int count() const;

private:
    explicit AlertLog(QString connection) : m_connection(std::move(connection)) {}
    QString m_connection;
};

}  // namespace nftterm::app
