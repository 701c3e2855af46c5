#include "alert_rules_file.hpp"

#include <nlohmann/json.hpp>

namespace nftterm::protocols::risk {

using nlohmann::json;
using wallet::U256;

namespace {

std::string text_of(const U256& wad)
{
    std::string text = wad.format_units(18);
    if (text.find('.') != std::string::npos) {
        while (text.back() == '0') text.pop_back();
        if (text.back() == '.') text.pop_back();
    }
    return text;
}

}  // namespace

Result<AlertLevels> levels_from_json(std::string_view text)
{
    const json in = json::parse(text, nullptr, false);
    if (!in.is_object()) return fail(Errc::Config, "the rules file is not a JSON object");
    AlertLevels levels;
    const auto wad_of = [](const json& value, const std::string& key) -> Result<U256> {
        if (!value.is_string()) return fail(Errc::Config, "rules: " + key + " is a decimal string, like \"1.05\"");
        auto parsed = U256::parse_units(value.get<std::string>(), 18);
        if (!parsed) return fail(Errc::Config, "rules: " + key + " is not a decimal number: " + value.dump());
        return *parsed;
    };
    const auto whole_of = [](const json& value, const std::string& key) -> Result<std::uint64_t> {
        if (!value.is_number_unsigned()) return fail(Errc::Config, "rules: " + key + " is a whole number of at least 0");
        return value.get<std::uint64_t>();
    };
    for (const auto& [key, value] : in.items()) {
        const std::map<std::string, U256*> wads{{"healthWarning", &levels.health_warning},       {"healthCritical", &levels.health_critical},
                                                {"healthMargin", &levels.health_margin},         {"marginWarningMmr", &levels.margin_warning_mmr},
                                                {"marginCriticalMmr", &levels.margin_critical_mmr}, {"marginMarginMmr", &levels.margin_margin_mmr},
                                                {"topUpTarget", &levels.top_up_target}};
        const std::map<std::string, std::pair<std::uint64_t*, std::uint64_t>> wholes{
            {"dueWarningHours", {&levels.due_warning_seconds, 3600}},    {"dueCriticalHours", {&levels.due_critical_seconds, 3600}},
            {"priceMoveMinutes", {&levels.price_move_window_seconds, 60}}, {"nodeUnreachableSeconds", {&levels.node_unreachable_seconds, 1}},
            {"nodeLaggingSeconds", {&levels.node_lagging_seconds, 1}},   {"escalateMinutes", {&levels.escalate_every_seconds, 60}}};
        if (const auto found = wads.find(key); found != wads.end()) {
            auto parsed = wad_of(value, key);
            if (!parsed) return std::unexpected(parsed.error());
            *found->second = *parsed;
        } else if (const auto whole = wholes.find(key); whole != wholes.end()) {
            auto parsed = whole_of(value, key);
            if (!parsed) return std::unexpected(parsed.error());
            *whole->second.first = *parsed * whole->second.second;
        } else if (key == "costPerDayLimit") {
            if (value.is_null()) {
                levels.cost_per_day_limit.reset();
                continue;
            }
            auto parsed = wad_of(value, key);
            if (!parsed) return std::unexpected(parsed.error());
            levels.cost_per_day_limit = *parsed;
        } else if (key == "priceMovePercent") {
            if (!value.is_number() || value.get<double>() < 0) return fail(Errc::Config, "rules: priceMovePercent is a number of at least 0 (0: off)");
            levels.price_move_percent = value.get<double>();
        } else {
            return fail(Errc::Config, "rules: unknown key \"" + key + "\"");
        }
    }
    if (levels.health_critical > levels.health_warning) return fail(Errc::Config, "rules: healthCritical is above healthWarning");
    if (levels.margin_critical_mmr > levels.margin_warning_mmr) return fail(Errc::Config, "rules: marginCriticalMmr is above marginWarningMmr");
    return levels;
}

std::string levels_to_json(const AlertLevels& levels)
{
    json out = {{"healthWarning", text_of(levels.health_warning)},
                {"healthCritical", text_of(levels.health_critical)},
                {"healthMargin", text_of(levels.health_margin)},
                {"marginWarningMmr", text_of(levels.margin_warning_mmr)},
                {"marginCriticalMmr", text_of(levels.margin_critical_mmr)},
                {"marginMarginMmr", text_of(levels.margin_margin_mmr)},
                {"dueWarningHours", levels.due_warning_seconds / 3600},
                {"dueCriticalHours", levels.due_critical_seconds / 3600},
                {"costPerDayLimit", levels.cost_per_day_limit ? json(text_of(*levels.cost_per_day_limit)) : json(nullptr)},
                {"priceMovePercent", levels.price_move_percent},
                {"priceMoveMinutes", levels.price_move_window_seconds / 60},
                {"nodeUnreachableSeconds", levels.node_unreachable_seconds},
                {"nodeLaggingSeconds", levels.node_lagging_seconds},
                {"escalateMinutes", levels.escalate_every_seconds / 60},
                {"topUpTarget", text_of(levels.top_up_target)}};
    return out.dump(2);
}

}  // namespace nftterm::protocols::risk
