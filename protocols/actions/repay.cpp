#include "repay.hpp"

#include "plan_reads.hpp"
#include <protocols/positions/read_helpers.hpp>

#include <protocols/eth/rpc/eth_api.hpp>

namespace nftterm::protocols::actions {

using namespace positions;
using namespace positions::detail;
using namespace actions::detail;
using wallet::Address;
using wallet::U256;

namespace {

/// The approval covers the debt this much after the plan; the pool takes only the debt.
constexpr std::uint64_t kInterestMarginSeconds = 600;

Result<PositionPlan> plan_p2p(eth::RpcClient& client, const Position& position)
{
    if (position.state == PositionState::Overdue)
        return fail(Errc::Refused, "the loan is past its maturity: NFTfi refuses payBackLoan now and the lender may foreclose");
    const Address loans = position.key.contract;
    const std::uint64_t block = position.price_block;
    auto payoff = view_at(client, loans, "getPayoffAmount(uint32)", {value(position.key.number)}, "(uint256)", block);
    if (!payoff) return std::unexpected(payoff.error());
    PositionPlan plan = plan_for(position, "repay", "payoff");
    plan.health_before = position.debt;
    plan.closes_position = true;
    plan.predicted_health = U256::max();
    if (auto token = read_token(client, plan, position.currency, block); !token) return std::unexpected(token.error());
    plan.amount = u256((*payoff)[0]);
    if (auto enough = require_balance(plan); !enough) return std::unexpected(enough.error());
    if (auto approved = add_approval(client, plan, loans, "NFTfi", plan.amount, block); !approved) return std::unexpected(approved.error());
    const auto pay = read_call(loans, "payBackLoan(uint32)", {value(position.key.number)});
    plan.calls.push_back({loans, pay.call_data, {}, "pay back " + token_text(plan, plan.amount) + " on NFTfi loan #" + position.key.number.to_dec()});
    return plan;
}

Result<PositionPlan> plan_pool_loan(eth::RpcClient& client, const Registry& registry, const Position& position)
{
    if (position.state != PositionState::Active) return fail(Errc::Refused, "the loan is in auction: redeem it (repay part and the bid fine) instead");
    auto read = read_pool_loan(client, registry, position);
    if (!read) return std::unexpected(read.error());
    PositionPlan plan = plan_for(position, "repay", "healthFactor");
    plan.health_before = position.health_factor.value_or(U256(0));
    plan.closes_position = true;
    plan.predicted_health = U256::max();
    plan.pool_loan = read->inputs;
    if (auto token = read_token(client, plan, position.key.asset, position.price_block); !token) return std::unexpected(token.error());
    // The amount sent covers the debt for a while; LendPool.repay takes only the debt at landing.
    plan.amount = *pool_loan_debt_at(plan, read->timestamp + kInterestMarginSeconds);
    if (auto enough = require_balance(plan); !enough) return std::unexpected(enough.error());
    const Address pool = position.key.contract;
    if (auto approved = add_approval(client, plan, pool, "LendPool", plan.amount, position.price_block); !approved) return std::unexpected(approved.error());
    const auto repay = read_call(pool, "repay(address,uint256,uint256)", {value(position.collection), value(*position.token_id), value(plan.amount)});
    plan.calls.push_back({pool, repay.call_data, {}, "repay all of loan #" + std::to_string(position.key.loan) + " (up to " + token_text(plan, plan.amount) + ")"});
    // The debt is what leaves the account; the rest of the amount only bounds it.
    plan.amount = *pool_loan_debt_at(plan, read->timestamp);
    return plan;
}

}  // namespace

Result<PositionPlan> plan_repay(eth::RpcClient& client, const Registry& registry, const Position& position)
{
    if (!position.readable) return fail(Errc::Refused, "the position could not be read: " + position.unreadable_reason);
    switch (position.key.protocol) {
    case Protocol::Nftfi: return plan_p2p(client, position);
    case Protocol::BendDao: return plan_pool_loan(client, registry, position);
    case Protocol::Perp: return fail(Errc::Refused, "a perp has no loan to repay: close it instead");
    case Protocol::Sudoswap: break;
    }
    return fail(Errc::Refused, "an AMM pool position has no loan to repay");
}

}  // namespace nftterm::protocols::actions
