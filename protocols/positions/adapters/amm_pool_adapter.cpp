#include "../adapter.hpp"
#include "../curve_math.hpp"
#include "../fixed_point.hpp"
#include "../read_helpers.hpp"

#include <protocols/eth/rpc/eth_api.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace nftterm::protocols::positions {
namespace {

using namespace detail;
using wallet::Address;
using wallet::U256;

constexpr std::uint64_t kNftPool = 1;

/// sudoswap v1 pairs the account owns (its LP positions): the pool's ETH
/// and NFTs, valued at the oracle floor, with the pool's own bid and ask
/// recomputed from its curve.
class AmmPoolAdapter final : public Adapter {
public:
    AmmPoolAdapter(Address factory, std::optional<Address> nft_oracle, std::map<Address, Curve> curves)
        : m_factory(factory), m_nft_oracle(nft_oracle), m_curves(std::move(curves))
    {
    }

    Protocol protocol() const override { return Protocol::Sudoswap; }

    Result<std::vector<PositionKey>> discover(eth::RpcClient& client, const std::vector<Address>& accounts, std::uint64_t from_block,
                                              std::uint64_t to_block) const override
    {
        // NewPair(address) names no owner: list the pairs, then ask each for its owner and NFT in one read.
        eth::LogFilter filter;
        filter.addresses = {m_factory};
        filter.topics = {{event_topic("NewPair(address)")}};
        filter.from_block = from_block;
        filter.to_block = to_block;
        auto logs = eth::get_logs(client, filter);
        if (!logs) return std::unexpected(logs.error());
        std::vector<Address> pairs;
        std::vector<eth::ReadCall> calls;
        for (const auto& log : *logs) {
            auto data = outputs({true, log.data}, "(address)");
            if (!data) continue;
            pairs.push_back(address((*data)[0]));
            calls.push_back(read_call(pairs.back(), "owner()"));
            calls.push_back(read_call(pairs.back(), "nft()"));
        }
        std::vector<PositionKey> keys;
        if (pairs.empty()) return keys;
        auto results = eth::multicall(client, calls, eth::BlockTag::number(to_block));
        if (!results) return std::unexpected(results.error());
        for (std::size_t i = 0; i < pairs.size(); ++i) {
            auto owner = outputs((*results)[2 * i], "(address)");
            auto nft = outputs((*results)[2 * i + 1], "(address)");
            if (!owner || !nft) continue;
            const Address holder = address((*owner)[0]);
            if (std::find(accounts.begin(), accounts.end(), holder) != accounts.end())
                keys.push_back({Protocol::Sudoswap, holder, pairs[i], address((*nft)[0]), {}, 0, {}});
        }
        return keys;
    }

    std::vector<eth::ReadCall> plan(const std::vector<PositionKey>& keys) const override
    {
        std::vector<eth::ReadCall> calls;
        calls.push_back(read_call(m_factory, "protocolFeeMultiplier()"));
        for (const auto& collection : collections_of(keys)) {
            if (!m_nft_oracle) break;
            calls.push_back(read_call(*m_nft_oracle, "getAssetPrice(address)", {value(collection)}));
            calls.push_back(read_call(*m_nft_oracle, "getLatestTimestamp(address)", {value(collection)}));
        }
        for (const auto& key : keys) {
            calls.push_back(read_call(key.contract, "spotPrice()"));
            calls.push_back(read_call(key.contract, "delta()"));
            calls.push_back(read_call(key.contract, "fee()"));
            calls.push_back(read_call(key.contract, "poolType()"));
            calls.push_back(read_call(key.contract, "bondingCurve()"));
            calls.push_back(read_call(key.contract, "owner()"));
            calls.push_back(read_call(key.market, "balanceOf(address)", {value(key.contract)}));
            calls.push_back(read_call(eth::multicall3_address(), "getEthBalance(address)", {value(key.contract)}));
        }
        return calls;
    }

