#pragma once

#include <protocols/positions/monitor.hpp>
#include <protocols/positions/second_opinion.hpp>
#include <protocols/positions/snapshot_diff.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace nftterm::protocols::risk {

enum class Severity { Info, Warning, Critical };
enum class AlertState { Firing, Resolved };
/// What a second endpoint said of a health or margin alert about to turn
/// critical: the same figure below the level (Confirmed), could not be asked
/// or read (Unconfirmed: it fires critical and says so), or above it
/// (Contradicted: it fires as a warning that the endpoints disagree).
enum class Confirmation { Confirmed, Unconfirmed, Contradicted };
std::string_view to_string(Severity severity);
std::string_view to_string(AlertState state);
std::string_view to_string(Confirmation confirmation);

/// Asked, at most once per snapshot and only when a health or margin alert
/// is about to turn critical, for the same block read through another
/// endpoint. Empty: one endpoint is configured, nothing is confirmed.
using SecondOpinionSource = std::function<Result<positions::Witness>()>;

/// The levels the rules hold positions to. Health and margin levels are
/// WAD (1e18 = 1.0); a perp's margin levels are multiples of its
/// maintenance ratio (1.5e18: half again the maintenance margin).
struct AlertLevels {
    wallet::U256 health_warning = wallet::U256(1'200'000'000'000'000'000ULL);
    wallet::U256 health_critical = wallet::U256(1'050'000'000'000'000'000ULL);
    /// Re-arming: an alert resolves only once the value is back above the
    /// warning level plus this margin, so a position hovering at a level
    /// alerts once, not every block.
    wallet::U256 health_margin = wallet::U256(50'000'000'000'000'000ULL);
    wallet::U256 margin_warning_mmr = wallet::U256(2'000'000'000'000'000'000ULL);
    wallet::U256 margin_critical_mmr = wallet::U256(1'250'000'000'000'000'000ULL);
    wallet::U256 margin_margin_mmr = wallet::U256(250'000'000'000'000'000ULL);
    /// P2P loans: warning this long before maturity, critical this long before.
    std::uint64_t due_warning_seconds = 24 * 3600;
    std::uint64_t due_critical_seconds = 3600;
    /// Interest or funding per day (WAD of the position's currency) above which a warning fires; unset: off.
    std::optional<wallet::U256> cost_per_day_limit;
    /// A collection's oracle price moving more than this percent within the window fires a warning; 0: off.
    double price_move_percent = 10;
    std::uint64_t price_move_window_seconds = 15 * 60;
    /// The node: unreachable for this long is critical; its head this old is a warning (0: off).
    std::uint64_t node_unreachable_seconds = 30;
    std::uint64_t node_lagging_seconds = 120;
    /// A critical alert not acknowledged is notified again this often, never more often.
    std::uint64_t escalate_every_seconds = 15 * 60;
    /// The health a top-up suggested in a message aims at.
    wallet::U256 top_up_target = wallet::U256(1'500'000'000'000'000'000ULL);
};

/// One alert event: a rule that started firing (or changed severity), was
/// notified again (escalation), or resolved.
struct Alert {
    /// Stable across blocks and restarts: "<rule>:<position id>" or "<rule>:node".
    std::string id;
    /// "health", "margin", "due", "auction", "auction-ending", "liquidated", "cost", "price-move", "stale-price",
    /// "node-unreachable", "node-lagging", "endpoints-disagree".
    std::string rule;
    Severity severity = Severity::Info;
    AlertState state = AlertState::Firing;
    /// The position id as `positions --json` prints it; unset for node and collection alerts.
    std::optional<std::string> position;
    std::optional<wallet::Address> account;
    std::string message;
    /// The figure and the level it was compared with, as decimal text ("0.97", "1.00").
    std::string value;
    std::string threshold;
    std::uint64_t block = 0;
    /// True for a re-notification of a critical alert that was not acknowledged.
    bool escalation = false;
    /// The user acknowledged it already (before a restart): shown, not notified.
    bool acknowledged = false;
    /// A health or margin alert that turned critical while several endpoints are configured: what the second said.
    std::optional<Confirmation> confirmation;
};

/// Names for messages: "bob's DAPE #4 pool loan" rather than addresses.
struct AlertNames {
    std::map<wallet::Address, std::string> accounts;
    std::map<wallet::Address, std::string> collections;
};

/// The rules, fed block by block. Keeps each (rule, subject)'s state, so an
/// alert fires once when a level is crossed, changes severity when the next
/// is, and resolves once the value has recovered past the level plus the
/// margin. Qt-free, not thread-safe: one caller (the monitor's worker).
class AlertEngine {
public:
    explicit AlertEngine(AlertLevels levels = {}, AlertNames names = {});

    /// The events of one snapshot; `now` is unix time (escalation, price
    /// moves). With `second`, a health or margin alert turns critical only
    /// when another endpoint confirms it (see Confirmation).
    std::vector<Alert> observe(const positions::Snapshot& snapshot, std::uint64_t now, const SecondOpinionSource& second = {});
    /// The node's state: `seconds_unreachable` since the last answer (0: it
    /// answers), `head_age_seconds` the age of its newest block.
    std::vector<Alert> observe_node(std::uint64_t seconds_unreachable, std::uint64_t head_age_seconds, std::uint64_t block, std::uint64_t now);

    /// Stops re-notifying `id` until it resolves and fires again. An id not
    /// firing yet (acknowledged before a restart) is remembered: when it fires
    /// it comes out marked acknowledged.
    void acknowledge(const std::string& id);
    /// No notification of `id` before `until` (unix time); events still happen.
    void snooze(const std::string& id, std::uint64_t until);
    bool snoozed(const std::string& id, std::uint64_t now) const;

    /// The alerts firing now, by id.
    std::vector<Alert> firing() const;
    const AlertLevels& levels() const { return m_levels; }
    /// New levels from the next observation on: what fires keeps its state
    /// and moves (or resolves) by the new levels, with their re-arming margins.
    void set_levels(AlertLevels levels) { m_levels = std::move(levels); }

private:
    struct Track {
        Alert last;
        std::uint64_t notified_at = 0;
        bool acknowledged = false;
    };
    /// Applies one (rule, subject)'s new severity (nullopt: fine): an event when it changed.
    void update(const std::string& id, std::optional<Severity> severity, Alert alert, std::uint64_t now, std::vector<Alert>& out);
    void escalate(std::uint64_t now, std::vector<Alert>& out);
    std::string subject(const positions::Position& position) const;
    /// Whether the second endpoint also puts `position` below `critical`
    /// (`value_of` reads the figure the rule compares, `shown` writes it),
    /// and what it said, for the message.
    std::pair<Confirmation, std::string> confirm(const positions::Position& position,
                                                 const std::function<std::optional<wallet::U256>(const positions::Position&)>& value_of,
                                                 const wallet::U256& critical, const std::function<std::string(const wallet::U256&)>& shown);

    /// The second opinion for the snapshot being observed (asked once), and the positions it contradicted.
    const SecondOpinionSource* m_second = nullptr;
    std::optional<Result<positions::Witness>> m_witness;
    std::vector<std::string> m_contradicted;

    AlertLevels m_levels;
    AlertNames m_names;
    std::map<std::string, Track> m_tracks;
    std::map<std::string, std::uint64_t> m_snoozed;
    std::set<std::string> m_acknowledged_before;
    /// Each position as it was last read, to tell how it ended when it is gone.
    std::map<std::string, positions::Position> m_last_seen;
    /// Per collection, its oracle price by time (for price moves).
    std::map<wallet::Address, std::vector<std::pair<std::uint64_t, wallet::U256>>> m_prices;
};

/// The alert as the watcher prints it and the webhook posts it (one line of JSON).
std::string alert_to_json(const Alert& alert);

}  // namespace nftterm::protocols::risk
