#pragma once

#include <protocols/positions/position_monitor.hpp>

#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace nftterm::tests {

/// A PositionMonitor without a node, for the bridge, the alerts and the
/// window: each new head answers the next scripted step. A step is a
/// snapshot, a node error, or an exception thrown as a bug in an adapter
/// would throw it. The head is the next step's block; after the last step
/// it stays put.
class ScriptedMonitor final : public protocols::positions::PositionMonitor {
public:
    struct Step {
        std::uint64_t block = 0;
        std::shared_ptr<const protocols::positions::Snapshot> snapshot;
        std::optional<protocols::Error> error;
        /// Non-empty: refresh() throws std::runtime_error(throw_what).
        std::string throw_what;
    };
    static Step snapshot_step(std::vector<protocols::positions::Position> positions, std::uint64_t block);
    static Step error_step(protocols::Error error, std::uint64_t block);
    static Step throw_step(std::string what, std::uint64_t block);

    explicit ScriptedMonitor(std::vector<Step> steps) : m_steps(std::move(steps)) {}

    protocols::Result<std::uint64_t> head_number() override;
    protocols::Result<std::string> chain_key() override { return std::string("31337:scripted"); }
    protocols::Result<void> discover() override { return {}; }
    protocols::Result<std::shared_ptr<const protocols::positions::Snapshot>> refresh() override;
    void set_accounts(std::vector<wallet::Address>) override {}
    protocols::Result<void> save_state(const std::filesystem::path&) const override { return {}; }
    protocols::Result<bool> load_state(const std::filesystem::path&) override { return false; }

private:
    std::vector<Step> m_steps;
    std::size_t m_next = 0;
};

}  // namespace nftterm::tests
