#include "topup.hpp"

#include "fixed_point.hpp"
#include "read_helpers.hpp"

#include <protocols/eth/rpc/eth_api.hpp>

namespace nftterm::protocols::positions {

using namespace detail;
using wallet::Address;
using wallet::U256;

namespace {

/// Interest keeps accruing until the repay lands: plan for this much later.
constexpr std::uint64_t kLandingMarginSeconds = 120;

std::string eth_text(const U256& wei, const std::string& symbol)
{
    std::string text = wei.format_units(18);
    if (const auto dot = text.find('.'); dot != std::string::npos && text.size() > dot + 7) text.resize(dot + 7);
    return text + " " + symbol;
}

Result<std::vector<abi::Value>> view(eth::RpcClient& client, const eth::ReadCall& call, const std::string& types, std::uint64_t block)
{
    eth::CallRequest request;
    request.to = call.target;
    request.data = call.call_data;
    auto output = eth::call(client, request, eth::BlockTag::number(block));
    if (!output) return std::unexpected(output.error());
    auto values = outputs({true, *output}, types);
    if (!values) return fail(Errc::Decode, "unexpected return data from " + call.target.to_hex());
    return *values;
}

/// approve(spender, amount) first when the allowance is short.
Result<void> add_approval(eth::RpcClient& client, TopUpPlan& plan, const Address& owner, const Address& spender, const std::string& spender_name,
                          std::uint64_t block)
{
    auto allowance = view(client, read_call(plan.token, "allowance(address,address)", {value(owner), value(spender)}), "(uint256)", block);
    if (!allowance) return std::unexpected(allowance.error());
    if (u256((*allowance)[0]) >= plan.amount) return {};
    const auto call = read_call(plan.token, "approve(address,uint256)", {value(spender), value(plan.amount)});
    plan.calls.push_back({plan.token, call.call_data, {}, "approve " + eth_text(plan.amount, "WETH") + " to " + spender_name});
    return {};
}

Result<TopUpPlan> plan_pool_loan(eth::RpcClient& client, const Registry& registry, const Position& position, const U256& target)
{
    const std::uint64_t block = position.price_block;
    const Address pool = position.key.contract;
    auto loan = view(client, read_call(registry.contract("BendLendPoolLoan").value_or(pool), "getLoan(uint256)", {value(position.key.loan)}),
                     "((uint256,uint8,address,address,uint256,address,uint256,uint256,address,uint256,uint256,address))", block);
    auto reserve = view(client, read_call(pool, "getReserveData(address)", {value(position.key.asset)}),
                        "(((uint256),uint128,uint128,uint128,uint128,uint40,address,address,address,uint8,uint256))", block);
    auto config = view(client, read_call(pool, "getNftConfiguration(address)", {value(position.collection)}), "((uint256))", block);
    auto head = eth::get_block(client, eth::BlockTag::number(block));
    if (!loan || !reserve || !config || !head) return fail(Errc::Rpc, "cannot read the loan at block " + std::to_string(block));
    if (position.state != "active") return fail(Errc::Config, "the loan is in auction: redeem it instead of repaying part of it");

    TopUpPlan plan;
    plan.position_id = position.key.id();
    plan.account = position.key.account;
    plan.measure = "healthFactor";
    plan.health_before = *position.health_factor;
    plan.target = target;
    plan.token = position.key.asset;
    TopUpPlan::PoolLoanInputs in;
    in.scaled_debt = u256(list((*loan)[0])[6]);
    const auto& fields = list((*reserve)[0]);
    in.borrow_index = u256(fields[2]);
    in.borrow_rate = u256(fields[4]);
    in.index_updated = u256(fields[5]).to_u64().value_or(0);
    in.collateral = position.collateral_value;
    in.liquidation_threshold = ((u256(list((*config)[0])[0]) / U256(65536)) % U256(65536)).to_u64().value_or(0);
    plan.pool_loan = in;

    // The debt a little after now; repay down to threshold-weighted collateral / target.
    const std::uint64_t later = head->timestamp + kLandingMarginSeconds;
    const U256 debt_later = fixed::ray_mul(in.scaled_debt, fixed::ray_mul(fixed::compounded_interest(in.borrow_rate, later - in.index_updated), in.borrow_index));
    const U256 allowed_debt = fixed::percent_mul(in.collateral, in.liquidation_threshold) * fixed::wad() / target;
    if (debt_later <= allowed_debt) return fail(Errc::Config, "the loan is already at or above the target health");
    plan.amount = debt_later - allowed_debt;
    plan.predicted_health = *predicted_health_at(plan, head->timestamp);

    auto balance = view(client, read_call(plan.token, "balanceOf(address)", {value(position.key.account)}), "(uint256)", block);
    if (!balance) return std::unexpected(balance.error());
    plan.balance_before = u256((*balance)[0]);
    if (plan.balance_before < plan.amount)
        return fail(Errc::Config, "the account holds " + eth_text(plan.balance_before, "WETH") + ", the top-up needs " + eth_text(plan.amount, "WETH"));
    if (auto approved = add_approval(client, plan, position.key.account, pool, "LendPool", block); !approved) return std::unexpected(approved.error());
    const auto repay = read_call(pool, "repay(address,uint256,uint256)", {value(position.collection), value(*position.token_id), value(plan.amount)});
    plan.calls.push_back({pool, repay.call_data, {}, "repay " + eth_text(plan.amount, "WETH") + " on loan #" + std::to_string(position.key.loan)});
    return plan;
}

Result<TopUpPlan> plan_perp(eth::RpcClient& client, const Registry& registry, const Position& position, const U256& target)
{
    (void)registry;
    if (!position.margin_ratio || position.debt == U256(0)) return fail(Errc::Config, "the position has no open notional");
    TopUpPlan plan;
    plan.position_id = position.key.id();
    plan.account = position.key.account;
    plan.measure = "marginRatio";
    plan.health_before = position.margin_ratio->negative ? U256(0) : position.margin_ratio->magnitude;
    plan.target = target;
    plan.token = position.currency;
    // MR = remaining / notional: add target × notional − remaining, rounded up to a gwei.
    const U256 needed = fixed::mul_d(target, position.debt);
    const SignedWad remaining = fixed::mul_d(*position.margin_ratio, fixed::signed_of(position.debt));
    const SignedWad gap = fixed::sub(fixed::signed_of(needed), remaining);
    if (gap.negative || gap.magnitude == U256(0)) return fail(Errc::Config, "the position is already at or above the target margin ratio");
    const U256 gwei(1000000000ULL);
    plan.amount = (gap.magnitude / gwei + U256(1)) * gwei;
    const SignedWad after = fixed::add(remaining, fixed::signed_of(plan.amount));
    plan.predicted_health = fixed::div_d(after, fixed::signed_of(position.debt)).magnitude;
    auto balance = view(client, read_call(plan.token, "balanceOf(address)", {value(position.key.account)}), "(uint256)", position.price_block);
    if (!balance) return std::unexpected(balance.error());
    plan.balance_before = u256((*balance)[0]);
    if (plan.balance_before < plan.amount)
        return fail(Errc::Config, "the account holds " + eth_text(plan.balance_before, "WETH") + ", the top-up needs " + eth_text(plan.amount, "WETH"));
    if (auto approved = add_approval(client, plan, position.key.account, position.key.contract, "ClearingHouse", position.price_block); !approved)
        return std::unexpected(approved.error());
    abi::Value margin{abi::Value::List{value(plan.amount)}};
    const auto add = read_call(position.key.contract, "addMargin(address,(uint256))", {value(position.key.market), margin});
    plan.calls.push_back({position.key.contract, add.call_data, {}, "add " + eth_text(plan.amount, "WETH") + " margin to the perp position"});
    return plan;
}

}  // namespace

std::optional<U256> predicted_health_at(const TopUpPlan& plan, std::uint64_t timestamp)
{
    if (!plan.pool_loan) return std::nullopt;
    const auto& in = *plan.pool_loan;
    const U256 index = timestamp == in.index_updated
                           ? in.borrow_index
                           : fixed::ray_mul(fixed::compounded_interest(in.borrow_rate, timestamp - in.index_updated), in.borrow_index);
    const U256 debt = fixed::ray_mul(in.scaled_debt, index);
    if (plan.amount >= debt) return U256::max();
    // LendPool.repay: scaled -= rayDiv(amount, index) (never below zero).
    const U256 burned = std::min(fixed::ray_div(plan.amount, index), in.scaled_debt);
    const U256 debt_after = fixed::ray_mul(in.scaled_debt - burned, index);
    if (debt_after == U256(0)) return U256::max();
    return fixed::wad_div(fixed::percent_mul(in.collateral, in.liquidation_threshold), debt_after);
}

Result<TopUpPlan> plan_top_up(eth::RpcClient& client, const Registry& registry, const Position& position, const U256& target)
{
    if (!position.readable) return fail(Errc::Config, "the position could not be read: " + position.unreadable_reason);
    if (position.key.protocol == "benddao") return plan_pool_loan(client, registry, position, target);
    if (position.key.protocol == "perp") return plan_perp(client, registry, position, target);
    if (position.key.protocol == "nftfi")
        return fail(Errc::Config, "a fixed-term P2P loan has no partial top-up: repay it in full (payBackLoan) or renegotiate with the lender");
    return fail(Errc::Config, "an AMM pool has no liquidation to top up against");
}

}  // namespace nftterm::protocols::positions
