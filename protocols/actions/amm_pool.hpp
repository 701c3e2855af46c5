#pragma once

#include <protocols/actions/plan.hpp>
#include <protocols/pricing/order_book.hpp>

#include <optional>
#include <string>
#include <vector>

namespace nftterm::protocols::actions {

/// What a liquidity action does to a pool: its calls, and the pool as it
/// will be after them (the chain is checked against it after landing).
struct PoolPlan {
    std::string action;  // "pool-create", "pool-deposit", "pool-withdraw", "pool-reprice"
    wallet::Address account;
    wallet::Address collection;
    /// The pair (unset for a create: the factory makes it).
    std::optional<wallet::Address> pair;
    std::vector<PlannedCall> calls;
    /// After: the curve's parameters and the pool's ETH and NFTs.
    wallet::U256 spot_price, delta, fee, eth_balance;
    std::uint64_t nft_count = 0;
};

/// A pool's type, curve and parameters as the user gives them.
struct PoolSpec {
    pricing::PoolType type = pricing::PoolType::Trade;
    positions::Curve curve = positions::Curve::Linear;
    wallet::U256 spot_price, delta, fee;
};

/// A new pair of `collection` owned by `owner` (createPairETH), with `deposit`
/// ETH and the NFTs `ids` in it; the factory is allowed to move the owner's
/// NFTs first unless `factory_approved`. Only TRADE pools take a fee (the
/// factory refuses one on TOKEN and NFT pools): refused here in words.
Result<PoolPlan> plan_pool_create(const Registry& registry, const wallet::Address& collection, const PoolSpec& spec, const wallet::U256& deposit,
                                  const std::vector<wallet::U256>& ids, const wallet::Address& owner, bool factory_approved);
/// ETH (a plain transfer, the pair's receive()) and NFTs (the factory's depositNFTs) into a pool.
Result<PoolPlan> plan_pool_deposit(const Registry& registry, const pricing::PoolState& pool, const wallet::Address& collection, const wallet::U256& eth,
                                   const std::vector<wallet::U256>& ids, const wallet::Address& owner, bool factory_approved);
/// ETH (withdrawETH) and NFTs (withdrawERC721) out of a pool the account owns.
Result<PoolPlan> plan_pool_withdraw(const pricing::PoolState& pool, const wallet::Address& collection, const wallet::U256& eth,
                                    const std::vector<wallet::U256>& ids, const wallet::Address& owner);
/// New curve parameters (each optional) for a pool the account owns.
Result<PoolPlan> plan_pool_reprice(const pricing::PoolState& pool, const wallet::Address& collection, const std::optional<wallet::U256>& spot,
                                   const std::optional<wallet::U256>& delta, const std::optional<wallet::U256>& fee, const wallet::Address& owner);

}  // namespace nftterm::protocols::actions
