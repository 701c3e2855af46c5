#pragma once

#include <protocols/error.hpp>
#include <protocols/positions/position.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nftterm::protocols::risk {

/// One position the user lets the watcher top up unattended: when its health
/// (health factor, or margin ratio for a perp; WAD) falls below `trigger`,
/// restore it to `target`, paying at most `max_per_action` at once and
/// `max_per_day` per UTC day (in the position's currency, wei).
struct AutoTopUpRule {
    std::string position;
    wallet::U256 trigger;
    wallet::U256 target;
    wallet::U256 max_per_action;
    wallet::U256 max_per_day;
};

/// {"positions": [{"position": ID, "trigger": "1.1", "target": "1.5",
///   "maxPerAction": "5", "maxPerDay": "8"}, …]}: levels and amounts as
/// decimal strings (ETH units). Every field is required: an unattended
/// signer gets no defaults. Unknown keys are refused.
Result<std::vector<AutoTopUpRule>> auto_top_up_rules_from_json(std::string_view text);

/// Decides when an auto top-up may act: below the trigger, once per crossing
/// (it re-arms when the health is back above the trigger), never twice for
/// one block, never past a cap. Qt-free; one caller.
class AutoTopUpGuard {
public:
    explicit AutoTopUpGuard(std::vector<AutoTopUpRule> rules);

    /// The rule that wants `position` topped up at `block`, if any.
    const AutoTopUpRule* wants(const positions::Position& position, std::uint64_t block);
    /// Why `amount` may not be paid now (a cap), in words; nothing when it may.
    std::optional<std::string> refuses(const AutoTopUpRule& rule, const wallet::U256& amount, std::uint64_t now) const;
    /// Another endpoint contradicts the health at `block`: nothing was done,
    /// the next block asks again. True the first time in a row, so that the
    /// caller says so once, not every block.
    bool hold(const AutoTopUpRule& rule, std::uint64_t block);
    /// A top-up of `amount` was made (or refused: `amount` 0) for this crossing at `block`.
    void done(const AutoTopUpRule& rule, const wallet::U256& amount, std::uint64_t block, std::uint64_t now);
    /// Paid today (UTC) for `rule`'s position.
    wallet::U256 spent_today(const AutoTopUpRule& rule, std::uint64_t now) const;

private:
    struct State {
        bool armed = true;
        std::uint64_t last_block = 0;
        bool held = false;
        std::vector<std::pair<std::uint64_t, wallet::U256>> paid;  // (unix time, amount)
    };
    std::vector<AutoTopUpRule> m_rules;
    std::map<std::string, State> m_state;
};

/// A position's health in the units a rule uses: the health factor, or the margin ratio (0 when negative).
std::optional<wallet::U256> health_for_rules(const positions::Position& position);

}  // namespace nftterm::protocols::risk
