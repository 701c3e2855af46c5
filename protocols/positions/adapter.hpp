#pragma once

#include <protocols/eth/multicall.hpp>
#include <protocols/positions/position.hpp>
#include <protocols/positions/registry.hpp>

#include <memory>
#include <span>
#include <vector>

namespace nftterm::protocols::positions {

/// One protocol family. Thread-compatible: const methods may run
/// concurrently; discover() talks to the node.
class Adapter {
public:
    virtual ~Adapter() = default;

    virtual Protocol protocol() const = 0;
    /// The accounts' positions opened in blocks [from_block, to_block], from
    /// the protocol's events (plus views where events do not say enough):
    /// one log query for all the accounts.
    virtual Result<std::vector<PositionKey>> discover(eth::RpcClient& client, const std::vector<wallet::Address>& accounts,
                                                      std::uint64_t from_block, std::uint64_t to_block) const = 0;
    /// The reads that value `keys` at one block; shared reads appear once.
    virtual std::vector<eth::ReadCall> plan(const std::vector<PositionKey>& keys) const = 0;
    /// The plan's results, in its order, as positions. A position whose
    /// reads failed comes back unreadable; one that has ended is left out.
    virtual std::vector<Position> decode(const std::vector<PositionKey>& keys, std::span<const eth::ReadResult> results,
                                         const eth::BlockHeader& block) const = 0;
};

/// The four families; an adapter whose contracts the registry lacks is not made.
std::vector<std::unique_ptr<Adapter>> make_adapters(const Registry& registry);

std::unique_ptr<Adapter> make_p2p_loan_adapter(const Registry& registry);
std::unique_ptr<Adapter> make_pool_loan_adapter(const Registry& registry);
std::unique_ptr<Adapter> make_amm_pool_adapter(const Registry& registry);
std::unique_ptr<Adapter> make_perp_adapter(const Registry& registry);

}  // namespace nftterm::protocols::positions
