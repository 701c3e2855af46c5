#include "pool_credit.hpp"

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


struct PoolNames {
    Address pool, reserve;
};

Result<PoolNames> pool_names(const Registry& registry)
{
    const auto pool = registry.contract("BendLendPool");
    const auto reserve = registry.contract("WETH9");
    if (!pool || !reserve) return fail(Errc::Config, "the registry names no BendDAO LendPool with its WETH reserve");
    return PoolNames{*pool, *reserve};
}

PositionPlan plan_of(const std::string& action, const Address& account)
{
    PositionPlan plan;
    plan.action = action;
    plan.account = account;
    plan.measure = "healthFactor";
    return plan;
}

Result<LendPlan> lend_reads(eth::RpcClient& client, const PoolNames& names, const std::string& action, const Address& account, std::uint64_t block)
{
    LendPlan out;
    out.plan = plan_of(action, account);
    if (auto token = read_token(client, out.plan, names.reserve, block); !token) return std::unexpected(token.error());
    auto deposit = view_at(client, names.pool, "getDepositBalance(address,address)", {value(names.reserve), value(account)}, "(uint256)", block);
    auto reserve = view_at(client, names.pool, "getReserveData(address)", {value(names.reserve)}, kBendReserveDataTypes, block);
    auto liquidity = view_at(client, names.reserve, "balanceOf(address)", {value(names.pool)}, "(uint256)", block);
    if (!deposit || !reserve || !liquidity) return fail(Errc::Rpc, "cannot read the lending pool at block " + std::to_string(block));
    out.deposit_before = u256((*deposit)[0]);
    out.supply_rate = u256(list((*reserve)[0])[3]);
    out.available_liquidity = u256((*liquidity)[0]);
    return out;
}

/// A loan of the pool by collection and token: its id, state, debt and auction, as the pool's views answer at `block`.
struct LoanView {
    U256 loan_id, debt, debt_later, liquidate_price, last_bid, bid_fine, health;
    Address borrower, bidder;
    std::uint64_t state = 0, bid_start = 0, bid_end = 0, redeem_end = 0, timestamp = 0, redeem_threshold_bps = 0;
    PositionPlan::PoolLoanInputs inputs;
};

Result<LoanView> read_loan(eth::RpcClient& client, const Registry& registry, const PoolNames& names, const Address& collection, const U256& token_id,
                           std::uint64_t block)
{
    auto debt = view_at(client, names.pool, "getNftDebtData(address,uint256)", {value(collection), value(token_id)},
                        "(uint256,address,uint256,uint256,uint256,uint256)", block);
    if (!debt) return std::unexpected(debt.error());
    LoanView view;
    view.loan_id = u256((*debt)[0]);
    if (view.loan_id.is_zero()) return fail(Errc::Refused, "NFT #" + token_id.to_dec() + " of " + collection.to_hex() + " has no loan in the pool");
    view.debt = u256((*debt)[3]);
    view.health = u256((*debt)[5]);
    auto loan = view_at(client, registry.contract("BendLendPoolLoan").value_or(names.pool), "getLoan(uint256)", {value(view.loan_id)},
                        "((uint256,uint8,address,address,uint256,address,uint256,uint256,address,uint256,uint256,address))", block);
    auto auction = view_at(client, names.pool, "getNftAuctionData(address,uint256)", {value(collection), value(token_id)},
                           "(uint256,address,uint256,uint256,uint256)", block);
    auto times = view_at(client, names.pool, "getNftAuctionEndTime(address,uint256)", {value(collection), value(token_id)}, "(uint256,uint256,uint256,uint256)", block);
    auto liquidate = view_at(client, names.pool, "getNftLiquidatePrice(address,uint256)", {value(collection), value(token_id)}, "(uint256,uint256)", block);
    auto reserve = view_at(client, names.pool, "getReserveData(address)", {value(names.reserve)}, kBendReserveDataTypes, block);
    auto config = view_at(client, names.pool, "getNftConfiguration(address)", {value(collection)}, "((uint256))", block);
    auto head = eth::get_block(client, eth::BlockTag::number(block));
    if (!loan || !auction || !times || !liquidate || !reserve || !config || !head) return fail(Errc::Rpc, "cannot read loan #" + view.loan_id.to_dec() + " at block " + std::to_string(block));
    const auto& fields = list((*loan)[0]);
    view.state = u256(fields[1]).to_u64().value_or(0);
    view.borrower = address(fields[2]);
    view.inputs.scaled_debt = u256(fields[6]);
    view.bidder = address((*auction)[1]);
    view.last_bid = u256((*auction)[2]);
    view.bid_fine = u256((*auction)[4]);
    view.bid_start = u256((*times)[1]).to_u64().value_or(0);
    view.bid_end = u256((*times)[2]).to_u64().value_or(0);
    view.redeem_end = u256((*times)[3]).to_u64().value_or(0);
    view.liquidate_price = u256((*liquidate)[0]);
    const auto& reserve_fields = list((*reserve)[0]);
    view.inputs.borrow_index = u256(reserve_fields[2]);
    view.inputs.borrow_rate = u256(reserve_fields[4]);
    view.inputs.index_updated = u256(reserve_fields[5]).to_u64().value_or(0);
    const U256 nft_config = u256(list((*config)[0])[0]);
    view.inputs.liquidation_threshold = ((nft_config / U256(65536)) % U256(65536)).to_u64().value_or(0);
    view.inputs.collateral = u256((*debt)[2]);
    // NftConfiguration bits 96-111: the redeem threshold (bps of the debt).
    view.redeem_threshold_bps = ((nft_config / *U256::from_hex("0x1000000000000000000000000")) % U256(65536)).to_u64().value_or(0);
    view.timestamp = head->timestamp;
    view.debt_later = fixed::ray_mul(view.inputs.scaled_debt, borrow_index_at(view.inputs, view.timestamp + kPoolLoanLandingSeconds));
    return view;
}

}  // namespace

