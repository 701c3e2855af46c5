#pragma once

#include <protocols/eth/rpc/rpc_client.hpp>
#include <protocols/positions/monitor.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace nftterm::protocols::positions {

/// Another endpoint's reading of the block a snapshot saw.
struct Witness {
    /// The endpoint that answered, fit to show (redact_url).
    std::string endpoint;
    std::shared_ptr<const Snapshot> snapshot;
};

/// Reads a snapshot's block again through the other endpoints the user
/// configured, so that a critical alert or an unattended top-up rests on two
/// nodes' word, not one node that may be wrong, behind or lying. Remembers
/// the last block's answer: the alert rules and the auto top-up ask once per
/// block between them. Not thread-safe: the monitor's one caller.
class SecondOpinion {
public:
    /// `node`: every endpoint the user gave, the monitor's included.
    SecondOpinion(eth::RpcClientOptions node, std::uint64_t chain_id);
    ~SecondOpinion();

    /// Two or more endpoints: there is someone to ask.
    bool available() const { return m_node.urls.size() >= 2; }
    /// `snapshot`'s height read through the endpoints other than `primary`
    /// (the one that served it; as active_endpoint() names it).
    Result<Witness> read(Monitor& monitor, const Snapshot& snapshot, std::string_view primary);

private:
    eth::RpcClientOptions m_node;
    /// A client over every endpoint but m_without, made when that changes.
    std::unique_ptr<eth::RpcClient> m_client;
    std::string m_without;
    std::optional<std::pair<wallet::BlockHash, Result<Witness>>> m_last;
};

}  // namespace nftterm::protocols::positions
