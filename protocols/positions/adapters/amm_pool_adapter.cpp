#include "../adapter.hpp"
#include "../curve_math.hpp"
#include "../fixed_point.hpp"
#include "../read_helpers.hpp"

#include <protocols/eth/rpc/eth_api.hpp>

#include <algorithm>
#include <map>
#include <memory>
#include <set>

namespace nftterm::protocols::positions {
namespace {

using namespace detail;
using wallet::Address;
using wallet::U256;

constexpr std::uint64_t kNftPool = 1;

/// sudoswap v1 pairs the account owns (its LP positions): the pool's ETH
/// (or, for an ERC-20 pair, its token: pairVariant 2 or 3, token()) and
/// NFTs, valued at the oracle floor, with the pool's own bid and ask
/// recomputed from its curve. A pair in a token other than WETH is shown
/// unpriced: its balance and the ETH floor cannot be added.
class AmmPoolAdapter final : public Adapter {
public:
    AmmPoolAdapter(Address factory, std::optional<Address> nft_oracle, std::map<Address, Curve> curves, std::optional<Address> weth,
                   std::map<Address, std::string> token_names)
        : m_factory(factory), m_nft_oracle(nft_oracle),
          m_valuation(std::make_shared<const Valuation>(Valuation{std::move(curves), weth, std::move(token_names)}))
    {
    }

    Protocol protocol() const override { return Protocol::Sudoswap; }

    Result<std::vector<PositionKey>> discover(eth::RpcClient& client, const std::vector<Address>& accounts, std::uint64_t from_block,
                                              std::uint64_t to_block) const override
    {
        // NewPair(address) names no owner: list the pairs, then ask each for its owner and NFT in one read.
        auto logs = event_logs(client, m_factory, "NewPair(address)", 0, accounts, from_block, to_block);
        if (!logs) return std::unexpected(logs.error());
        std::vector<Address> pairs;
        ReadPlan reads;
        struct PairReads {
            ReadSlot owner, nft, variant, token;
        };
        std::vector<PairReads> slots;
        for (const auto& log : *logs) {
            auto data = outputs({true, log.data}, "(address)");
            if (!data) continue;
            pairs.push_back(address((*data)[0]));
            slots.push_back({reads.add(pairs.back(), "owner()"), reads.add(pairs.back(), "nft()"), reads.add(pairs.back(), "pairVariant()"),
                             reads.add(pairs.back(), "token()")});
        }
        std::vector<PositionKey> keys;
        if (pairs.empty()) return keys;
        // At the head, not the window's end: a full node keeps no state months old (a first scan's
        // windows are), and who owns a pair now is what makes it the account's position.
        auto answered = eth::multicall(client, reads.calls(), eth::BlockTag::latest());
        if (!answered) return std::unexpected(answered.error());
        const ReadResults results(reads, *answered, to_block);
        for (std::size_t i = 0; i < pairs.size(); ++i) {
            auto owner = results.get(slots[i].owner, "(address)");
            auto nft = results.get(slots[i].nft, "(address)");
            auto variant = results.get(slots[i].variant, "(uint8)");
            if (!owner || !nft || !variant) continue;  // not a pair of this factory's kind
            const Address holder = address((*owner)[0]);
            if (std::find(accounts.begin(), accounts.end(), holder) == accounts.end()) continue;
            PositionKey key{Protocol::Sudoswap, holder, pairs[i], address((*nft)[0]), {}, 0, {}};
            // ERC-20 pairs (ENUMERABLE_ERC20 2, MISSING_ENUMERABLE_ERC20 3) hold their token, not ETH.
            if (u256((*variant)[0]) >= U256(2)) {
                auto token = results.get(slots[i].token, "(address)");
                if (!token) continue;
                key.asset = address((*token)[0]);
            }
            keys.push_back(key);
        }
        return keys;
    }

    PositionDecoder plan(const std::vector<PositionKey>& keys, ReadPlan& reads) const override
    {
        Slots slots;
        slots.protocol_fee = reads.add(m_factory, "protocolFeeMultiplier()");
        for (const auto& key : keys) {
            if (m_nft_oracle && !slots.floors.contains(key.market))
                slots.floors[key.market] = {reads.add(*m_nft_oracle, "getAssetPrice(address)", {value(key.market)}),
                                            reads.add(*m_nft_oracle, "getLatestTimestamp(address)", {value(key.market)})};
        }
        for (const auto& key : keys)
            slots.pairs.push_back({reads.add(key.contract, "spotPrice()"), reads.add(key.contract, "delta()"), reads.add(key.contract, "fee()"),
                                   reads.add(key.contract, "poolType()"), reads.add(key.contract, "bondingCurve()"), reads.add(key.contract, "owner()"),
                                   reads.add(key.market, "balanceOf(address)", {value(key.contract)}),
                                   key.asset == Address() ? reads.add(eth::multicall3_address(), "getEthBalance(address)", {value(key.contract)})
                                                          : reads.add(key.asset, "balanceOf(address)", {value(key.contract)}),
                                   reads.add(key.contract, "getAssetRecipient()")});
        // The decoder may outlive the adapter (a plan is kept and run later): it holds what it needs.
        return [valuation = m_valuation, keys, slots = std::move(slots)](const ReadResults& results, const eth::BlockHeader& block) {
            return decode(*valuation, keys, slots, results, block);
        };
    }

private:
    struct PairSlots {
        ReadSlot spot, delta, fee, pool_type, curve, owner, held, eth, recipient;
    };
    struct Slots {
        ReadSlot protocol_fee;
        std::map<Address, std::pair<ReadSlot, ReadSlot>> floors;
        std::vector<PairSlots> pairs;
    };

