#include "amm_pool.hpp"

#include <protocols/eth/abi/abi_json.hpp>

namespace nftterm::protocols::actions {

using wallet::Address;
using wallet::U256;

namespace {

Result<PlannedCall> call(const Address& to, const char* signature, const std::string& args, const U256& value, std::string description,
                         std::uint64_t gas_bound)
{
    auto data = abi::encode_call(signature, args);
    if (!data) return std::unexpected(data.error());
    PlannedCall out;
    out.to = to;
    out.data = std::move(*data);
    out.value = value;
    out.description = std::move(description);
    out.gas_bound = gas_bound;
    return out;
}

const char* type_name(pricing::PoolType type)
{
    return type == pricing::PoolType::Token ? "TOKEN (buys NFTs)" : type == pricing::PoolType::Nft ? "NFT (sells NFTs)" : "TRADE (buys and sells)";
}

std::optional<std::string> curve_contract(positions::Curve curve)
{
    switch (curve) {
    case positions::Curve::Linear: return "SudoLinearCurve";
    case positions::Curve::Exponential: return "SudoExponentialCurve";
    case positions::Curve::Xyk: return "SudoXykCurve";
    }
    return std::nullopt;
}

/// A delta as its curve reads it: ETH a step (linear), a multiplier (exponential), virtual NFTs (xyk).
std::string delta_text(positions::Curve curve, const U256& delta)
{
    switch (curve) {
    case positions::Curve::Linear: return eth_text(delta) + " a step";
    case positions::Curve::Exponential: return "×" + delta.format_units(18) + " a step";
    case positions::Curve::Xyk: return delta.to_dec() + " virtual NFTs";
    }
    return delta.to_dec();
}

Result<void> require_owner(const pricing::PoolState& pool, const Address& owner)
{
    if (pool.owner != owner) return fail(Errc::Refused, "pool " + pool.pair.to_hex() + " is " + pool.owner.to_hex() + "'s, not " + owner.to_hex() + "'s: nothing is signed");
    return {};
}

PoolPlan from(const char* action, const pricing::PoolState& pool, const Address& collection, const Address& owner)
{
    PoolPlan plan;
    plan.action = action;
    plan.account = owner;
    plan.collection = collection;
    plan.pair = pool.pair;
    plan.spot_price = pool.spot_price;
    plan.delta = pool.delta;
    plan.fee = pool.fee;
    plan.eth_balance = pool.eth_balance;
    plan.nft_count = pool.nft_count;
    return plan;
}

}  // namespace

Result<PoolPlan> plan_pool_create(const Registry& registry, const Address& collection, const PoolSpec& spec, const U256& deposit, const std::vector<U256>& ids,
                                  const Address& owner, bool factory_approved)
{
    const auto factory = registry.contract("SudoPairFactory");
    const auto curve_name = curve_contract(spec.curve);
    const auto curve = curve_name ? registry.contract(*curve_name) : std::nullopt;
    if (!factory || !curve) return fail(Errc::Config, "the registry names no pair factory or no contract for that curve");
    if (spec.type != pricing::PoolType::Trade && !spec.fee.is_zero()) return fail(Errc::Refused, "only a TRADE pool takes a fee (the factory refuses one on TOKEN and NFT pools)");
    if (spec.spot_price.is_zero()) return fail(Errc::Refused, "the spot price must be above 0");
    PoolPlan plan;
    plan.action = "pool-create";
    plan.account = owner;
    plan.collection = collection;
    plan.spot_price = spec.spot_price;
    plan.delta = spec.delta;
    plan.fee = spec.fee;
    plan.eth_balance = deposit;
    plan.nft_count = ids.size();
    if (!ids.empty() && !factory_approved) {
        auto approve = call(collection, "setApprovalForAll(address,bool)", "[\"" + factory->to_hex() + "\",true]", U256(0),
                            "let the pair factory " + factory->to_hex() + " move your NFTs of this collection (setApprovalForAll)", 80'000);
        if (!approve) return std::unexpected(approve.error());
        plan.calls.push_back(std::move(*approve));
    }
    // Assets of TOKEN and NFT pools go to the pair itself (recipient 0), so its value stays visible as a position.
    auto create = call(*factory, "createPairETH(address,address,address,uint8,uint128,uint96,uint128,uint256[])",
                       "[\"" + collection.to_hex() + "\",\"" + curve->to_hex() + "\",\"0x0000000000000000000000000000000000000000\",\"" +
                           std::to_string(static_cast<int>(spec.type)) + "\",\"" + spec.delta.to_dec() + "\",\"" + spec.fee.to_dec() + "\",\"" +
                           spec.spot_price.to_dec() + "\"," + token_ids_json(ids) + "]",
                       deposit,
                       std::string("create a ") + type_name(spec.type) + " pool on the " + *curve_name + " at spot " + eth_text(spec.spot_price) + ", delta " +
                           delta_text(spec.curve, spec.delta) + ", fee " + spec.fee.format_units(16) + " %, holding " + eth_text(deposit) +
                           (ids.empty() ? std::string() : " and " + token_ids_text(ids)),
                       // The devnet's factory deploys whole pairs (sudoswap deploys clones, a fifth of it).
                       2'500'000 + 80'000 * ids.size());
    if (!create) return std::unexpected(create.error());
    plan.calls.push_back(std::move(*create));
    return plan;
}

Result<PoolPlan> plan_pool_deposit(const Registry& registry, const pricing::PoolState& pool, const Address& collection, const U256& eth,
                                   const std::vector<U256>& ids, const Address& owner, bool factory_approved)
{
    if (eth.is_zero() && ids.empty()) return fail(Errc::Refused, "deposit some ETH (--eth) or NFTs (--token-id)");
    const auto factory = registry.contract("SudoPairFactory");
    if (!factory) return fail(Errc::Config, "the registry names no pair factory");
    PoolPlan plan = from("pool-deposit", pool, collection, owner);
    if (!eth.is_zero()) {
        PlannedCall send;
        send.to = pool.pair;
        send.value = eth;
        send.description = "deposit " + eth_text(eth) + " into pool " + pool.pair.to_hex();
        send.gas_bound = 60'000;
        plan.calls.push_back(std::move(send));
        plan.eth_balance = plan.eth_balance + eth;
    }
    if (!ids.empty()) {
        if (!factory_approved) {
            auto approve = call(collection, "setApprovalForAll(address,bool)", "[\"" + factory->to_hex() + "\",true]", U256(0),
                                "let the pair factory " + factory->to_hex() + " move your NFTs of this collection (setApprovalForAll)", 80'000);
            if (!approve) return std::unexpected(approve.error());
            plan.calls.push_back(std::move(*approve));
        }
        auto deposit = call(*factory, "depositNFTs(address,uint256[],address)", "[\"" + collection.to_hex() + "\"," + token_ids_json(ids) + ",\"" + pool.pair.to_hex() + "\"]",
                            U256(0), "deposit " + token_ids_text(ids) + " into pool " + pool.pair.to_hex() + " (the factory's depositNFTs)", 120'000 + 80'000 * ids.size());
        if (!deposit) return std::unexpected(deposit.error());
        plan.calls.push_back(std::move(*deposit));
        plan.nft_count += ids.size();
    }
    return plan;
}

Result<PoolPlan> plan_pool_withdraw(const pricing::PoolState& pool, const Address& collection, const U256& eth, const std::vector<U256>& ids, const Address& owner)
{
    if (auto mine = require_owner(pool, owner); !mine) return std::unexpected(mine.error());
    if (eth.is_zero() && ids.empty()) return fail(Errc::Refused, "withdraw some ETH (--eth) or NFTs (--token-id)");
    if (eth > pool.eth_balance) return fail(Errc::Refused, "the pool holds " + eth_text(pool.eth_balance) + ", not " + eth_text(eth));
    PoolPlan plan = from("pool-withdraw", pool, collection, owner);
    if (!eth.is_zero()) {
        auto out = call(pool.pair, "withdrawETH(uint256)", "[\"" + eth.to_dec() + "\"]", U256(0), "withdraw " + eth_text(eth) + " from pool " + pool.pair.to_hex(), 80'000);
        if (!out) return std::unexpected(out.error());
        plan.calls.push_back(std::move(*out));
        plan.eth_balance = plan.eth_balance - eth;
    }
    if (!ids.empty()) {
        if (ids.size() > pool.nft_count) return fail(Errc::Refused, "the pool holds " + std::to_string(pool.nft_count) + " NFTs");
        auto out = call(pool.pair, "withdrawERC721(address,uint256[])", "[\"" + collection.to_hex() + "\"," + token_ids_json(ids) + "]", U256(0),
                        "withdraw " + token_ids_text(ids) + " from pool " + pool.pair.to_hex(), 80'000 + 60'000 * ids.size());
        if (!out) return std::unexpected(out.error());
        plan.calls.push_back(std::move(*out));
        plan.nft_count -= ids.size();
    }
    return plan;
}

Result<PoolPlan> plan_pool_reprice(const pricing::PoolState& pool, const Address& collection, const std::optional<U256>& spot, const std::optional<U256>& delta,
                                   const std::optional<U256>& fee, const Address& owner)
{
    if (auto mine = require_owner(pool, owner); !mine) return std::unexpected(mine.error());
    if (!spot && !delta && !fee) return fail(Errc::Refused, "give a new --spot, --delta or --fee");
    if (fee && pool.type != pricing::PoolType::Trade) return fail(Errc::Refused, "only a TRADE pool has a fee");
    PoolPlan plan = from("pool-reprice", pool, collection, owner);
    if (spot) {
        auto change = call(pool.pair, "changeSpotPrice(uint128)", "[\"" + spot->to_dec() + "\"]", U256(0),
                           "move pool " + pool.pair.to_hex() + "'s spot price from " + eth_text(pool.spot_price) + " to " + eth_text(*spot), 60'000);
        if (!change) return std::unexpected(change.error());
        plan.calls.push_back(std::move(*change));
        plan.spot_price = *spot;
    }
    if (delta) {
        auto change = call(pool.pair, "changeDelta(uint128)", "[\"" + delta->to_dec() + "\"]", U256(0),
                           "change pool " + pool.pair.to_hex() + "'s delta from " + delta_text(pool.curve, pool.delta) + " to " + delta_text(pool.curve, *delta), 60'000);
        if (!change) return std::unexpected(change.error());
        plan.calls.push_back(std::move(*change));
        plan.delta = *delta;
    }
    if (fee) {
        auto change = call(pool.pair, "changeFee(uint96)", "[\"" + fee->to_dec() + "\"]", U256(0),
                           "change pool " + pool.pair.to_hex() + "'s fee from " + pool.fee.format_units(16) + " % to " + fee->format_units(16) + " %", 60'000);
        if (!change) return std::unexpected(change.error());
        plan.calls.push_back(std::move(*change));
        plan.fee = *fee;
    }
    return plan;
}

}  // namespace nftterm::protocols::actions
