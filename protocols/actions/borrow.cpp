#include "borrow.hpp"

#include "plan_reads.hpp"

#include <protocols/eth/rpc/eth_api.hpp>
#include <protocols/positions/fixed_point.hpp>
#include <protocols/positions/pool_loan_math.hpp>
#include <protocols/positions/read_helpers.hpp>

namespace nftterm::protocols::actions {

using namespace positions;
using namespace positions::detail;
using namespace actions::detail;
using wallet::Address;
using wallet::U256;

namespace {

U256 debt_after_at(const BorrowPlan& plan, std::uint64_t timestamp)
{
    const auto& in = *plan.plan.pool_loan;
    const U256 index = borrow_index_at(in, timestamp);
    // LendPool.borrow: scaled += rayDiv(amount, index); the debt is the scaled sum × index.
    return fixed::ray_mul(in.scaled_debt + fixed::ray_div(plan.plan.amount, index), index);
}

}  // namespace

U256 borrow_health_at(const BorrowPlan& plan, std::uint64_t timestamp)
{
    return pool_loan_health(plan.collateral, plan.threshold_bps, debt_after_at(plan, timestamp));
}

Result<BorrowPlan> plan_borrow(eth::RpcClient& client, const Registry& registry, const Address& account, const Address& collection, const U256& token_id,
                               const std::optional<U256>& amount, const std::optional<U256>& target_health, std::uint64_t block)
{
    const auto pool = registry.contract("BendLendPool");
    const auto reserve = registry.contract("WETH9");
    const auto nft_oracle = registry.contract("NFTOracle");
    const auto reserve_oracle = registry.contract("BendReserveOracle");
    if (!pool || !reserve || !nft_oracle || !reserve_oracle) return fail(Errc::Config, "the registry names no BendDAO LendPool with its WETH reserve and oracles");
    if (amount.has_value() == target_health.has_value()) return fail(Errc::Refused, "give the amount to borrow or the health to borrow down to (one of them)");
    if (target_health && *target_health <= fixed::wad()) return fail(Errc::Refused, "a target health at or below 1 would be liquidatable at once");

    BorrowPlan out;
    out.pool = *pool;
    out.collection = collection;
    out.token_id = token_id;
    PositionPlan& plan = out.plan;
    plan.action = "borrow";
    plan.account = account;
    plan.measure = "healthFactor";
    plan.pays_in = false;
    if (auto token = read_token(client, plan, *reserve, block); !token) return std::unexpected(token.error());

    auto collateral = view_at(client, *pool, "getNftCollateralData(address,address)", {value(collection), value(*reserve)},
                              "(uint256,uint256,uint256,uint256,uint256,uint256,uint256)", block);
    auto debt = view_at(client, *pool, "getNftDebtData(address,uint256)", {value(collection), value(token_id)},
                        "(uint256,address,uint256,uint256,uint256,uint256)", block);
    auto reserve_data = view_at(client, *pool, "getReserveData(address)", {value(*reserve)},
                                kBendReserveDataTypes, block);
    auto stale = view_at(client, *nft_oracle, "isPriceStale(address)", {value(collection)}, "(bool)", block);
    auto reserve_price = view_at(client, *reserve_oracle, "getAssetPrice(address)", {value(*reserve)}, "(uint256)", block);
    auto liquidity = view_at(client, *reserve, "balanceOf(address)", {value(*pool)}, "(uint256)", block);
    auto head = eth::get_block(client, eth::BlockTag::number(block));
    if (!collateral) return fail(Errc::Refused, "the pool does not lend against this collection: " + collateral.error().message());
    if (!debt || !reserve_data || !stale || !reserve_price || !liquidity || !head) return fail(Errc::Rpc, "cannot read the pool at block " + std::to_string(block));
    if (boolean((*stale)[0])) return fail(Errc::Refused, "the oracle's price of this collection is stale: the pool refuses to lend against it now");

    out.collateral = u256((*collateral)[1]);
    out.ltv_bps = u256((*collateral)[4]).to_u64().value_or(0);
    out.threshold_bps = u256((*collateral)[5]).to_u64().value_or(0);
    out.bonus_bps = u256((*collateral)[6]).to_u64().value_or(0);
    out.available_liquidity = u256((*liquidity)[0]);
    out.timestamp = head->timestamp;
    const auto& reserve_fields = list((*reserve_data)[0]);
    PositionPlan::PoolLoanInputs in;
    in.borrow_index = u256(reserve_fields[2]);
    in.borrow_rate = u256(reserve_fields[4]);
    in.index_updated = u256(reserve_fields[5]).to_u64().value_or(0);
    in.collateral = out.collateral;
    in.liquidation_threshold = out.threshold_bps;
    out.borrow_rate = in.borrow_rate;

    const U256 loan_id = u256((*debt)[0]);
    out.new_loan = loan_id.is_zero();
    if (out.new_loan) {
        auto owner = view_at(client, collection, "ownerOf(uint256)", {value(token_id)}, "(address)", block);
        if (!owner) return fail(Errc::Refused, "token #" + token_id.to_dec() + " of " + collection.to_hex() + " does not exist");
        if (address((*owner)[0]) != account)
            return fail(Errc::Refused, "token #" + token_id.to_dec() + " is held by " + address((*owner)[0]).to_hex() + ", not by the borrowing account");
    } else {
        // More on the NFT's loan: only its borrower, only while active.
        auto loan = view_at(client, registry.contract("BendLendPoolLoan").value_or(*pool), "getLoan(uint256)", {value(loan_id)},
                            "((uint256,uint8,address,address,uint256,address,uint256,uint256,address,uint256,uint256,address))", block);
        if (!loan) return std::unexpected(loan.error());
        const auto& fields = list((*loan)[0]);
        if (u256(fields[1]).to_u64().value_or(0) != kPoolLoanActive) return fail(Errc::Refused, "loan #" + loan_id.to_dec() + " is not active (in auction or over)");
        if (address(fields[2]) != account) return fail(Errc::Refused, "loan #" + loan_id.to_dec() + " is " + address(fields[2]).to_hex() + "'s, not the borrowing account's");
        if (address(fields[5]) != *reserve) return fail(Errc::Refused, "loan #" + loan_id.to_dec() + " is in another reserve");
        in.scaled_debt = u256(fields[6]);
    }
    plan.pool_loan = in;
    out.debt_before = *pool_loan_debt_at(plan, out.timestamp + kPoolLoanLandingSeconds);
    const U256 cap = fixed::percent_mul(out.collateral, out.ltv_bps);
    out.max_borrow = cap > out.debt_before ? cap - out.debt_before : U256(0);
    if (target_health) {
        // The debt at which the health is the target: threshold-weighted collateral / target, less what is owed already.
        const U256 allowed = fixed::percent_mul(out.collateral, out.threshold_bps) * fixed::wad() / *target_health;
        if (allowed <= out.debt_before)
            return fail(Errc::Refused, "the loan's health is already at or below " + target_health->format_units(18) + ": nothing more can be borrowed to it");
        plan.amount = allowed - out.debt_before;
    } else {
        plan.amount = *amount;
    }
    if (plan.amount.is_zero()) return fail(Errc::Refused, "nothing to borrow");
    if (plan.amount > out.max_borrow)
        return fail(Errc::Refused, "borrowing " + token_text(plan, plan.amount) + " passes the collection's loan-to-value (" + std::to_string(out.ltv_bps / 100) +
                                       " %): the most this NFT can borrow now is " + token_text(plan, out.max_borrow));
    if (plan.amount > out.available_liquidity)
        return fail(Errc::Refused, "the pool holds " + token_text(plan, out.available_liquidity) + " to lend, less than " + token_text(plan, plan.amount));

    out.debt_after = debt_after_at(out, out.timestamp);
    out.health_after = borrow_health_at(out, out.timestamp);
    plan.health_before = out.new_loan ? U256::max() : pool_loan_health(out.collateral, out.threshold_bps, out.debt_before);
    plan.predicted_health = out.health_after;
    const U256 unit = [&] {
        U256 u(1);
        for (unsigned i = 0; i < plan.token_decimals; ++i) u = u * U256(10);
        return u;
    }();
    out.liquidation_price = pool_loan_liquidation_price(out.debt_after, out.threshold_bps, u256((*reserve_price)[0]), unit);
    out.cost_per_day = pool_loan_cost_per_day(out.debt_after, out.borrow_rate);

    if (out.new_loan) {
        // The pool takes the NFT: approved to it first unless it already may.
        auto approved = view_at(client, collection, "getApproved(uint256)", {value(token_id)}, "(address)", block);
        auto for_all = view_at(client, collection, "isApprovedForAll(address,address)", {value(account), value(*pool)}, "(bool)", block);
        const bool may = (approved && address((*approved)[0]) == *pool) || (for_all && boolean((*for_all)[0]));
        if (!may) {
            const auto approve = read_call(collection, "approve(address,uint256)", {value(*pool), value(token_id)});
            plan.calls.push_back({collection, approve.call_data, {}, "approve NFT #" + token_id.to_dec() + " to LendPool", 80'000});
        }
    }
    const auto borrow = read_call(*pool, "borrow(address,uint256,address,uint256,address,uint16)",
                                  {value(*reserve), value(plan.amount), value(collection), value(token_id), value(account), value(std::uint64_t(0))});
    plan.calls.push_back({*pool, borrow.call_data, {},
                          "borrow " + token_text(plan, plan.amount) + " against NFT #" + token_id.to_dec() + (out.new_loan ? " (a new loan: the NFT goes into the pool)" : " (more on its loan)") +
                              ", health factor after " + out.health_after.format_units(18).substr(0, 6),
                          500'000});
    return out;
}

}  // namespace nftterm::protocols::actions
