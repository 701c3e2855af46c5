#include "down_payment.hpp"

#include "amm_trade.hpp"
#include "plan_reads.hpp"

#include <protocols/eth/rpc/eth_api.hpp>
#include <protocols/positions/fixed_point.hpp>
#include <protocols/positions/pool_loan_math.hpp>
#include <protocols/positions/read_helpers.hpp>
#include <protocols/pricing/order_book.hpp>

namespace nftterm::protocols::actions {

using namespace positions;
using namespace positions::detail;
using namespace actions::detail;
using wallet::Address;
using wallet::U256;

namespace {

/// Aave v2's FLASHLOAN_PREMIUM_TOTAL, in basis points of the flash loan (read from the lender).
U256 flash_premium(const U256& amount, const U256& premium_bps)
{
    return amount * premium_bps / U256(10000);
}

}  // namespace

U256 down_payment_health_at(const DownPaymentPlan& plan, std::uint64_t timestamp)
{
    // LendPool.borrow: scaled = rayDiv(debt, index); the debt is then scaled × index.
    const U256 index = borrow_index_at(plan.loan_inputs, timestamp);
    return pool_loan_health(plan.collateral, plan.threshold_bps, fixed::ray_mul(fixed::ray_div(plan.debt, index), index));
}

Result<DownPaymentPlan> plan_down_payment(eth::RpcClient& client, const Registry& registry, const Address& buyer, const Address& collection,
                                          const std::optional<U256>& token_id, std::uint64_t down_payment_bps, const std::optional<U256>& max_price,
                                          std::uint64_t block)
{
    const auto down_payment = registry.contract("DownPayment");
    const auto lender = registry.contract("FlashLender");
    const auto pool = registry.contract("BendLendPool");
    const auto reserve = registry.contract("WETH9");
    const auto nft_oracle = registry.contract("NFTOracle");
    const auto reserve_oracle = registry.contract("BendReserveOracle");
    if (!down_payment || !lender || !pool || !reserve || !nft_oracle || !reserve_oracle)
        return fail(Errc::Config, "the registry names no DownPayment contract with its flash lender and lending pool");
    if (down_payment_bps == 0 || down_payment_bps >= 10000) return fail(Errc::Refused, "the down payment is a share of the price above 0 and under 100 %");

    DownPaymentPlan out;
    out.down_payment = *down_payment;
    out.collection = collection;
    PositionPlan& plan = out.plan;
    plan.action = "long";
    plan.account = buyer;
    plan.measure = "healthFactor";
    plan.token_symbol = "ETH";
    plan.pays_in = true;

    // The NFT and its price: the pair that holds it, or the cheapest ask's pair and an NFT it holds.
    auto pools = pricing::read_collection_pools(client, registry, collection);
    if (!pools) return std::unexpected(pools.error());
    Address holder;
    U256 id;
    if (token_id) {
        auto owner = view_at(client, collection, "ownerOf(uint256)", {value(*token_id)}, "(address)", pools->block);
        if (!owner) return fail(Errc::Refused, "token #" + token_id->to_dec() + " does not exist");
        holder = address((*owner)[0]);
        id = *token_id;
    } else {
        auto cheapest = plan_buy(*pools, 1, max_price, buyer);
        if (!cheapest) return std::unexpected(cheapest.error());
        holder = cheapest->swaps.front().pair;
        auto first = view_at(client, collection, "tokenOfOwnerByIndex(address,uint256)", {value(holder), value(U256(0))}, "(uint256)", pools->block);
        if (!first) return fail(Errc::Refused, "the cheapest pool's NFTs cannot be listed (tokenOfOwnerByIndex): name one with --token-id");
        id = u256((*first)[0]);
    }
    auto bought = plan_buy_ids(*pools, {{id, holder}}, max_price, buyer);
    if (!bought) return std::unexpected(bought.error());
    out.pair = bought->swaps.front().pair;
    out.token_id = id;
    out.price = bought->total;

    auto collateral = view_at(client, *pool, "getNftCollateralData(address,address)", {value(collection), value(*reserve)},
                              "(uint256,uint256,uint256,uint256,uint256,uint256,uint256)", block);
    auto reserve_data = view_at(client, *pool, "getReserveData(address)", {value(*reserve)},
                                kBendReserveDataTypes, block);
    auto stale = view_at(client, *nft_oracle, "isPriceStale(address)", {value(collection)}, "(bool)", block);
    auto premium_bps = view_at(client, *lender, "FLASHLOAN_PREMIUM_TOTAL()", {}, "(uint256)", block);
    auto lendable = view_at(client, *reserve, "balanceOf(address)", {value(*lender)}, "(uint256)", block);
    auto reserve_price = view_at(client, *reserve_oracle, "getAssetPrice(address)", {value(*reserve)}, "(uint256)", block);
    auto delegated = view_at(client, *pool, "borrowAllowance(address,address,address)", {value(*reserve), value(buyer), value(*down_payment)}, "(uint256)", block);
    auto eth = eth::get_balance(client, buyer, eth::BlockTag::number(block));
    auto head = eth::get_block(client, eth::BlockTag::number(block));
    if (!collateral) return fail(Errc::Refused, "the lending pool does not lend against this collection: " + collateral.error().message());
    if (!reserve_data || !stale || !premium_bps || !lendable || !reserve_price || !delegated || !eth || !head)
        return fail(Errc::Rpc, "cannot read the lending pool and the flash lender at block " + std::to_string(block));
    if (boolean((*stale)[0])) return fail(Errc::Refused, "the oracle's price of this collection is stale: the pool refuses to lend against it now");
    out.collateral = u256((*collateral)[1]);
    out.ltv_bps = u256((*collateral)[4]).to_u64().value_or(0);
    out.threshold_bps = u256((*collateral)[5]).to_u64().value_or(0);
    const auto& reserve_fields = list((*reserve_data)[0]);
    out.loan_inputs.borrow_index = u256(reserve_fields[2]);
    out.loan_inputs.borrow_rate = u256(reserve_fields[4]);
    out.loan_inputs.index_updated = u256(reserve_fields[5]).to_u64().value_or(0);
    out.loan_inputs.collateral = out.collateral;
    out.loan_inputs.liquidation_threshold = out.threshold_bps;
    out.borrow_rate = out.loan_inputs.borrow_rate;

    // The split: the buyer's share rounded up, the rest flash-borrowed and owed with its premium.
    const U256 bps(10000);
    out.own_funds = (out.price * U256(down_payment_bps) + bps - U256(1)) / bps;
    out.flash_loan = out.price - out.own_funds;
    out.premium = flash_premium(out.flash_loan, u256((*premium_bps)[0]));
    out.debt = out.flash_loan + out.premium;
    // The least down payment the LTV allows: the largest flash loan whose debt stays within it.
    const U256 cap = fixed::percent_mul(out.collateral, out.ltv_bps);
    U256 max_flash = cap * bps / (bps + u256((*premium_bps)[0]));
    while (!max_flash.is_zero() && max_flash + flash_premium(max_flash, u256((*premium_bps)[0])) > cap) max_flash = max_flash - U256(1);
    out.min_own_funds = out.price > max_flash ? out.price - max_flash : U256(0);
    out.max_leverage = out.min_own_funds.is_zero() ? U256(0) : fixed::wad_div(out.price, out.min_own_funds);
    if (out.debt > cap)
        return fail(Errc::Refused, "a down payment of " + eth_text(out.own_funds) + " leaves a loan of " + eth_text(out.debt) + ", over what the pool lends against this NFT (" +
                                       eth_text(cap) + ", LTV " + std::to_string(out.ltv_bps / 100) + " %): the least down payment is " + eth_text(out.min_own_funds) +
                                       " (" + std::to_string((out.min_own_funds * bps / out.price).to_u64().value_or(0) / 100) + " %), a leverage of " +
                                       out.max_leverage.format_units(18).substr(0, 4) + "×");
    if (out.flash_loan > u256((*lendable)[0])) return fail(Errc::Refused, "the flash lender holds " + eth_text(u256((*lendable)[0])) + ", less than the " + eth_text(out.flash_loan) + " to borrow");

    plan.amount = out.own_funds;
    plan.balance_before = *eth;
    if (plan.balance_before < plan.amount)
        return fail(Errc::Refused, "the account holds " + eth_text(plan.balance_before) + ", less than the down payment of " + eth_text(plan.amount));
    out.health_after = down_payment_health_at(out, head->timestamp);
    plan.health_before = U256::max();
    plan.predicted_health = out.health_after;
    out.liquidation_price = pool_loan_liquidation_price(out.debt, out.threshold_bps, u256((*reserve_price)[0]), fixed::wad());
    out.cost_per_day = pool_loan_cost_per_day(out.debt, out.borrow_rate);

    if (u256((*delegated)[0]) < out.debt) {
        const auto approve = read_call(*pool, "approveDelegation(address,address,uint256)", {value(*reserve), value(*down_payment), value(out.debt)});
        plan.calls.push_back({*pool, approve.call_data, {}, "let the DownPayment contract borrow up to " + out.debt.format_units(18) + " WETH in your name (credit delegation)", 80'000});
    }
    const auto buy = read_call(*down_payment, "buy(address,uint256,uint256,uint256)", {value(out.pair), value(id), value(out.price), value(out.flash_loan)});
    plan.calls.push_back({*down_payment, buy.call_data, out.own_funds,
                          "buy NFT #" + id.to_dec() + " from pair " + out.pair.to_hex() + " for " + eth_text(out.price) + ": " + eth_text(out.own_funds) +
                              " of yours, " + eth_text(out.flash_loan) + " flash-borrowed and repaid by a loan of " + eth_text(out.debt) +
                              " against the NFT in your name",
                          900'000});
    return out;
}

}  // namespace nftterm::protocols::actions
