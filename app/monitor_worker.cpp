#include "monitor_worker.hpp"

#include "error_words.hpp"
#include "worker_thread.hpp"

#include <protocols/eth/rpc/endpoint_url.hpp>


#include <QDateTime>
#include <QElapsedTimer>
#include <QTimer>

namespace nftterm::app {

namespace {

/// Discovery is saved this often (in refreshes), so a restart rescans little.
constexpr std::uint64_t kSaveEvery = 50;

}  // namespace

MonitorWorker::MonitorWorker(MonitorConfig config) : m_config(std::move(config)), m_alerts(m_config.alert_levels, m_config.alert_names)
{
    for (const auto& id : m_config.alerts_acknowledged) m_alerts.acknowledge(id);
}

namespace {

std::uint64_t unix_now()
{
    return static_cast<std::uint64_t>(QDateTime::currentSecsSinceEpoch());
}

}  // namespace

void MonitorWorker::raise(std::vector<protocols::risk::Alert> alerts)
{
    if (!alerts.empty()) Q_EMIT alertsRaised(AlertEvents{std::move(alerts)});
}

MonitorWorker::~MonitorWorker() = default;

void MonitorWorker::start()
{
    m_monitor = m_config.make_monitor ? m_config.make_monitor(m_config)
                                      : protocols::positions::make_node_monitor(m_config.node, m_config.registry, m_config.accounts);
    if (m_config.state_file) {
        // A cache that does not fit (another chain, a reorg) is ignored; a damaged one only costs a rescan.
        (void)m_monitor->load_state(*m_config.state_file);
    }
    // A long first scan (a mainnet history) says how far it is, and is saved as it goes: a restart goes on from there.
    m_monitor->on_discovery_progress([this](const protocols::positions::DiscoveryProgress& progress) {
        if (!progress.long_scan) return;
        if (m_config.state_file) (void)m_monitor->save_state(*m_config.state_file);
        ui::NodeStatus status;
        status.url = m_config.node.urls.empty() ? QString() : QString::fromStdString(protocols::eth::redact_url(m_config.node.urls.front()));
        status.chain_id = m_config.registry.chain_id;
        const double total = double(progress.head - progress.first_block + 1);
        const double done = double(progress.scanned_to - progress.first_block + 1);
        status.scanning = tr("blocks %L1 to %L2 of %L3 (%4 %), %L5 log requests")
                              .arg(progress.first_block)
                              .arg(progress.scanned_to)
                              .arg(progress.head)
                              .arg(100.0 * done / total, 0, 'f', 0)
                              .arg(progress.logs.requests);
        Q_EMIT statusChanged(status);
    });
    m_timer = new QTimer(this);
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &MonitorWorker::pollCatching);
    pollCatching();
}

void MonitorWorker::pollCatching()
{
    // A bug in one refresh (an overflow in an adapter, a JSON type error) costs that block, not the monitor.
    if (const auto error = run_catching([this] { poll(); })) {
        report_error(tr("a refresh stopped on an internal error (%1); trying again").arg(*error));
        m_timer->start(m_config.poll_ms);
    }
}

void MonitorWorker::stop()
{
    if (m_timer) m_timer->stop();
    if (m_monitor && m_config.state_file && m_refreshes > 0) (void)m_monitor->save_state(*m_config.state_file);
}

void MonitorWorker::setAccounts(const std::vector<wallet::Address>& accounts)
{
    m_config.accounts = accounts;
    if (!m_monitor) return;  // not started: start() uses them
    m_monitor->set_accounts(m_config.accounts);
    // The next poll refreshes even if the head has not moved; the diff against the last snapshot adds the new rows.
    m_head = 0;
    m_scanned_head = 0;
    m_healthy = false;
}

void MonitorWorker::report_error(const QString& message)
{
    m_healthy = false;
    ui::NodeStatus status;
    // Shown in the status bar: scheme, host and port only (an API key in the path stays out of sight).
    status.url = m_config.node.urls.empty() ? QString() : QString::fromStdString(protocols::eth::redact_url(m_config.node.urls.front()));
    status.chain_id = m_config.registry.chain_id;
    if (m_last) {
        status.block = m_last->block.number;
        status.block_time = static_cast<qint64>(m_last->block.timestamp);
    }
    status.error = message;
    Q_EMIT statusChanged(status);
    const std::uint64_t now = unix_now();
    if (!m_unreachable_since) m_unreachable_since = now;
    raise(m_alerts.observe_node(now - *m_unreachable_since, 0, m_head, now));
}

void MonitorWorker::poll()
{
    const auto schedule = [this] { m_timer->start(m_config.poll_ms); };
    auto head = m_monitor->head_number();
    if (!head) {
        report_error(words(head.error()));
        return schedule();
    }
    // Only once discovery has scanned to this head: a block that landed between a scan and its refresh
    // (the refresh reads the newest head) must still be scanned, or its new positions wait for another block.
    if (*head == m_scanned_head && m_healthy) return schedule();
    if (m_chain_key.empty()) {
        auto chain = m_monitor->chain_key();
        if (!chain) {
            report_error(words(chain.error()));
            return schedule();
        }
        m_chain_key = std::move(*chain);
    }
    const qint64 seen_at = QDateTime::currentMSecsSinceEpoch();
    QElapsedTimer clock;
    clock.start();
    auto found = m_monitor->discover();
    auto snapshot = found ? m_monitor->refresh() : std::unexpected(found.error());
    if (!snapshot) {
        report_error(words(snapshot.error()));
        return schedule();
    }
    SnapshotUpdate update;
    update.snapshot = *snapshot;
    update.changes = protocols::positions::diff_snapshots(m_last.get(), **snapshot);
    update.seen_at_ms = seen_at;
    update.refresh_ms = double(clock.nsecsElapsed()) / 1e6;
    update.stress = protocols::risk::stress(**snapshot);
    update.chain_key = m_chain_key;
    m_last = *snapshot;
    m_head = (*snapshot)->block.number;
    m_scanned_head = *head;
    m_healthy = true;
    if (m_config.state_file && ++m_refreshes % kSaveEvery == 1) (void)m_monitor->save_state(*m_config.state_file);

    ui::NodeStatus status;
    status.url = QString::fromStdString(protocols::eth::redact_url(m_config.node.urls.front()));
    status.chain_id = m_config.registry.chain_id;
    status.block = m_last->block.number;
    status.block_time = static_cast<qint64>(m_last->block.timestamp);
    status.refresh_ms = update.refresh_ms;
    status.healthy = true;
    const std::uint64_t now = unix_now();
    m_unreachable_since.reset();
    m_head_time = m_last->block.timestamp;
    Q_EMIT snapshotReady(update);
    Q_EMIT statusChanged(status);
    // After the table has its figures: a critical alert may wait on a second endpoint's read.
    protocols::risk::SecondOpinionSource second;
    if (m_monitor->has_second_opinion()) second = [this, snapshot = m_last] { return m_monitor->second_opinion(*snapshot); };
    auto alerts = m_alerts.observe(*m_last, now, second);
    auto node = m_alerts.observe_node(0, now > m_head_time ? now - m_head_time : 0, m_head, now);
    alerts.insert(alerts.end(), node.begin(), node.end());
    raise(std::move(alerts));
    schedule();
}

}  // namespace nftterm::app
