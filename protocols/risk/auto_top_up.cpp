#include "auto_top_up.hpp"

#include <utility>

#include <nlohmann/json.hpp>

#include <set>

namespace nftterm::protocols::risk {

using wallet::U256;

Result<std::vector<AutoTopUpRule>> auto_top_up_rules_from_json(std::string_view text)
{
    const auto in = nlohmann::json::parse(text, nullptr, false);
    if (!in.is_object() || !in.contains("positions") || !in["positions"].is_array())
        return fail(Errc::Config, "auto top-up: the file is not {\"positions\": [...]}");
    std::vector<AutoTopUpRule> rules;
    for (const auto& entry : in["positions"]) {
        if (!entry.is_object()) return fail(Errc::Config, "auto top-up: each entry is an object");
        static const std::set<std::string> keys{"position", "trigger", "target", "maxPerAction", "maxPerDay"};
        for (const auto& [key, value] : entry.items())
            if (!keys.contains(key)) return fail(Errc::Config, "auto top-up: unknown key \"" + key + "\"");
        for (const auto& key : keys)
            if (!entry.contains(key) || !entry[key].is_string()) return fail(Errc::Config, "auto top-up: every entry needs \"" + key + "\" as a string");
        const auto number = [&](const char* key) -> Result<U256> {
            auto parsed = U256::parse_units(entry[key].get<std::string>(), 18);
            if (!parsed) return fail(Errc::Config, std::string("auto top-up: ") + key + " is not a decimal number: " + entry[key].dump());
            return *parsed;
        };
        AutoTopUpRule rule;
        rule.position = entry["position"].get<std::string>();
        for (auto [key, field] : {std::pair{"trigger", &rule.trigger}, {"target", &rule.target}, {"maxPerAction", &rule.max_per_action}, {"maxPerDay", &rule.max_per_day}}) {
            auto parsed = number(key);
            if (!parsed) return std::unexpected(parsed.error());
            *field = *parsed;
        }
        if (rule.target <= rule.trigger) return fail(Errc::Config, "auto top-up: the target of " + rule.position + " must be above its trigger");
        rules.push_back(std::move(rule));
    }
    return rules;
}

std::optional<U256> health_for_rules(const positions::Position& position)
{
    if (position.health_factor) return *position.health_factor;
    if (position.margin_ratio) return position.margin_ratio->negative ? U256(0) : position.margin_ratio->magnitude;
    return std::nullopt;
}

AutoTopUpGuard::AutoTopUpGuard(std::vector<AutoTopUpRule> rules) : m_rules(std::move(rules)) {}

const AutoTopUpRule* AutoTopUpGuard::wants(const positions::Position& position, std::uint64_t block)
{
    if (!position.readable || position.state == positions::PositionState::Auction) return nullptr;
    const std::string id = position.key.id();
    for (const auto& rule : m_rules) {
        if (rule.position != id) continue;
        const auto health = health_for_rules(position);
        if (!health) return nullptr;
        State& state = m_state[id];
        if (*health >= rule.trigger) {
            state.armed = true;  // recovered: the next crossing may act again
            state.held = false;
            return nullptr;
        }
        if (!state.armed || state.last_block == block) return nullptr;
        return &rule;
    }
    return nullptr;
}

U256 AutoTopUpGuard::spent_today(const AutoTopUpRule& rule, std::uint64_t now) const
{
    const auto found = m_state.find(rule.position);
    if (found == m_state.end()) return U256(0);
    U256 total;
    for (const auto& [at, amount] : found->second.paid)
        if (at / 86400 == now / 86400) total = total + amount;
    return total;
}

std::optional<std::string> AutoTopUpGuard::refuses(const AutoTopUpRule& rule, const U256& amount, std::uint64_t now) const
{
    if (amount > rule.max_per_action)
        return "it needs " + amount.format_units(18) + ", above the cap of " + rule.max_per_action.format_units(18) + " per top-up";
    const U256 spent = spent_today(rule, now);
    if (spent + amount > rule.max_per_day)
        return "it needs " + amount.format_units(18) + " and " + spent.format_units(18) + " was paid today, above the cap of " +
               rule.max_per_day.format_units(18) + " a day";
    return std::nullopt;
}

bool AutoTopUpGuard::hold(const AutoTopUpRule& rule, std::uint64_t block)
{
    State& state = m_state[rule.position];
    state.last_block = block;
    return !std::exchange(state.held, true);
}

void AutoTopUpGuard::done(const AutoTopUpRule& rule, const U256& amount, std::uint64_t block, std::uint64_t now)
{
    State& state = m_state[rule.position];
    state.held = false;
    // A top-up that landed took the position to its target: the next fall below the trigger is a new
    // crossing, even if no block in between was seen. A refusal, a failure or a dry run waits for a
    // recovery seen on chain. The caps bound what either can cost.
    state.armed = amount > U256(0);
    state.last_block = block;
    if (amount > U256(0)) state.paid.emplace_back(now, amount);
}

}  // namespace nftterm::protocols::risk
