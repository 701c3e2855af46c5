#include "plan.hpp"

#include <protocols/positions/fixed_point.hpp>

namespace nftterm::protocols::actions {

namespace fixed = positions::fixed;
using wallet::U256;

U256 borrow_index_at(const PositionPlan::PoolLoanInputs& in, std::uint64_t timestamp)
{
    if (timestamp <= in.index_updated) return in.borrow_index;
    return fixed::ray_mul(fixed::compounded_interest(in.borrow_rate, timestamp - in.index_updated), in.borrow_index);
}

U256 PositionPlan::balance_after() const
{
    if (!pays_in) return balance_before + amount;
    return balance_before >= amount ? balance_before - amount : U256(0);
}

std::optional<U256> pool_loan_debt_at(const PositionPlan& plan, std::uint64_t timestamp)
{
    if (!plan.pool_loan) return std::nullopt;
    return fixed::ray_mul(plan.pool_loan->scaled_debt, borrow_index_at(*plan.pool_loan, timestamp));
}

std::optional<U256> predicted_health_at(const PositionPlan& plan, std::uint64_t timestamp)
{
    if (!plan.pool_loan) return std::nullopt;
    const auto& in = *plan.pool_loan;
    const U256 index = borrow_index_at(in, timestamp);
    const U256 debt = fixed::ray_mul(in.scaled_debt, index);
    const U256 repaid = plan.bid_fine && plan.amount >= *plan.bid_fine ? plan.amount - *plan.bid_fine : plan.amount;
    if (repaid >= debt) return U256::max();
    // LendPool.repay / redeem: scaled -= rayDiv(amount, index) (never below zero).
    const U256 burned = std::min(fixed::ray_div(repaid, index), in.scaled_debt);
    const U256 debt_after = fixed::ray_mul(in.scaled_debt - burned, index);
    if (debt_after == U256(0)) return U256::max();
    return fixed::wad_div(fixed::percent_mul(in.collateral, in.liquidation_threshold), debt_after);
}

std::string token_text(const PositionPlan& plan, const U256& amount)
{
    std::string text = amount.format_units(plan.token_decimals);
    if (const auto dot = text.find('.'); dot != std::string::npos && text.size() > dot + 7) text.resize(dot + 7);
    return text + " " + plan.token_symbol;
}

std::string eth_text(const U256& wei)
{
    return wei.format_units(18) + " ETH";
}

std::string period_text(std::uint64_t seconds)
{
    if (seconds >= 3600 && seconds % 3600 == 0) return std::to_string(seconds / 3600) + " h";
    if (seconds >= 60 && seconds % 60 == 0) return std::to_string(seconds / 60) + " min";
    return std::to_string(seconds) + " s";
}

std::string token_ids_json(const std::vector<U256>& ids)
{
    std::string out = "[";
    for (std::size_t i = 0; i < ids.size(); ++i) out += (i ? ",\"" : "\"") + ids[i].to_dec() + "\"";
    return out + "]";
}

std::string token_ids_text(const std::vector<U256>& ids)
{
    std::string out;
    for (const auto& id : ids) out += (out.empty() ? "#" : ", #") + id.to_dec();
    return out;
}

}  // namespace nftterm::protocols::actions