    /// What decoding needs besides the reads: the curves by address, WETH, the registry's token names.
    struct Valuation {
        std::map<Address, Curve> curves;
        std::optional<Address> weth;
        std::map<Address, std::string> token_names;
    };

    static std::vector<Position> decode(const Valuation& valuation, const std::vector<PositionKey>& keys, const Slots& slots,
                                        const ReadResults& results, const eth::BlockHeader& block)
    {
        const auto protocol_fee = results.get(slots.protocol_fee, "(uint256)");
        // An oracle floor that cannot be read falls back to the pool's own bid.
        std::map<Address, std::pair<U256, std::uint64_t>> floors;
        for (const auto& [collection, slot] : slots.floors) {
            const auto price = results.get(slot.first, "(uint256)");
            const auto updated = results.get(slot.second, "(uint256)");
            if (price && updated) floors[collection] = {u256((*price)[0]), u256((*updated)[0]).to_u64().value_or(0)};
        }
        std::vector<Position> positions;
        for (std::size_t i = 0; i < keys.size(); ++i) {
            const auto& key = keys[i];
            const auto& pair = slots.pairs[i];
            const auto spot_read = results.get(pair.spot, "(uint128)");
            const auto delta_read = results.get(pair.delta, "(uint128)");
            const auto fee_read = results.get(pair.fee, "(uint96)");
            const auto type_read = results.get(pair.pool_type, "(uint8)");
            const auto curve_read = results.get(pair.curve, "(address)");
            const auto owner_read = results.get(pair.owner, "(address)");
            const auto held_read = results.get(pair.held, "(uint256)");
            const auto eth_read = results.get(pair.eth, "(uint256)");
            const auto recipient_read = results.get(pair.recipient, "(address)");
            Position position;
            position.key = key;
            position.collection = key.market;
            position.price_block = block.number;
            if (auto why = first_failure(protocol_fee, spot_read, delta_read, fee_read, type_read, curve_read, owner_read, held_read, eth_read, recipient_read); !why.empty()) {
                position.readable = false;
                position.unreadable_reason = std::move(why);
                positions.push_back(std::move(position));
                continue;
            }
            if (address((*owner_read)[0]) != key.account) continue;  // no longer the account's pool
            const auto curve = valuation.curves.find(address((*curve_read)[0]));
            const U256 spot = u256((*spot_read)[0]), delta = u256((*delta_read)[0]), fee = u256((*fee_read)[0]);
            const std::uint64_t pool_type = u256((*type_read)[0]).to_u64().value_or(0);
            const U256 held = u256((*held_read)[0]), eth = u256((*eth_read)[0]);
            U256 floor;
            if (const auto found = floors.find(key.market); found != floors.end()) {
                floor = found->second.first;
                position.price_source = "NFTOracle";
                position.price_age_seconds = block.timestamp > found->second.second ? block.timestamp - found->second.second : 0;
            } else if (curve != valuation.curves.end() && pool_type != kNftPool) {
                // No oracle: the pool's own bid for one NFT.
                floor = sell_quote(curve->second, spot, delta, 1, fee, u256((*protocol_fee)[0])).amount;
                position.price_source = "pool bid";
            }
            position.currency = key.asset;
            position.collateral_value = eth + held * floor;
            if (key.asset != Address() && key.asset != valuation.weth.value_or(Address())) {
                const auto name = valuation.token_names.find(key.asset);
                const std::string token = name != valuation.token_names.end() ? name->second : key.asset.to_hex();
                position.unpriced = "the pool trades in " + token + " and the registry names no " + token +
                                    "/ETH price: its token balance and its NFTs at the ETH floor are not added up";
                position.collateral_value = U256();
            }
            position.price = floor;
            position.state = pool_type == 0 ? PositionState::TokenPool : pool_type == 1 ? PositionState::NftPool : PositionState::TradePool;
            position.size = fixed::signed_of(held * fixed::wad());
            position.asset_recipient = address((*recipient_read)[0]);
            positions.push_back(std::move(position));
        }
        return positions;
    }

    Address m_factory;
    std::optional<Address> m_nft_oracle;
    std::shared_ptr<const Valuation> m_valuation;
};

}  // namespace

std::unique_ptr<Adapter> make_amm_pool_adapter(const Registry& registry)
{
    auto factory = registry.contract("SudoPairFactory");
    if (!factory) return nullptr;
    std::map<Address, Curve> curves;
    for (const auto& [name, curve] : {std::pair{"SudoLinearCurve", Curve::Linear}, {"SudoExponentialCurve", Curve::Exponential}, {"SudoXykCurve", Curve::Xyk}})
        if (auto address = registry.contract(name)) curves[*address] = curve;
    std::map<Address, std::string> token_names;
    for (const auto& [name, address] : registry.contracts) token_names.emplace(address, name);
    return std::make_unique<AmmPoolAdapter>(*factory, registry.contract("NFTOracle"), std::move(curves), registry.contract("WETH9"), std::move(token_names));
}

}  // namespace nftterm::protocols::positions
