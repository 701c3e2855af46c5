#include "read_plan.hpp"

#include "read_helpers.hpp"

namespace nftterm::protocols::positions {

ReadSlot ReadPlan::add(const wallet::Address& target, const std::string& signature, std::vector<abi::Value> args)
{
    return add(detail::read_call(target, signature, std::move(args)), signature);
}

ReadSlot ReadPlan::add(eth::ReadCall call, std::string label)
{
    ++m_requested;
    std::string key(reinterpret_cast<const char*>(call.target.data()), call.target.size());
    key.append(reinterpret_cast<const char*>(call.call_data.data()), call.call_data.size());
    const auto [found, added] = m_seen.emplace(std::move(key), m_calls.size());
    if (added) {
        m_calls.push_back(std::move(call));
        m_labels.push_back(std::move(label));
    }
    return ReadSlot(found->second);
}

std::string ReadPlan::describe(ReadSlot slot) const
{
    if (slot.index() >= m_calls.size()) return "a read the plan does not have";
    return m_labels[slot.index()] + " on " + m_calls[slot.index()].target.to_hex();
}

ReadResults::ReadResults(const ReadPlan& plan, std::span<const eth::ReadResult> results, std::uint64_t block)
    : m_plan(plan), m_results(results), m_block(block)
{
}

Result<std::vector<abi::Value>> ReadResults::get(ReadSlot slot, std::string_view types) const
{
    const std::string at = " at block " + std::to_string(m_block);
    if (slot.index() >= m_plan.size()) return fail(Errc::Decode, "a read the plan does not have" + at);
    if (slot.index() >= m_results.size())
        return fail(Errc::Decode, "the node's answer has no result for " + m_plan.describe(slot) + at + " (" + std::to_string(m_results.size()) +
                                      " of " + std::to_string(m_plan.size()) + " reads answered)");
    const eth::ReadResult& result = m_results[slot.index()];
    if (!result.success) return fail(Errc::Revert, m_plan.describe(slot) + " reverted" + at);
    auto decoded = detail::outputs(result, types);
    if (!decoded)
        return fail(Errc::Decode, m_plan.describe(slot) + " answered " + std::to_string(result.return_data.size()) + " bytes that are not " +
                                      std::string(types) + at);
    return std::move(*decoded);
}

}  // namespace nftterm::protocols::positions
