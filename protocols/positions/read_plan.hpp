#pragma once

#include <protocols/error.hpp>
#include <protocols/eth/abi/abi_value.hpp>
#include <protocols/eth/multicall.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace nftterm::protocols::positions {

/// Where one read's result will be: handed out when the read is added to a
/// ReadPlan, used to fetch its result. Decoders never count positions.
class ReadSlot {
public:
    ReadSlot() = default;
    std::size_t index() const { return m_index; }
    friend bool operator==(ReadSlot, ReadSlot) = default;

private:
    friend class ReadPlan;
    explicit ReadSlot(std::size_t index) : m_index(index) {}
    std::size_t m_index = static_cast<std::size_t>(-1);
};

/// The reads of one refresh, each under a slot. The same call added twice
/// (the AMM adapter and the market both read a pool's spot price) goes out
/// once and both get its slot. Each read keeps a label (its signature) so
/// that a failure can say which read failed.
class ReadPlan {
public:
    /// A call of `signature` ("getLoan(uint256)") with typed arguments.
    ReadSlot add(const wallet::Address& target, const std::string& signature, std::vector<abi::Value> args = {});
    /// A call encoded elsewhere (the market's reads), under `label`.
    ReadSlot add(eth::ReadCall call, std::string label);

    std::size_t size() const { return m_calls.size(); }
    /// How many reads were added, counting the ones that were already there.
    std::size_t requested() const { return m_requested; }
    const std::vector<eth::ReadCall>& calls() const { return m_calls; }
    /// "getLoan(uint256) on 0x…".
    std::string describe(ReadSlot slot) const;

private:
    std::vector<eth::ReadCall> m_calls;
    std::vector<std::string> m_labels;
    std::unordered_map<std::string, std::size_t> m_seen;
    std::size_t m_requested = 0;
};

/// One block's answers to a ReadPlan, fetched by slot. Checks the count:
/// an answer shorter than the plan fails only the reads it lacks.
class ReadResults {
public:
    ReadResults(const ReadPlan& plan, std::span<const eth::ReadResult> results, std::uint64_t block);

    /// The outputs of the slot's read decoded as `types` ("(uint256,address)"),
    /// or why not, in words naming the read and the block: it reverted, its
    /// answer is not `types`, or the node's answer has no result for it.
    Result<std::vector<abi::Value>> get(ReadSlot slot, std::string_view types) const;
    /// Whether the node answered every read of the plan.
    bool complete() const { return m_results.size() == m_plan.size(); }
    std::uint64_t block() const { return m_block; }

private:
    const ReadPlan& m_plan;
    std::span<const eth::ReadResult> m_results;
    std::uint64_t m_block;
};

/// The context of the first failed result among `results` (each a
/// Result<…>), or empty when all succeeded: why a position is unreadable.
template <typename... Results>
std::string first_failure(const Results&... results)
{
    std::string why;
    ((why.empty() && !results ? (void)(why = results.error().context) : (void)0), ...);
    return why;
}

}  // namespace nftterm::protocols::positions
