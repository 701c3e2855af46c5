#include "scripted_monitor.hpp"

#include <stdexcept>

namespace nftterm::tests {

using protocols::positions::Snapshot;

ScriptedMonitor::Step ScriptedMonitor::snapshot_step(std::vector<protocols::positions::Position> positions, std::uint64_t block)
{
    auto snapshot = std::make_shared<Snapshot>();
    snapshot->block.number = block;
    snapshot->block.timestamp = 1700000000 + block * 12;
    snapshot->positions = std::move(positions);
    return {block, std::move(snapshot), std::nullopt, {}};
}

ScriptedMonitor::Step ScriptedMonitor::error_step(protocols::Error error, std::uint64_t block)
{
    return {block, nullptr, std::move(error), {}};
}

ScriptedMonitor::Step ScriptedMonitor::throw_step(std::string what, std::uint64_t block)
{
    return {block, nullptr, std::nullopt, std::move(what)};
}

protocols::Result<std::uint64_t> ScriptedMonitor::head_number()
{
    if (m_steps.empty()) return std::uint64_t(0);
    return m_steps[std::min(m_next, m_steps.size() - 1)].block;
}

protocols::Result<std::shared_ptr<const Snapshot>> ScriptedMonitor::refresh()
{
    if (m_next >= m_steps.size()) return protocols::fail(protocols::Errc::Transport, "the script has ended");
    const Step& step = m_steps[m_next++];
    if (!step.throw_what.empty()) throw std::runtime_error(step.throw_what);
    if (step.error) return std::unexpected(*step.error);
    return step.snapshot;
}

}  // namespace nftterm::tests
