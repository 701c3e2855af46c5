#include "perp_trigger_book.hpp"

#include <QFile>
#include <QSaveFile>

namespace nftterm::app {

PerpTriggerBook::PerpTriggerBook(std::filesystem::path file) : m_file(std::move(file))
{
    QFile in(QString::fromStdString(m_file.string()));
    if (!in.exists()) return;
    if (!in.open(QIODevice::ReadOnly)) {
        m_load_error = QObject::tr("Cannot read %1: %2").arg(in.fileName(), in.errorString());
        return;
    }
    const QByteArray text = in.readAll();
    auto triggers = protocols::risk::perp_triggers_from_json(std::string_view(text.constData(), std::size_t(text.size())));
    if (!triggers) {
        m_load_error = QObject::tr("%1: %2 — no stop-loss or take-profit is active until it is fixed").arg(in.fileName(), QString::fromStdString(triggers.error().message()));
        return;
    }
    m_guard = protocols::risk::PerpTriggerGuard(std::move(*triggers));
}

std::optional<protocols::risk::PerpTrigger> PerpTriggerBook::triggerFor(const std::string& position) const
{
    for (const auto& trigger : m_guard.triggers())
        if (trigger.position == position) return trigger;
    return std::nullopt;
}

std::expected<void, QString> PerpTriggerBook::set(const protocols::risk::PerpTrigger& trigger)
{
    auto next = m_guard;
    next.set(trigger);
    // Written whole to a temporary and renamed: a crash leaves the old file or the new one.
    QSaveFile out(QString::fromStdString(m_file.string()));
    const std::string text = protocols::risk::perp_triggers_to_json(next.triggers());
    if (!out.open(QIODevice::WriteOnly) || out.write(text.data(), qint64(text.size())) != qint64(text.size()) || !out.commit())
        return std::unexpected(QObject::tr("Cannot write %1: %2 — the trigger was not set").arg(out.fileName(), out.errorString()));
    m_guard = std::move(next);
    m_load_error.reset();
    return {};
}

std::vector<PerpTriggerBook::Crossing> PerpTriggerBook::crossings(const protocols::positions::Snapshot& snapshot)
{
    std::vector<Crossing> out;
    for (const auto& position : snapshot.positions) {
        const auto wanted = m_guard.wants(position, snapshot.block.number);
        if (!wanted) continue;
        const auto& [trigger, level] = *wanted;
        out.push_back({position, *trigger, level});
        m_guard.done(*trigger, snapshot.block.number);
    }
    return out;
}

}  // namespace nftterm::app
