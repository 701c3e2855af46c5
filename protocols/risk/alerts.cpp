#include "alerts.hpp"

#include <protocols/positions/fixed_point.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <set>
#include <tuple>

namespace nftterm::protocols::risk {

using namespace positions;
using wallet::U256;

namespace {

/// A WAD as decimal text with `places` decimals (truncated): "0.97".
std::string decimal(const U256& wad, unsigned places = 2)
{
    std::string text = wad.format_units(18);
    const auto dot = text.find('.');
    if (dot == std::string::npos) return text + "." + std::string(places, '0');
    text.resize(std::min(text.size(), dot + 1 + places), '0');
    while (text.size() < dot + 1 + places) text += '0';
    return text;
}

std::string short_address(const wallet::Address& address)
{
    const std::string hex = address.to_hex();
    return hex.substr(0, 6) + "…" + hex.substr(hex.size() - 4);
}

std::string duration_text(std::uint64_t seconds)
{
    if (seconds >= 2 * 3600) return std::to_string(seconds / 3600) + " h";
    if (seconds >= 120) return std::to_string(seconds / 60) + " min";
    return std::to_string(seconds) + " s";
}

/// The severity a value below `warning` / `critical` (with re-arming `margin`)
/// has now, given the severity it had: lower is worse.
std::optional<Severity> with_hysteresis(const U256& value, const U256& warning, const U256& critical, const U256& margin,
                                        std::optional<Severity> was)
{
    const bool recovered = value >= warning + margin;
    if (!was) {
        if (value < critical) return Severity::Critical;
        if (value < warning) return Severity::Warning;
        return std::nullopt;
    }
    if (recovered) return std::nullopt;
    if (value < critical) return Severity::Critical;
    if (*was == Severity::Critical && value < critical + margin) return Severity::Critical;
    return Severity::Warning;
}

}  // namespace

std::string_view to_string(Severity severity)
{
    switch (severity) {
    case Severity::Info: return "info";
    case Severity::Warning: return "warning";
    case Severity::Critical: return "critical";
    }
    return "info";
}

std::string_view to_string(AlertState state)
{
    switch (state) {
    case AlertState::Firing: return "firing";
    case AlertState::Resolved: return "resolved";
    }
    return "firing";
}

std::string_view to_string(Confirmation confirmation)
{
    switch (confirmation) {
    case Confirmation::Confirmed: return "confirmed";
    case Confirmation::Unconfirmed: return "unconfirmed";
    case Confirmation::Contradicted: return "contradicted";
    }
    return "unconfirmed";
}

AlertEngine::AlertEngine(AlertLevels levels, AlertNames names) : m_levels(std::move(levels)), m_names(std::move(names)) {}

std::string AlertEngine::subject(const Position& position) const
{
    const auto account = m_names.accounts.find(position.key.account);
    const auto collection = m_names.collections.find(position.collection);
    std::string text = (account != m_names.accounts.end() ? account->second : short_address(position.key.account)) + "'s ";
    text += collection != m_names.collections.end() ? collection->second : short_address(position.collection);
    switch (position.key.protocol) {
    case Protocol::BendDao: return text + " #" + (position.token_id ? position.token_id->to_dec() : "?") + " pool loan";
    case Protocol::Nftfi: return text + " #" + (position.token_id ? position.token_id->to_dec() : "?") + " P2P loan";
    case Protocol::Perp:
        return text + (position.size && position.size->negative ? " short " : " long ") + (position.size ? decimal(position.size->magnitude, 3) : "?") + " perp";
    case Protocol::Sudoswap: return text + " pool";
    }
    return text;
}

std::pair<Confirmation, std::string> AlertEngine::confirm(const Position& position,
                                                         const std::function<std::optional<U256>(const Position&)>& value_of, const U256& critical,
                                                         const std::function<std::string(const U256&)>& shown)
{
    if (!m_witness) m_witness = (*m_second)();
    if (!*m_witness) return {Confirmation::Unconfirmed, " (not confirmed: the second endpoint could not be read: " + m_witness->error().message() + ")"};
    const Witness& witness = **m_witness;
    const std::string id = position.key.id();
    const auto found = std::find_if(witness.snapshot->positions.begin(), witness.snapshot->positions.end(), [&](const Position& p) { return p.key.id() == id; });
    const std::optional<U256> value = found != witness.snapshot->positions.end() && found->readable ? value_of(*found) : std::nullopt;
    if (!value) return {Confirmation::Unconfirmed, " (not confirmed: " + witness.endpoint + " could not read this position)"};
    if (*value < critical) return {Confirmation::Confirmed, " (confirmed by " + witness.endpoint + ")"};
    m_contradicted.push_back(id);
    return {Confirmation::Contradicted, "; but " + witness.endpoint + " reads " + shown(*value) + " at the same block: the endpoints disagree, so this is not critical until they agree"};
}

void AlertEngine::update(const std::string& id, std::optional<Severity> severity, Alert alert, std::uint64_t now, std::vector<Alert>& out)
{
    const auto found = m_tracks.find(id);
    const std::optional<Severity> was = found == m_tracks.end() ? std::nullopt : std::optional<Severity>(found->second.last.severity);
    if (severity == was) {
        if (found != m_tracks.end() && severity) {
            // Still firing: keep the figures current for the window, without an event.
            alert.id = id;
            alert.severity = *severity;
            alert.acknowledged = found->second.last.acknowledged;
            found->second.last = std::move(alert);
        }
        return;
    }
    alert.id = id;
    if (!severity) {
        alert = found->second.last;
        alert.state = AlertState::Resolved;
        alert.escalation = false;
        m_tracks.erase(found);
        m_snoozed.erase(id);
        m_acknowledged_before.erase(id);
        out.push_back(std::move(alert));
        return;
    }
    alert.severity = *severity;
    alert.state = AlertState::Firing;
    // Acknowledged before a restart: it comes back seen, once; a later change of severity is news again.
    alert.acknowledged = !was && m_acknowledged_before.erase(id) > 0;
    Track& track = m_tracks[id];
    track.last = alert;
    track.notified_at = now;
    track.acknowledged = alert.acknowledged;
    out.push_back(std::move(alert));
}

std::vector<Alert> AlertEngine::observe(const Snapshot& snapshot, std::uint64_t now, const SecondOpinionSource& second)
{
    std::vector<Alert> out;
    m_second = second ? &second : nullptr;
    m_witness.reset();
    m_contradicted.clear();
    const std::uint64_t block = snapshot.block.number;
    const std::uint64_t chain_now = snapshot.block.timestamp;
    std::set<std::string> seen;
    const auto base = [&](const Position& p, const std::string& rule) {
        Alert alert;
        alert.rule = rule;
        alert.position = p.key.id();
        alert.account = p.key.account;
        alert.block = block;
        return alert;
    };
    const auto track_id = [](const std::string& rule, const std::string& position) { return rule + ":" + position; };

    for (const Position& p : snapshot.positions) {
        const std::string position_id = p.key.id();
        seen.insert(position_id);
        if (!p.readable) continue;  // no figures: its alerts stay as they were
        m_last_seen.insert_or_assign(position_id, p);
        const auto current = [&](const std::string& id) {
            const auto found = m_tracks.find(id);
            return found == m_tracks.end() ? std::nullopt : std::optional<Severity>(found->second.last.severity);
        };

        // Pool loans: in auction, else the health factor.
        if (p.key.protocol == Protocol::BendDao) {
            const std::string auction_id = track_id("auction", position_id);
            const bool in_auction = p.state == PositionState::Auction;
            const std::uint64_t redeem_left = in_auction && p.redeem_ends_at && *p.redeem_ends_at > chain_now ? *p.redeem_ends_at - chain_now : 0;
            Alert auction = base(p, "auction");
            auction.value = p.redeem_ends_at ? duration_text(redeem_left) : "in auction";
            auction.threshold = "active";
            auction.message = !p.redeem_ends_at ? subject(p) + " is in auction: redeem it within the redeem window or the NFT goes to the highest bidder"
                              : redeem_left > 0 ? subject(p) + " is in auction: redeem it within " + duration_text(redeem_left) +
                                                      " (part of the debt plus the first bidder's fine) or the NFT goes to the highest bidder"
                                                : subject(p) + " is in auction and its redeem window has closed: the NFT goes to the highest bidder";
            update(auction_id, in_auction ? std::optional(Severity::Critical) : std::nullopt, auction, now, out);
            // Said again, once, when less than an hour of the redeem window is left.
            Alert ending = auction;
            ending.rule = "auction-ending";
            ending.threshold = duration_text(3600);
            update(track_id("auction-ending", position_id), in_auction && redeem_left > 0 && redeem_left < 3600 ? std::optional(Severity::Critical) : std::nullopt,
                   ending, now, out);

            const std::string health_id = track_id("health", position_id);
            if (p.state == PositionState::Active && p.health_factor) {
                const U256& health = *p.health_factor;
                auto severity = with_hysteresis(health, m_levels.health_warning, m_levels.health_critical, m_levels.health_margin, current(health_id));
                Alert alert = base(p, "health");
                std::string said;
                if (severity == Severity::Critical && current(health_id) != Severity::Critical && m_second) {
                    const auto health_of = [](const Position& w) { return w.state == PositionState::Active ? w.health_factor : std::nullopt; };
                    std::tie(alert.confirmation, said) = confirm(p, health_of, m_levels.health_critical, [](const U256& v) { return "health " + decimal(v); });
                    if (alert.confirmation == Confirmation::Contradicted) severity = Severity::Warning;
                }
                const U256& level = severity == Severity::Critical ? m_levels.health_critical : m_levels.health_warning;
                alert.value = decimal(health);
                alert.threshold = decimal(level);
                alert.message = subject(p) + ": health " + alert.value + " < " + alert.threshold;
                alert.message += health < fixed::wad() ? ", liquidatable now" : p.liquidation_price ? ", liquidatable below " + decimal(*p.liquidation_price, 4) + " ETH" : "";
                // Repaying debt·(1 − HF/target) brings the health factor to the target.
                if (health < m_levels.top_up_target && m_levels.top_up_target > U256(0)) {
                    const U256 repay = p.debt - *U256::mul_div(p.debt, health, m_levels.top_up_target);
                    alert.message += "; top up " + decimal(repay, 4) + " to reach " + decimal(m_levels.top_up_target, 2);
                }
                alert.message += said;
                update(health_id, severity, alert, now, out);
            } else if (p.state != PositionState::Active) {
                update(health_id, std::nullopt, {}, now, out);  // the auction alert speaks for it now
            }
        }

        // Perps: the margin ratio as a multiple of the maintenance ratio.
        if (p.key.protocol == Protocol::Perp && p.margin_ratio && p.maintenance_ratio && *p.maintenance_ratio > U256(0)) {
            const std::string margin_id = track_id("margin", position_id);
            const U256 ratio = p.margin_ratio->negative ? U256(0) : p.margin_ratio->magnitude;
            const U256 multiple = fixed::wad_div(ratio, *p.maintenance_ratio);
            auto severity = with_hysteresis(multiple, m_levels.margin_warning_mmr, m_levels.margin_critical_mmr, m_levels.margin_margin_mmr, current(margin_id));
            Alert alert = base(p, "margin");
            std::string said;
            if (severity == Severity::Critical && current(margin_id) != Severity::Critical && m_second) {
                const auto multiple_of = [](const Position& w) -> std::optional<U256> {
                    if (!w.margin_ratio || !w.maintenance_ratio || w.maintenance_ratio->is_zero()) return std::nullopt;
                    return fixed::wad_div(w.margin_ratio->negative ? U256(0) : w.margin_ratio->magnitude, *w.maintenance_ratio);
                };
                std::tie(alert.confirmation, said) = confirm(p, multiple_of, m_levels.margin_critical_mmr, [&](const U256& v) {
                    return "a margin ratio of " + decimal(fixed::mul_d(v, *p.maintenance_ratio) * U256(100), 2) + " %";
                });
                if (alert.confirmation == Confirmation::Contradicted) severity = Severity::Warning;
            }
            const U256& level = severity == Severity::Critical ? m_levels.margin_critical_mmr : m_levels.margin_warning_mmr;
            const U256 level_ratio = fixed::mul_d(level, *p.maintenance_ratio);
            alert.value = decimal(ratio, 4);
            alert.threshold = decimal(level_ratio, 4);
            alert.message = subject(p) + ": margin ratio " + decimal(ratio * U256(100), 2) + " % < " + decimal(level_ratio * U256(100), 2) + " % (" +
                            decimal(level, 2) + "× the maintenance " + decimal(*p.maintenance_ratio * U256(100), 2) + " %)";
            if (p.state == PositionState::Liquidatable) alert.message += ", liquidatable now";
            // Margin to add to reach the re-arm level: (target − ratio) × notional.
            const U256 target = fixed::mul_d(m_levels.margin_warning_mmr + m_levels.margin_margin_mmr, *p.maintenance_ratio);
            if (target > ratio) alert.message += "; add " + decimal(fixed::mul_d(target - ratio, p.debt), 4) + " margin to reach " + decimal(target * U256(100), 2) + " %";
            alert.message += said;
            update(margin_id, severity, alert, now, out);
        }

        // Fixed-term loans: due soon, overdue.
        if (p.key.protocol == Protocol::Nftfi && p.maturity) {
            const std::string due_id = track_id("due", position_id);
            std::optional<Severity> severity;
            Alert alert = base(p, "due");
            if (p.state == PositionState::Overdue || chain_now >= *p.maturity) {
                severity = Severity::Critical;
                alert.value = "overdue";
                alert.message = subject(p) + " is overdue since " + duration_text(chain_now - *p.maturity) + ": the lender may foreclose on the NFT now";
            } else {
                const std::uint64_t left = *p.maturity - chain_now;
                if (left < m_levels.due_critical_seconds) severity = Severity::Critical;
                else if (left < m_levels.due_warning_seconds) severity = Severity::Warning;
                alert.value = duration_text(left);
                alert.message = subject(p) + " is due in " + alert.value + ": repay " + decimal(p.debt, 4) + " before then or the lender may foreclose";
            }
            alert.threshold = duration_text(severity == Severity::Critical ? m_levels.due_critical_seconds : m_levels.due_warning_seconds);
            update(due_id, severity, alert, now, out);
        }

        // What it costs per day, above the limit.
        if (m_levels.cost_per_day_limit && p.cost_per_day) {
            const bool above = !p.cost_per_day->negative && p.cost_per_day->magnitude > *m_levels.cost_per_day_limit;
            Alert alert = base(p, "cost");
            alert.value = decimal(p.cost_per_day->magnitude, 4);
            alert.threshold = decimal(*m_levels.cost_per_day_limit, 4);
            alert.message = subject(p) + " costs " + alert.value + " a day in " + (p.key.protocol == Protocol::Perp ? "funding" : "interest") + ", above " + alert.threshold;
            update(track_id("cost", position_id), above ? std::optional(Severity::Warning) : std::nullopt, alert, now, out);
        }

        // A valuation on a stale oracle price.
        Alert stale = base(p, "stale-price");
        stale.value = duration_text(p.price_age_seconds);
        stale.threshold = "fresh";
        stale.message = subject(p) + " is valued on a stale " + p.price_source + " price (" + stale.value + " old): its health may be wrong";
        update(track_id("stale-price", position_id), p.price_stale ? std::optional(Severity::Warning) : std::nullopt, stale, now, out);
    }

    // Positions gone since the last block: how they ended (the contract's word, or the clock's), a liquidation
    // said once as critical, and their alerts resolved.
    std::map<std::string, PositionEnd> how;
    for (const auto& [key, end] : snapshot.ended) how.emplace(key.id(), end);
    std::vector<std::string> vanished;
    for (const auto& [id, last] : m_last_seen)
        if (!seen.contains(id)) vanished.push_back(id);
    for (const auto& id : vanished) {
        const Position last = std::move(m_last_seen.at(id));
        m_last_seen.erase(id);
        std::optional<PositionEnd> end;
        if (const auto said = how.find(id); said != how.end()) end = said->second;
        // NFTfi refuses a repayment after maturity: a loan gone past it was foreclosed.
        else if (last.key.protocol == Protocol::Nftfi && last.maturity) end = chain_now > *last.maturity ? PositionEnd::Liquidated : PositionEnd::Repaid;
        const std::string gone = end == PositionEnd::Repaid       ? "repaid"
                                 : end == PositionEnd::Liquidated ? (last.key.protocol == Protocol::Nftfi ? "foreclosed" : "liquidated")
                                 : last.key.protocol == Protocol::Perp     ? "closed or liquidated"
                                 : last.key.protocol == Protocol::Sudoswap ? "withdrawn"
                                                                           : "repaid, closed or liquidated";
        if (end == PositionEnd::Liquidated) {
            Alert liquidated = base(last, "liquidated");
            liquidated.id = track_id("liquidated", id);
            liquidated.severity = Severity::Critical;
            liquidated.value = gone;
            liquidated.threshold = "active";
            liquidated.message = subject(last) + (last.key.protocol == Protocol::Nftfi ? " was foreclosed: it was overdue and the lender took the NFT"
                                                                                        : " was liquidated: its auction ended and the NFT went to the highest bidder");
            liquidated.acknowledged = m_acknowledged_before.erase(liquidated.id) > 0;
            out.push_back(std::move(liquidated));  // a fact, not a state: said once, never escalated
        }
        std::vector<std::string> ids;
        for (const auto& [track, state] : m_tracks)
            if (state.last.position == id) ids.push_back(track);
        for (const auto& track : ids) {
            Alert alert = m_tracks[track].last;
            alert.message = subject(last) + ": the position is gone (" + gone + ")";
            alert.block = block;
            m_tracks[track].last = alert;
            update(track, std::nullopt, alert, now, out);
        }
    }

    // Collections whose oracle price moved fast.
    if (m_levels.price_move_percent > 0)
        for (const auto& prices : snapshot.prices) {
            if (!prices.oracle) continue;
            auto& samples = m_prices[prices.collection];
            samples.emplace_back(now, prices.oracle->price);
            std::erase_if(samples, [&](const auto& s) { return s.first + m_levels.price_move_window_seconds < now; });
            const U256& first = samples.front().second;
            const U256& last = samples.back().second;
            if (first.is_zero()) continue;
            const U256 moved = last > first ? last - first : first - last;
            const double percent = moved.native().convert_to<double>() / first.native().convert_to<double>() * 100.0;
            const auto symbol = m_names.collections.find(prices.collection);
            Alert alert;
            alert.rule = "price-move";
            alert.block = block;
            alert.value = std::to_string(static_cast<long long>(std::lround(last > first ? percent : -percent))) + " %";
            alert.threshold = std::to_string(static_cast<long long>(std::lround(m_levels.price_move_percent))) + " %";
            alert.message = (symbol != m_names.collections.end() ? symbol->second : short_address(prices.collection)) + " moved " + alert.value + " in " +
                            duration_text(m_levels.price_move_window_seconds) + " (" + decimal(first, 4) + " → " + decimal(last, 4) + " ETH, " +
                            prices.oracle->source + ")";
            update("price-move:" + prices.collection.to_hex(), percent > m_levels.price_move_percent ? std::optional(Severity::Warning) : std::nullopt,
                   alert, now, out);
        }

    // The endpoints disagree about a position that one of them puts below a critical level.
    if (m_second) {
        Alert disagree;
        disagree.rule = "endpoints-disagree";
        disagree.block = block;
        disagree.value = std::to_string(m_contradicted.size()) + (m_contradicted.size() == 1 ? " position" : " positions");
        disagree.threshold = "0 positions";
        if (!m_contradicted.empty() && *m_witness)
            disagree.message = "the endpoints disagree at block " + std::to_string(block) + ": " + (*m_witness)->endpoint + " does not see " +
                               m_contradicted.front() + (m_contradicted.size() > 1 ? " and " + std::to_string(m_contradicted.size() - 1) + " more" : "") +
                               " below the critical level; check which node is right";
        update("endpoints-disagree:node", m_contradicted.empty() ? std::nullopt : std::optional(Severity::Warning), disagree, now, out);
    }
    m_second = nullptr;
    escalate(now, out);
    return out;
}

std::vector<Alert> AlertEngine::observe_node(std::uint64_t seconds_unreachable, std::uint64_t head_age_seconds, std::uint64_t block, std::uint64_t now)
{
    std::vector<Alert> out;
    Alert down;
    down.rule = "node-unreachable";
    down.block = block;
    down.value = duration_text(seconds_unreachable);
    down.threshold = duration_text(m_levels.node_unreachable_seconds);
    down.message = "the node has not answered for " + down.value + ": positions are not being watched";
    update("node-unreachable:node", seconds_unreachable >= m_levels.node_unreachable_seconds ? std::optional(Severity::Critical) : std::nullopt, down, now, out);
    Alert lag;
    lag.rule = "node-lagging";
    lag.block = block;
    lag.value = duration_text(head_age_seconds);
    lag.threshold = duration_text(m_levels.node_lagging_seconds);
    lag.message = "the node's newest block is " + lag.value + " old: it may be out of sync";
    const bool lagging = m_levels.node_lagging_seconds > 0 && seconds_unreachable == 0 && head_age_seconds >= m_levels.node_lagging_seconds;
    update("node-lagging:node", lagging ? std::optional(Severity::Warning) : std::nullopt,
           lag, now, out);
    escalate(now, out);
    return out;
}

void AlertEngine::escalate(std::uint64_t now, std::vector<Alert>& out)
{
    for (auto& [id, track] : m_tracks) {
        if (track.last.severity != Severity::Critical || track.acknowledged || now < track.notified_at + m_levels.escalate_every_seconds) continue;
        if (std::any_of(out.begin(), out.end(), [&](const Alert& a) { return a.id == id; })) continue;
        track.notified_at = now;
        Alert again = track.last;
        again.id = id;
        again.escalation = true;
        out.push_back(std::move(again));
    }
}

void AlertEngine::acknowledge(const std::string& id)
{
    if (auto found = m_tracks.find(id); found != m_tracks.end()) found->second.acknowledged = true;
    else m_acknowledged_before.insert(id);
}

void AlertEngine::snooze(const std::string& id, std::uint64_t until)
{
    m_snoozed[id] = until;
}

bool AlertEngine::snoozed(const std::string& id, std::uint64_t now) const
{
    const auto found = m_snoozed.find(id);
    return found != m_snoozed.end() && now < found->second;
}

std::vector<Alert> AlertEngine::firing() const
{
    std::vector<Alert> out;
    for (const auto& [id, track] : m_tracks) {
        Alert alert = track.last;
        alert.id = id;
        out.push_back(std::move(alert));
    }
    return out;
}

std::string alert_to_json(const Alert& alert)
{
    const nlohmann::json out = {
        {"id", alert.id},
        {"rule", alert.rule},
        {"severity", to_string(alert.severity)},
        {"state", to_string(alert.state)},
        {"position", alert.position ? nlohmann::json(*alert.position) : nlohmann::json(nullptr)},
        {"account", alert.account ? nlohmann::json(alert.account->to_hex()) : nlohmann::json(nullptr)},
        {"message", alert.message},
        {"value", alert.value},
        {"threshold", alert.threshold},
        {"block", alert.block},
        {"escalation", alert.escalation},
        {"acknowledged", alert.acknowledged},
        {"confirmation", alert.confirmation ? nlohmann::json(to_string(*alert.confirmation)) : nlohmann::json(nullptr)},
    };
    return out.dump();
}

}  // namespace nftterm::protocols::risk