    std::vector<Position> decode(const std::vector<PositionKey>& keys, std::span<const eth::ReadResult> results,
                                 const eth::BlockHeader& block) const override
    {
        std::size_t at = 0;
        const auto protocol_fee = outputs(results[at++], "(uint256)");
        std::map<Address, std::pair<std::optional<std::vector<abi::Value>>, std::optional<std::vector<abi::Value>>>> floors;
        for (const auto& collection : collections_of(keys)) {
            if (!m_nft_oracle) break;
            floors[collection] = {outputs(results[at], "(uint256)"), outputs(results[at + 1], "(uint256)")};
            at += 2;
        }
        std::vector<Position> positions;
        for (const auto& key : keys) {
            std::optional<std::vector<abi::Value>> r[8];
            const char* types[8] = {"(uint128)", "(uint128)", "(uint96)", "(uint8)", "(address)", "(address)", "(uint256)", "(uint256)"};
            bool ok = protocol_fee.has_value();
            for (int i = 0; i < 8; ++i) {
                r[i] = outputs(results[at + i], types[i]);
                ok = ok && r[i].has_value();
            }
            at += 8;
            Position position;
            position.key = key;
            position.collection = key.market;
            position.price_block = block.number;
            if (!ok) {
                position.readable = false;
                position.unreadable_reason = "a read of the pair failed at block " + std::to_string(block.number);
                positions.push_back(std::move(position));
                continue;
            }
            if (address((*r[5])[0]) != key.account) continue;  // no longer the account's pool
            const auto curve = m_curves.find(address((*r[4])[0]));
            const U256 spot = u256((*r[0])[0]), delta = u256((*r[1])[0]), fee = u256((*r[2])[0]);
            const std::uint64_t pool_type = u256((*r[3])[0]).to_u64().value_or(0);
            const U256 held = u256((*r[6])[0]), eth = u256((*r[7])[0]);
            U256 floor;
            const auto found = floors.find(key.market);
            if (found != floors.end() && found->second.first && found->second.second) {
                floor = u256((*found->second.first)[0]);
                const std::uint64_t updated = u256((*found->second.second)[0]).to_u64().value_or(0);
                position.price_source = "NFTOracle";
                position.price_age_seconds = block.timestamp > updated ? block.timestamp - updated : 0;
            } else if (curve != m_curves.end() && pool_type != kNftPool) {
                // No oracle: the pool's own bid for one NFT.
                floor = sell_quote(curve->second, spot, delta, 1, fee, u256((*protocol_fee)[0])).amount;
                position.price_source = "pool bid";
            }
            position.currency = Address();
            position.collateral_value = eth + held * floor;
            position.price = floor;
            position.state = pool_type == 0 ? PositionState::TokenPool : pool_type == 1 ? PositionState::NftPool : PositionState::TradePool;
            position.size = fixed::signed_of(held * fixed::wad());
            positions.push_back(std::move(position));
        }
        return positions;
    }

private:
    static std::vector<Address> collections_of(const std::vector<PositionKey>& keys)
    {
        std::vector<Address> out;
        std::set<Address> seen;
        for (const auto& key : keys)
            if (seen.insert(key.market).second) out.push_back(key.market);
        return out;
    }

    Address m_factory;
    std::optional<Address> m_nft_oracle;
    std::map<Address, Curve> m_curves;
};

}  // namespace

std::unique_ptr<Adapter> make_amm_pool_adapter(const Registry& registry)
{
    auto factory = registry.contract("SudoPairFactory");
    if (!factory) return nullptr;
    std::map<Address, Curve> curves;
    for (const auto& [name, curve] : {std::pair{"SudoLinearCurve", Curve::Linear}, {"SudoExponentialCurve", Curve::Exponential}, {"SudoXykCurve", Curve::Xyk}})
        if (auto address = registry.contract(name)) curves[*address] = curve;
    return std::make_unique<AmmPoolAdapter>(*factory, registry.contract("NFTOracle"), std::move(curves));
}

}  // namespace nftterm::protocols::positions
