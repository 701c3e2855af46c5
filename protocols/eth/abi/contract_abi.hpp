#pragma once

#include <protocols/eth/abi/abi_type.hpp>
#include <protocols/eth/abi/abi_value.hpp>
#include <wallet/primitives/bytes.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace nftterm::protocols::abi {

/// An event parameter: indexed ones travel in topics, the rest in data.
struct EventParam {
    Type type;
    bool indexed = false;
};

struct Event {
    std::string name;
    std::vector<EventParam> inputs;
    bool anonymous = false;

    /// "Transfer(address,address,uint256)".
    std::string canonical() const;
    /// topic0: keccak256(canonical()).
    wallet::Hash32 topic() const;
};

/// "Transfer(address indexed from, address indexed to, uint256 value)",
/// optionally starting with "event " and ending with " anonymous".
Result<Event> parse_event_signature(std::string_view text);

/// A contract's interface as solc describes it (the "abi" JSON array).
class ContractAbi {
public:
    /// Reads an ABI JSON array (functions, events, errors; the rest is ignored).
    static Result<ContractAbi> from_json(std::string_view abi_json);

    const std::vector<Signature>& functions() const noexcept { return m_functions; }
    const std::vector<Event>& events() const noexcept { return m_events; }
    /// Custom errors, ready for describe_revert.
    const std::vector<Signature>& errors() const noexcept { return m_errors; }

    /// The first function with this name (nullptr if none).
    const Signature* function(std::string_view name) const noexcept;
    const Event* event(std::string_view name) const noexcept;
    const Event* event_by_topic(const wallet::Hash32& topic0) const noexcept;

private:
    std::vector<Signature> m_functions;
    std::vector<Event> m_events;
    std::vector<Signature> m_errors;
};

/// One contract out of solc's standard-JSON output.
struct CompiledContract {
    ContractAbi abi;
    /// Creation code (constructor included).
    wallet::Bytes bytecode;
    /// Runtime code, as it sits at the contract's address.
    wallet::Bytes deployed_bytecode;
};

/// Finds `contract` in `source` ("Probe.sol") in solc's standard-JSON output.
Result<CompiledContract> read_solc_output(std::string_view solc_json, std::string_view source, std::string_view contract);

/// Decodes a log of `event`: one value per input, in declaration order.
/// Indexed value types come from their topic; indexed strings, bytes,
/// arrays and tuples are only their keccak256 in a topic, so they decode to
/// that 32-byte hash (as Bytes). topic0 must match unless the event is anonymous.
Result<std::vector<Value>> decode_log(const Event& event, const std::vector<wallet::Hash32>& topics, wallet::ByteView data);

}  // namespace nftterm::protocols::abi
