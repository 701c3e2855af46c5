#include "perp_triggers.hpp"

#include <nlohmann/json.hpp>

#include <set>

namespace nftterm::protocols::risk {

using wallet::U256;

Result<std::vector<PerpTrigger>> perp_triggers_from_json(std::string_view text)
{
    const auto in = nlohmann::json::parse(text, nullptr, false);
    if (!in.is_object() || !in.contains("triggers") || !in["triggers"].is_array())
        return fail(Errc::Config, "triggers: the file is not {\"triggers\": [...]}");
    std::vector<PerpTrigger> out;
    for (const auto& entry : in["triggers"]) {
        if (!entry.is_object() || !entry.contains("position") || !entry["position"].is_string())
            return fail(Errc::Config, "triggers: each entry needs \"position\" (as positions --json names it)");
        static const std::set<std::string> keys{"position", "stopLoss", "takeProfit", "maxSlippageBps"};
        for (const auto& [key, value] : entry.items())
            if (!keys.contains(key)) return fail(Errc::Config, "triggers: unknown key \"" + key + "\"");
        PerpTrigger trigger;
        trigger.position = entry["position"].get<std::string>();
        for (auto [key, field] : {std::pair{"stopLoss", &trigger.stop_loss}, {"takeProfit", &trigger.take_profit}}) {
            if (!entry.contains(key)) continue;
            auto parsed = entry[key].is_string() ? U256::parse_units(entry[key].get<std::string>(), 18) : wallet::Result<U256>(U256(0));
            if (!entry[key].is_string() || !parsed || parsed->is_zero())
                return fail(Errc::Config, std::string("triggers: ") + key + " of " + trigger.position + " is not a price above 0: " + entry[key].dump());
            *field = *parsed;
        }
        if (!trigger.stop_loss && !trigger.take_profit) return fail(Errc::Config, "triggers: " + trigger.position + " needs stopLoss, takeProfit or both");
        if (entry.contains("maxSlippageBps")) {
            if (!entry["maxSlippageBps"].is_number_unsigned() || entry["maxSlippageBps"].get<std::uint64_t>() == 0 ||
                entry["maxSlippageBps"].get<std::uint64_t>() >= 10000)
                return fail(Errc::Config, "triggers: maxSlippageBps of " + trigger.position + " is a whole number from 1 to 9999");
            trigger.max_slippage_bps = static_cast<std::uint32_t>(entry["maxSlippageBps"].get<std::uint64_t>());
        }
        out.push_back(std::move(trigger));
    }
    return out;
}

std::string perp_triggers_to_json(const std::vector<PerpTrigger>& triggers)
{
    nlohmann::json list = nlohmann::json::array();
    for (const auto& trigger : triggers) {
        nlohmann::json entry{{"position", trigger.position}, {"maxSlippageBps", trigger.max_slippage_bps}};
        if (trigger.stop_loss) entry["stopLoss"] = trigger.stop_loss->format_units(18);
        if (trigger.take_profit) entry["takeProfit"] = trigger.take_profit->format_units(18);
        list.push_back(std::move(entry));
    }
    return nlohmann::json{{"triggers", std::move(list)}}.dump(2) + "\n";
}

PerpTriggerGuard::PerpTriggerGuard(std::vector<PerpTrigger> triggers) : m_triggers(std::move(triggers)) {}

std::optional<std::pair<const PerpTrigger*, std::string>> PerpTriggerGuard::wants(const positions::Position& position, std::uint64_t block)
{
    if (!position.readable || position.key.protocol != positions::Protocol::Perp || !position.price || !position.size) return std::nullopt;
    const std::string id = position.key.id();
    for (const auto& trigger : m_triggers) {
        if (trigger.position != id) continue;
        const U256& mark = *position.price;
        const bool is_long = !position.size->negative;
        std::optional<std::string> crossed;
        if (trigger.stop_loss && (is_long ? mark <= *trigger.stop_loss : mark >= *trigger.stop_loss)) crossed = "stop-loss";
        else if (trigger.take_profit && (is_long ? mark >= *trigger.take_profit : mark <= *trigger.take_profit)) crossed = "take-profit";
        State& state = m_state[id];
        if (!crossed) {
            state.armed = true;  // back inside: the next crossing may act again
            return std::nullopt;
        }
        if (!state.armed || state.last_block == block) return std::nullopt;
        return std::pair{&trigger, *crossed};
    }
    return std::nullopt;
}

void PerpTriggerGuard::set(const PerpTrigger& trigger)
{
    std::erase_if(m_triggers, [&](const PerpTrigger& t) { return t.position == trigger.position; });
    m_state.erase(trigger.position);
    if (trigger.stop_loss || trigger.take_profit) m_triggers.push_back(trigger);
}

void PerpTriggerGuard::done(const PerpTrigger& trigger, std::uint64_t block)
{
    State& state = m_state[trigger.position];
    state.armed = false;
    state.last_block = block;
}

}  // namespace nftterm::protocols::risk