Result<LendPlan> plan_lend_deposit(eth::RpcClient& client, const Registry& registry, const Address& account, const U256& amount, std::uint64_t block)
{
    auto names = pool_names(registry);
    if (!names) return std::unexpected(names.error());
    if (amount.is_zero()) return fail(Errc::Refused, "the amount to deposit must be above 0");
    auto out = lend_reads(client, *names, "lendDeposit", account, block);
    if (!out) return std::unexpected(out.error());
    out->plan.amount = amount;
    out->plan.pays_in = true;
    if (auto enough = require_balance(out->plan); !enough) return std::unexpected(enough.error());
    if (auto approved = add_approval(client, out->plan, names->pool, "LendPool", amount, block); !approved) return std::unexpected(approved.error());
    const auto deposit = read_call(names->pool, "deposit(address,uint256,address,uint16)", {value(names->reserve), value(amount), value(account), value(std::uint64_t(0))});
    out->plan.calls.push_back({names->pool, deposit.call_data, {}, "deposit " + token_text(out->plan, amount) + " into the lending pool", 300'000});
    return out;
}

Result<LendPlan> plan_lend_withdraw(eth::RpcClient& client, const Registry& registry, const Address& account, const std::optional<U256>& amount, std::uint64_t block)
{
    auto names = pool_names(registry);
    if (!names) return std::unexpected(names.error());
    auto out = lend_reads(client, *names, "lendWithdraw", account, block);
    if (!out) return std::unexpected(out.error());
    if (out->deposit_before.is_zero()) return fail(Errc::Refused, "the account has nothing deposited in the lending pool");
    out->plan.pays_in = false;
    // Everything: the pool's max, so the interest earned until it lands comes too.
    out->plan.amount = amount.value_or(out->deposit_before);
    if (out->plan.amount.is_zero()) return fail(Errc::Refused, "the amount to withdraw must be above 0");
    if (out->plan.amount > out->deposit_before)
        return fail(Errc::Refused, "the account has " + token_text(out->plan, out->deposit_before) + " deposited, less than " + token_text(out->plan, out->plan.amount));
    if (out->plan.amount > out->available_liquidity)
        return fail(Errc::Refused, "the pool holds " + token_text(out->plan, out->available_liquidity) + " unlent now: withdraw at most that, or wait for repayments");
    const U256 sent = amount ? *amount : U256::max();
    const auto withdraw = read_call(names->pool, "withdraw(address,uint256,address)", {value(names->reserve), value(sent), value(account)});
    out->plan.calls.push_back({names->pool, withdraw.call_data, {},
                               "withdraw " + (amount ? token_text(out->plan, *amount) : "the whole deposit (" + token_text(out->plan, out->deposit_before) + " and the interest until it lands)") +
                                   " from the lending pool",
                               300'000});
    return out;
}

Result<PositionPlan> plan_redeem(eth::RpcClient& client, const Registry& registry, const Position& position, const std::optional<U256>& amount)
{
    if (position.key.protocol != Protocol::BendDao || !position.token_id) return fail(Errc::Refused, "only a pool loan in auction is redeemed");
    auto names = pool_names(registry);
    if (!names) return std::unexpected(names.error());
    auto loan = read_loan(client, registry, *names, position.collection, *position.token_id, position.price_block);
    if (!loan) return std::unexpected(loan.error());
    if (loan->state != kPoolLoanAuction) return fail(Errc::Refused, "the loan is not in auction: nothing to redeem (repay or top it up instead)");
    if (loan->timestamp > loan->redeem_end) return fail(Errc::Refused, "the redeem window ended at unix time " + std::to_string(loan->redeem_end) + ": the loan can no longer be redeemed");
    PositionPlan plan = plan_for(position, "redeem", "healthFactor");
    plan.pool_loan = loan->inputs;
    if (auto token = read_token(client, plan, names->reserve, position.price_block); !token) return std::unexpected(token.error());
    // The least the pool takes (the redeem threshold of the debt), at most 90 % of it.
    const U256 least = fixed::percent_mul(loan->debt_later, loan->redeem_threshold_bps);
    const U256 most = fixed::percent_mul(loan->debt, 9000);
    const U256 part = amount.value_or(least);
    if (part < least) return fail(Errc::Refused, "the pool takes at least " + token_text(plan, least) + " (its redeem threshold of the debt)");
    if (part > most) return fail(Errc::Refused, "the pool takes at most 90 % of the debt, " + token_text(plan, most) + ", in a redeem");
    // The fine follows the debt until it lands: sent as that of the debt a little later, the pool takes its own.
    const U256 fine_later = loan->debt.is_zero() ? loan->bid_fine : *U256::mul_div(loan->bid_fine, loan->debt_later, loan->debt) + U256(1);
    plan.bid_fine = loan->bid_fine;
    plan.amount = part + loan->bid_fine;
    plan.health_before = U256(0);
    plan.predicted_health = *predicted_health_at(plan, loan->timestamp);
    if (auto enough = require_balance(plan); !enough) return std::unexpected(enough.error());
    if (auto approved = add_approval(client, plan, names->pool, "LendPool", part + fine_later, position.price_block); !approved) return std::unexpected(approved.error());
    const auto redeem = read_call(names->pool, "redeem(address,uint256,uint256,uint256)", {value(position.collection), value(*position.token_id), value(part), value(fine_later)});
    plan.calls.push_back({names->pool, redeem.call_data, {},
                          "redeem loan #" + loan->loan_id.to_dec() + ": repay " + token_text(plan, part) + " of the debt and a bid fine of " + token_text(plan, loan->bid_fine) +
                              " to the first bidder; the bid of " + token_text(plan, loan->last_bid) + " goes back to " + loan->bidder.to_hex(),
                          400'000});
    return plan;
}

Result<AuctionPlan> plan_auction_bid(eth::RpcClient& client, const Registry& registry, const Address& bidder, const Address& collection, const U256& token_id,
                                     const U256& bid, std::uint64_t block)
{
    auto names = pool_names(registry);
    if (!names) return std::unexpected(names.error());
    auto loan = read_loan(client, registry, *names, collection, token_id, block);
    if (!loan) return std::unexpected(loan.error());
    AuctionPlan out{plan_of("auctionBid", bidder), names->pool, collection, token_id, loan->loan_id, loan->debt, loan->liquidate_price, loan->last_bid,
                    loan->bid_fine, loan->bid_start, loan->bid_end, loan->redeem_end};
    PositionPlan& plan = out.plan;
    if (auto token = read_token(client, plan, names->reserve, block); !token) return std::unexpected(token.error());
    if (loan->state == kPoolLoanActive && loan->health >= fixed::wad())
        return fail(Errc::Refused, "the loan's health factor is " + loan->health.format_units(18).substr(0, 6) + ", not below 1: it cannot be auctioned");
    if (loan->state != kPoolLoanActive && loan->state != kPoolLoanAuction) return fail(Errc::Refused, "the loan is not active or in auction");
    if (loan->state == kPoolLoanAuction && loan->timestamp > loan->bid_end) return fail(Errc::Refused, "the auction ended: liquidate it instead");
    // The least bid: the liquidation price (it follows the debt), and 1 % of the debt over the last bid.
    U256 least = std::max(loan->liquidate_price, loan->debt_later);
    if (loan->state == kPoolLoanAuction) least = std::max(least, loan->last_bid + fixed::percent_mul(loan->debt_later, 100));
    if (bid < least) return fail(Errc::Refused, "the pool takes a bid of at least " + token_text(plan, least) + " (the liquidation price" +
                                                (loan->state == kPoolLoanAuction ? std::string(", and 1 % of the debt over the last bid") : std::string()) + ")");
    plan.amount = bid;
    if (auto enough = require_balance(plan); !enough) return std::unexpected(enough.error());
    if (auto approved = add_approval(client, plan, names->pool, "LendPool", bid, block); !approved) return std::unexpected(approved.error());
    const auto call = read_call(names->pool, "auction(address,uint256,uint256,address)", {value(collection), value(token_id), value(bid), value(bidder)});
    plan.calls.push_back({names->pool, call.call_data, {},
                          "bid " + token_text(plan, bid) + " on loan #" + loan->loan_id.to_dec() + " (NFT #" + token_id.to_dec() + ", debt " + token_text(plan, loan->debt) +
                              "); held by the pool until outbid (returned) or the auction ends",
                          400'000});
    return out;
}

Result<AuctionPlan> plan_auction_liquidate(eth::RpcClient& client, const Registry& registry, const Address& caller, const Address& collection,
                                           const U256& token_id, std::uint64_t block)
{
    auto names = pool_names(registry);
    if (!names) return std::unexpected(names.error());
    auto loan = read_loan(client, registry, *names, collection, token_id, block);
    if (!loan) return std::unexpected(loan.error());
    AuctionPlan out{plan_of("auctionLiquidate", caller), names->pool, collection, token_id, loan->loan_id, loan->debt, loan->liquidate_price, loan->last_bid,
                    loan->bid_fine, loan->bid_start, loan->bid_end, loan->redeem_end};
    PositionPlan& plan = out.plan;
    if (auto token = read_token(client, plan, names->reserve, block); !token) return std::unexpected(token.error());
    if (loan->state != kPoolLoanAuction) return fail(Errc::Refused, "the loan is not in auction");
    if (loan->timestamp <= loan->bid_end)
        return fail(Errc::Refused, "the auction runs until unix time " + std::to_string(loan->bid_end) + ": it can be liquidated after that");
    // What the winning bid leaves of the debt (it grows until the call lands) is the caller's to pay.
    const U256 extra = loan->last_bid < loan->debt_later ? loan->debt_later - loan->last_bid : U256(0);
    plan.amount = extra;
    if (!extra.is_zero()) {
        if (auto enough = require_balance(plan); !enough) return std::unexpected(enough.error());
        if (auto approved = add_approval(client, plan, names->pool, "LendPool", extra, block); !approved) return std::unexpected(approved.error());
    }
    const auto call = read_call(names->pool, "liquidate(address,uint256,uint256)", {value(collection), value(token_id), value(extra)});
    plan.calls.push_back({names->pool, call.call_data, {},
                          "liquidate loan #" + loan->loan_id.to_dec() + ": NFT #" + token_id.to_dec() + " to the winning bidder " + loan->bidder.to_hex() + ", the bid of " +
                              token_text(plan, loan->last_bid) + " repays the debt" + (extra.is_zero() ? std::string() : " (" + token_text(plan, extra) + " more from you)"),
                          400'000});
    return out;
}

}  // namespace nftterm::protocols::actions
