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

/// A stop-loss and/or take-profit on one perp position: when its mark
/// crosses a level against (stop) or for (take) the position, it is closed
/// with the same slippage-limited plan as `close`.
struct PerpTrigger {
    std::string position;
    std::optional<wallet::U256> stop_loss;
    std::optional<wallet::U256> take_profit;
    std::uint32_t max_slippage_bps = 100;
};

/// {"triggers": [{"position": ID, "stopLoss": "25.5", "takeProfit": "35", "maxSlippageBps": 100}, …]}:
/// prices as decimal strings (the quote token), at least one of the two levels; unknown keys refused.
Result<std::vector<PerpTrigger>> perp_triggers_from_json(std::string_view text);
/// The same shape, for the file the window writes and the watcher reads.
std::string perp_triggers_to_json(const std::vector<PerpTrigger>& triggers);

/// Decides when a trigger fires: its perp's mark at or past a level (a
/// long's stop at or below it, its take at or above; a short's the other
/// way), once per crossing (re-armed when the mark is back inside), never
/// twice for one block, never for a position that is not readable.
class PerpTriggerGuard {
public:
    explicit PerpTriggerGuard(std::vector<PerpTrigger> triggers);

    /// The trigger that wants `position` closed at `block` and which level it crossed ("stop-loss" / "take-profit").
    std::optional<std::pair<const PerpTrigger*, std::string>> wants(const positions::Position& position, std::uint64_t block);
    /// It acted (or was refused) for this crossing at `block`.
    void done(const PerpTrigger& trigger, std::uint64_t block);
    const std::vector<PerpTrigger>& triggers() const { return m_triggers; }
    /// Sets (or with neither level, removes) the trigger of `trigger.position`; a changed level re-arms it.
    void set(const PerpTrigger& trigger);

private:
    struct State {
        bool armed = true;
        std::uint64_t last_block = 0;
    };
    std::vector<PerpTrigger> m_triggers;
    std::map<std::string, State> m_state;
};

}  // namespace nftterm::protocols::risk
