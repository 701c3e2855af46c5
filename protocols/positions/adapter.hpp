#pragma once

#include <protocols/eth/multicall.hpp>
#include <protocols/positions/position.hpp>
#include <protocols/positions/read_plan.hpp>
#include <protocols/positions/registry.hpp>

#include <functional>
#include <memory>
#include <vector>

namespace nftterm::protocols::positions {

/// Turns one block's answers into positions; holds the slots of its reads.
using PositionDecoder = std::function<std::vector<Position>(const ReadResults& results, const eth::BlockHeader& block)>;

/// One protocol family. Thread-compatible: const methods may run
/// concurrently; discover() talks to the node.
class Adapter {
public:
    virtual ~Adapter() = default;

    virtual Protocol protocol() const = 0;
    /// Whether a saved key is this adapter's (several adapters of one protocol
    /// each read their own contract: NFTfi's loan contracts).
    virtual bool owns(const PositionKey& key) const { return key.protocol == protocol(); }
    /// The accounts' positions opened in blocks [from_block, to_block], from
    /// the protocol's events (plus views where events do not say enough):
    /// one log query for all the accounts.
    virtual Result<std::vector<PositionKey>> discover(eth::RpcClient& client, const std::vector<wallet::Address>& accounts,
                                                      std::uint64_t from_block, std::uint64_t to_block) const = 0;
    /// Adds the reads that value `keys` at one block to `reads` (a read
    /// shared by several positions once) and returns what turns their
    /// answers into positions, by the slots it was given. A position whose
    /// read failed comes back unreadable, saying which read and why; the
    /// others are unaffected. One that has ended is left out.
    virtual PositionDecoder plan(const std::vector<PositionKey>& keys, ReadPlan& reads) const = 0;
};

/// The four families; an adapter whose contracts the registry lacks is not made.
std::vector<std::unique_ptr<Adapter>> make_adapters(const Registry& registry);

/// One per NFTfi loan contract the registry lists (names starting "NFTfiDirectLoan").
std::vector<std::unique_ptr<Adapter>> make_p2p_loan_adapters(const Registry& registry);
std::unique_ptr<Adapter> make_pool_loan_adapter(const Registry& registry);
std::unique_ptr<Adapter> make_amm_pool_adapter(const Registry& registry);
std::unique_ptr<Adapter> make_perp_adapter(const Registry& registry);

}  // namespace nftterm::protocols::positions
