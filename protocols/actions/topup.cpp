#include "topup.hpp"

#include <protocols/positions/fixed_point.hpp>
#include "plan_reads.hpp"
#include <protocols/positions/read_helpers.hpp>

namespace nftterm::protocols::actions {

using namespace positions;
using namespace positions::detail;
using namespace actions::detail;
using wallet::Address;
using wallet::U256;

namespace {

Result<PositionPlan> plan_pool_loan(eth::RpcClient& client, const Registry& registry, const Position& position, const U256& target,
                                    const Address& payer)
{
    if (position.state != PositionState::Active) return fail(Errc::Refused, "the loan is in auction: redeem it instead of repaying part of it");
    auto read = read_pool_loan(client, registry, position);
    if (!read) return std::unexpected(read.error());
    PositionPlan plan = plan_for(position, "topup", "healthFactor");
    plan.account = payer;
    plan.health_before = *position.health_factor;
    plan.target = target;
    plan.pool_loan = read->inputs;
    if (auto token = read_token(client, plan, position.key.asset, position.price_block); !token) return std::unexpected(token.error());

    // The debt a little after now; repay down to threshold-weighted collateral / target.
    const auto& in = read->inputs;
    const U256 debt_later = *pool_loan_debt_at(plan, read->timestamp + kPoolLoanLandingSeconds);
    const U256 allowed_debt = fixed::percent_mul(in.collateral, in.liquidation_threshold) * fixed::wad() / target;
    if (debt_later <= allowed_debt) return fail(Errc::Refused, "the loan is already at or above the target health");
    plan.amount = debt_later - allowed_debt;
    plan.predicted_health = *predicted_health_at(plan, read->timestamp);
    if (auto enough = require_balance(plan); !enough) return std::unexpected(enough.error());

    const Address pool = position.key.contract;
    if (auto approved = add_approval(client, plan, pool, "LendPool", plan.amount, position.price_block); !approved) return std::unexpected(approved.error());
    const auto repay = read_call(pool, "repay(address,uint256,uint256)", {value(position.collection), value(*position.token_id), value(plan.amount)});
    plan.calls.push_back({pool, repay.call_data, {}, "repay " + token_text(plan, plan.amount) + " on loan #" + std::to_string(position.key.loan)});
    return plan;
}

Result<PositionPlan> plan_perp(eth::RpcClient& client, const Position& position, const U256& target)
{
    if (!position.margin_ratio || position.debt == U256(0)) return fail(Errc::Refused, "the position has no open notional");
    PositionPlan plan = plan_for(position, "topup", "marginRatio");
    plan.health_before = position.margin_ratio->negative ? U256(0) : position.margin_ratio->magnitude;
    plan.target = target;
    if (auto token = read_token(client, plan, position.currency, position.price_block); !token) return std::unexpected(token.error());
    // MR = remaining / notional: add target × notional − remaining, rounded up to a gwei.
    const U256 needed = fixed::mul_d(target, position.debt);
    const SignedWad remaining = fixed::mul_d(*position.margin_ratio, fixed::signed_of(position.debt));
    const SignedWad gap = fixed::sub(fixed::signed_of(needed), remaining);
    if (gap.negative || gap.magnitude == U256(0)) return fail(Errc::Refused, "the position is already at or above the target margin ratio");
    const U256 gwei(1000000000ULL);
    plan.amount = (gap.magnitude / gwei + U256(1)) * gwei;
    const SignedWad after = fixed::add(remaining, fixed::signed_of(plan.amount));
    plan.predicted_health = fixed::div_d(after, fixed::signed_of(position.debt)).magnitude;
    if (auto enough = require_balance(plan); !enough) return std::unexpected(enough.error());
    if (auto approved = add_approval(client, plan, position.key.contract, "ClearingHouse", plan.amount, position.price_block); !approved)
        return std::unexpected(approved.error());
    abi::Value margin{abi::Value::List{value(plan.amount)}};
    const auto add = read_call(position.key.contract, "addMargin(address,(uint256))", {value(position.key.market), margin});
    plan.calls.push_back({position.key.contract, add.call_data, {}, "add " + token_text(plan, plan.amount) + " margin to the perp position"});
    return plan;
}

}  // namespace

Result<PositionPlan> plan_top_up(eth::RpcClient& client, const Registry& registry, const Position& position, const U256& target,
                                 const std::optional<Address>& payer)
{
    if (!position.readable) return fail(Errc::Refused, "the position could not be read: " + position.unreadable_reason);
    switch (position.key.protocol) {
    case Protocol::BendDao: return plan_pool_loan(client, registry, position, target, payer.value_or(position.key.account));
    case Protocol::Perp:
        if (payer && *payer != position.key.account)
            return fail(Errc::Refused, "only the trader " + position.key.account.to_hex() + " can add margin to this perp position (addMargin credits the sender's own position)");
        return plan_perp(client, position, target);
    case Protocol::Nftfi:
        return fail(Errc::Refused, "a fixed-term P2P loan has no partial top-up: repay it in full (payBackLoan) or renegotiate with the lender");
    case Protocol::Sudoswap: break;
    }
    return fail(Errc::Refused, "an AMM pool has no liquidation to top up against");
}

}  // namespace nftterm::protocols::actions
