#include "perp.hpp"

#include <protocols/positions/fixed_point.hpp>
#include <protocols/positions/perp_math.hpp>
#include "plan_reads.hpp"
#include <protocols/positions/read_helpers.hpp>

namespace nftterm::protocols::actions {

using namespace positions;
using namespace positions::detail;
using namespace actions::detail;
using wallet::Address;
using wallet::U256;

namespace {

constexpr std::uint64_t kAddToAmm = 0;
constexpr std::uint64_t kRemoveFromAmm = 1;

/// The stored position and the funding it owes, at the position's block.
struct PerpState {
    SignedWad size;
    U256 margin, open_notional;
    SignedWad funding;
    bool is_long() const { return !size.negative; }
};

Result<PerpState> read_perp(eth::RpcClient& client, const Position& position)
{
    const Address house = position.key.contract;
    const Address amm = position.key.market;
    const std::uint64_t block = position.price_block;
    auto stored = view_at(client, house, "getPosition(address,address)", {value(amm), value(position.key.account)},
                          "(((int256),(uint256),(uint256),(int256),uint256,uint256))", block);
    auto cumulative = view_at(client, house, "getLatestCumulativePremiumFraction(address)", {value(amm)}, "((int256))", block);
    if (!stored) return std::unexpected(stored.error());
    if (!cumulative) return std::unexpected(cumulative.error());
    const auto& fields = list((*stored)[0]);
    PerpState state;
    state.size = signed_wad(list(fields[0])[0]);
    if (state.size.magnitude == U256(0)) return fail(Errc::Refused, "the perp position is already closed");
    state.margin = u256(list(fields[1])[0]);
    state.open_notional = u256(list(fields[2])[0]);
    const SignedWad last = signed_wad(list(fields[3])[0]);
    state.funding = fixed::mul_d(fixed::sub(signed_wad(list((*cumulative)[0])[0]), last), state.size);
    return state;
}

/// 18-decimal perp amounts to token units: floor, as the clearing house's transfers.
U256 to_token_units(const PositionPlan& plan, const U256& value)
{
    U256 scale(1);
    for (unsigned i = plan.token_decimals; i < 18; ++i) scale = scale * U256(10);
    return value / scale;
}

std::string wad_text(const U256& value)
{
    std::string text = value.format_units(18);
    if (const auto dot = text.find('.'); dot != std::string::npos && text.size() > dot + 5) text.resize(dot + 5);
    return text;
}

U256 mul_d(const U256& a, const U256& b)
{
    return a * b / fixed::wad();
}

U256 div_d(const U256& a, const U256& b)
{
    return a * fixed::wad() / b;
}

/// The devnet Amm's constant-product quotes, to the wei (its inputPrice / outputPrice, rounding included).
U256 amm_input_price(bool add, const U256& quote, const U256& quote_reserve, const U256& base_reserve)
{
    const U256 k = mul_d(quote_reserve, base_reserve);
    const U256 quote_after = add ? quote_reserve + quote : quote_reserve - quote;
    const U256 base_after = div_d(k, quote_after);
    U256 base = base_after > base_reserve ? base_after - base_reserve : base_reserve - base_after;
    if (!((k * fixed::wad()) % quote_after).is_zero()) base = add ? base - U256(1) : base + U256(1);
    return base;
}

U256 amm_output_price(bool add, const U256& base, const U256& quote_reserve, const U256& base_reserve)
{
    const U256 k = mul_d(quote_reserve, base_reserve);
    const U256 base_after = add ? base_reserve + base : base_reserve - base;
    const U256 quote_after = div_d(k, base_after);
    U256 quote = quote_after > quote_reserve ? quote_after - quote_reserve : quote_reserve - quote_after;
    if (!((k * fixed::wad()) % base_after).is_zero()) quote = add ? quote - U256(1) : quote + U256(1);
    return quote;
}

}  // namespace

Result<PositionPlan> plan_close(eth::RpcClient& client, const Position& position, std::uint32_t slippage_bps)
{
    if (position.key.protocol != Protocol::Perp) return fail(Errc::Refused, "only a perp position is closed; loans are repaid");
    if (!position.readable) return fail(Errc::Refused, "the position could not be read: " + position.unreadable_reason);
    if (slippage_bps >= 10000) return fail(Errc::Refused, "the slippage limit must be under 100 %");
    auto state = read_perp(client, position);
    if (!state) return std::unexpected(state.error());
    const Address house = position.key.contract;
    const Address amm = position.key.market;
    const std::uint64_t block = position.price_block;
    // closePosition swaps the whole size out: a long adds base to the Amm, a short takes it out.
    const abi::Value base{abi::Value::List{value(state->size.magnitude)}};
    auto quoted = view_at(client, amm, "getOutputPrice(uint8,(uint256))", {value(state->is_long() ? kAddToAmm : kRemoveFromAmm), base}, "((uint256))", block);
    if (!quoted) return std::unexpected(quoted.error());
    const U256 quote = u256(list((*quoted)[0])[0]);
    auto fees = view_at(client, amm, "calcFee((uint256))", {abi::Value{abi::Value::List{value(quote)}}}, "((uint256),(uint256))", block);
    if (!fees) return std::unexpected(fees.error());
    const U256 fee = u256(list((*fees)[0])[0]) + u256(list((*fees)[1])[0]);

    PositionPlan plan = plan_for(position, "close", "marginRatio");
    plan.health_before = position.margin_ratio && !position.margin_ratio->negative ? position.margin_ratio->magnitude : U256(0);
    plan.closes_position = true;
    plan.predicted_health = U256::max();
    if (auto token = read_token(client, plan, position.currency, block); !token) return std::unexpected(token.error());

    // Realized PnL at the quote; the margin left after funding comes back, then the fee is pulled.
    const SignedWad pnl = state->is_long() ? fixed::sub(fixed::signed_of(quote), fixed::signed_of(state->open_notional))
                                           : fixed::sub(fixed::signed_of(state->open_notional), fixed::signed_of(quote));
    const SignedWad remain = fixed::add(fixed::sub(fixed::signed_of(state->margin), state->funding), pnl);
    const U256 returned = to_token_units(plan, remain.negative ? U256(0) : remain.magnitude);
    const U256 fee_units = to_token_units(plan, fee);
    plan.pays_in = fee_units > returned;
    plan.amount = plan.pays_in ? fee_units - returned : returned - fee_units;
    if (plan.balance_before + returned < fee_units)
        return fail(Errc::Refused, "the account holds " + token_text(plan, plan.balance_before) + ", closing costs a fee of " + token_text(plan, fee_units));

    // A long sells: at least quote × (1 − s). A short buys back: at most quote × (1 + s).
    const U256 bps(10000);
    plan.quote_limit = state->is_long() ? quote * U256(10000 - slippage_bps) / bps : (quote * U256(10000 + slippage_bps) + bps - U256(1)) / bps;
    if (*plan.quote_limit == U256(0)) plan.quote_limit = U256(1);
    if (auto approved = add_approval(client, plan, house, "ClearingHouse", fee_units, block); !approved) return std::unexpected(approved.error());
    const auto close = read_call(house, "closePosition(address,(uint256))", {value(amm), abi::Value{abi::Value::List{value(*plan.quote_limit)}}});
    const std::string side = state->is_long() ? "long" : "short";
    const std::string bound = state->is_long() ? "at least " : "at most ";
    plan.calls.push_back({house, close.call_data, {},
                          "close the " + side + " of " + wad_text(state->size.magnitude) + " for " + token_text(plan, quote) + " (" + bound +
                              token_text(plan, *plan.quote_limit) + "), fee " + token_text(plan, fee_units)});
    return plan;
}

Result<PerpTradePlan> plan_perp_trade(eth::RpcClient& client, const Address& house, const Address& amm, const Address& trader, bool long_side,
                                      const U256& margin, const U256& leverage, std::uint32_t slippage_bps, std::uint64_t block)
{
    if (margin.is_zero() || leverage.is_zero()) return fail(Errc::Refused, "the margin and the leverage must be above 0");
    if (slippage_bps == 0 || slippage_bps >= 10000) return fail(Errc::Refused, "the slippage limit must be above 0 and under 100 %");
    auto initial = view_at(client, house, "initMarginRatio()", {}, "((uint256))", block);
    if (!initial) return std::unexpected(initial.error());
    // The clearing house's own check: 1 / leverage ≥ the initial margin ratio.
    if (fixed::wad_div(fixed::wad(), leverage) < u256(list((*initial)[0])[0]))
        return fail(Errc::Refused, "leverage " + leverage.format_units(18) + " is above what the clearing house allows (initial margin ratio " +
                                       u256(list((*initial)[0])[0]).format_units(16) + " %)");
    auto stored = view_at(client, house, "getPosition(address,address)", {value(amm), value(trader)},
                          "(((int256),(uint256),(uint256),(int256),uint256,uint256))", block);
    if (!stored) return std::unexpected(stored.error());
    auto cumulative = view_at(client, house, "getLatestCumulativePremiumFraction(address)", {value(amm)}, "((int256))", block);
    auto maintenance = view_at(client, house, "maintenanceMarginRatio()", {}, "(uint256)", block);
    auto rate = view_at(client, amm, "fundingRate()", {}, "(int256)", block);
    auto period = view_at(client, amm, "fundingPeriod()", {}, "(uint256)", block);
    auto quote_reserve = view_at(client, amm, "quoteAssetReserve()", {}, "((uint256))", block);
    auto base_reserve = view_at(client, amm, "baseAssetReserve()", {}, "((uint256))", block);
    if (!cumulative || !maintenance || !rate || !period) return fail(Errc::Decode, "the clearing house's funding and margin settings could not be read");
    if (!quote_reserve || !base_reserve) return fail(Errc::Decode, "the Amm's reserves could not be read");
    U256 q = u256(list((*quote_reserve)[0])[0]);
    U256 b = u256(list((*base_reserve)[0])[0]);
    const auto& fields = list((*stored)[0]);
    PerpTradePlan out;
    out.house = house;
    out.amm = amm;
    out.long_side = long_side;
    out.size_before = signed_wad(list(fields[0])[0]);
    const U256 old_margin = u256(list(fields[1])[0]);
    const U256 old_open_notional = u256(list(fields[2])[0]);
    const SignedWad funding_owed = fixed::mul_d(fixed::sub(signed_wad(list((*cumulative)[0])[0]), signed_wad(list(fields[3])[0])), out.size_before);
    out.maintenance_ratio = u256((*maintenance)[0]);
    out.funding_rate = signed_wad((*rate)[0]);
    out.funding_period = u256((*period)[0]).to_u64().value_or(0);
    out.open_notional = fixed::mul_d(margin, leverage);
    const bool increase = out.size_before.magnitude.is_zero() || out.size_before.negative != long_side;
    out.kind = out.size_before.magnitude.is_zero() ? "open" : increase ? "increase" : "reduce";
    U256 spot_notional_before;
    SignedWad spot_pnl_before;
    if (!increase) {
        // The other side: a reduce for less than the position's notional (at spot), else a reverse, refused here.
        auto notional = view_at(client, house, "getPositionNotionalAndUnrealizedPnl(address,address,uint8)", {value(amm), value(trader), value(std::uint64_t(0))},
                                "((uint256),(int256))", block);
        if (!notional) return std::unexpected(notional.error());
        spot_notional_before = u256(list((*notional)[0])[0]);
        spot_pnl_before = signed_wad(list((*notional)[1])[0]);
        if (out.open_notional >= spot_notional_before) out.kind = "reverse";
    }
    const U256 bps(10000);
    U256 base;
    U256 rest_margin, rest_notional;
    if (out.kind == "reverse") {
        // The clearing house closes the whole position (swapOutput), then opens the rest of the notional on the other
        // side (swapInput) at the reserves the close left: replayed here with the Amm's own arithmetic.
        const U256 closing = out.size_before.magnitude;
        const bool add_base = !out.size_before.negative;  // a long gives its base back to the Amm
        const U256 closed_quote = amm_output_price(add_base, closing, q, b);
        if (add_base) {
            q = q - closed_quote;
            b = b + closing;
        } else {
            q = q + closed_quote;
            b = b - closing;
        }
        if (out.open_notional <= closed_quote) {
            out.size_after = SignedWad{false, U256(0)};
            base = closing;
        } else {
            const U256 rest = out.open_notional - closed_quote;
            const U256 opened = amm_input_price(long_side, rest, q, b);
            out.size_after = SignedWad{!long_side, opened};
            base = closing + opened;
            q = long_side ? q + rest : q - rest;
            b = long_side ? b - opened : b + opened;
            rest_margin = div_d(rest, leverage);
            rest_notional = rest;
            // The limit covers the close's base and the rest's, the rest's made N bps worse.
            out.base_limit = long_side ? closing + opened * U256(10000 - slippage_bps) / bps : closing + (opened * U256(10000 + slippage_bps) + bps - U256(1)) / bps;
        }
        out.base = SignedWad{!long_side, base};
    } else {
        // The Amm's exact quote: the base the notional buys (long) or owes (short).
        auto quoted = view_at(client, amm, "getInputPrice(uint8,(uint256))", {value(long_side ? kAddToAmm : kRemoveFromAmm), abi::Value{abi::Value::List{value(out.open_notional)}}},
                              "((uint256))", block);
        if (!quoted) return std::unexpected(quoted.error());
        base = u256(list((*quoted)[0])[0]);
        out.base = SignedWad{!long_side, base};
        out.size_after = fixed::add(out.size_before, out.base);
        out.base_limit = long_side ? base * U256(10000 - slippage_bps) / bps : (base * U256(10000 + slippage_bps) + bps - U256(1)) / bps;
        q = long_side ? q + out.open_notional : q - out.open_notional;
        b = long_side ? b - base : b + base;
    }
    if (base.is_zero()) return fail(Errc::Refused, "the notional is too small to buy any base");
    auto fees = view_at(client, amm, "calcFee((uint256))", {abi::Value{abi::Value::List{value(out.open_notional)}}}, "((uint256),(uint256))", block);
    if (!fees) return std::unexpected(fees.error());
    out.fee = u256(list((*fees)[0])[0]) + u256(list((*fees)[1])[0]);
    out.margin = increase ? fixed::wad_div(out.open_notional, leverage) : rest_margin;
    out.entry_price = fixed::wad_div(out.open_notional, base);
    if (out.kind == "open") out.initial_ratio = fixed::wad_div(out.margin, out.open_notional);
    if (!out.size_after.magnitude.is_zero()) {
        // The stored margin and open notional after, as increasePosition / reversePosition write them.
        SignedWad margin_after;
        SignedWad open_after;
        if (out.kind == "open" || out.kind == "increase") {
            margin_after = fixed::sub(fixed::signed_of(old_margin + out.margin), funding_owed);
            open_after = fixed::signed_of(old_open_notional + out.open_notional);
        } else if (out.kind == "reduce") {
            const SignedWad realized = fixed::div_d(fixed::mul_d(spot_pnl_before, fixed::signed_of(base)), fixed::signed_of(out.size_before.magnitude));
            margin_after = fixed::sub(fixed::add(fixed::signed_of(old_margin), realized), funding_owed);
            const SignedWad unrealized_after = fixed::sub(spot_pnl_before, realized);
            const SignedWad left = fixed::signed_of(spot_notional_before - out.open_notional);
            open_after = out.size_before.negative ? fixed::add(unrealized_after, left) : fixed::sub(left, unrealized_after);
        } else {
            margin_after = fixed::signed_of(rest_margin);
            open_after = fixed::signed_of(rest_notional);
        }
        PerpTradePlan::After after;
        after.margin = margin_after.negative ? U256(0) : margin_after.magnitude;  // a shortfall is bad debt, the margin stored 0
        after.open_notional = open_after.negative ? U256(0) : open_after.magnitude;
        const bool long_after = !out.size_after.negative;
        const auto pnl_of = [&](const U256& notional) {
            return long_after ? fixed::sub(fixed::signed_of(notional), fixed::signed_of(after.open_notional))
                              : fixed::sub(fixed::signed_of(after.open_notional), fixed::signed_of(notional));
        };
        const U256 spot_notional = amm_output_price(long_after, out.size_after.magnitude, q, b);
        const SignedWad spot_pnl = pnl_of(spot_notional);
        auto twap = view_at(client, amm, "getOutputTwap(uint8,(uint256))", {value(long_after ? kAddToAmm : kRemoveFromAmm), abi::Value{abi::Value::List{value(out.size_after.magnitude)}}},
                            "((uint256))", block);
        if (!twap) return std::unexpected(twap.error());
        const U256 twap_notional = u256(list((*twap)[0])[0]);
        const SignedWad twap_pnl = pnl_of(twap_notional);
        after.ratio_by_spot = fixed::less(twap_pnl, spot_pnl);
        after.margin_ratio = after.ratio_by_spot ? perp_margin_ratio(after.margin, {}, spot_pnl, spot_notional) : perp_margin_ratio(after.margin, {}, twap_pnl, twap_notional);
        after.liquidation_price = perp_liquidation_price(out.size_after, fixed::signed_of(after.margin), after.open_notional, out.maintenance_ratio);
        out.after = after;
    }
    auto quote = view_at(client, amm, "quoteAsset()", {}, "(address)", block);
    if (!quote) return std::unexpected(quote.error());

    Position position;
    position.key.protocol = Protocol::Perp;
    position.key.contract = house;
    position.key.market = amm;
    position.key.account = trader;
    position.currency = address((*quote)[0]);
    position.price_block = block;
    out.plan = plan_for(position, "perp-" + out.kind, "marginRatio");
    if (auto token = read_token(client, out.plan, position.currency, block); !token) return std::unexpected(token.error());
    out.plan.amount = to_token_units(out.plan, out.margin) + to_token_units(out.plan, out.fee);
    out.plan.pays_in = true;
    if (auto enough = require_balance(out.plan); !enough) return std::unexpected(enough.error());
    if (auto approved = add_approval(client, out.plan, house, "ClearingHouse", out.plan.amount, block); !approved) return std::unexpected(approved.error());
    const auto open = read_call(house, "openPosition(address,uint8,(uint256),(uint256),(uint256))",
                                {value(amm), value(std::uint64_t(long_side ? 0 : 1)), abi::Value{abi::Value::List{value(margin)}},
                                 abi::Value{abi::Value::List{value(leverage)}}, abi::Value{abi::Value::List{value(out.base_limit)}}});
    const std::string side = long_side ? "long" : "short";
    out.plan.calls.push_back({house, open.call_data, {},
                              out.kind + " " + side + " " + wad_text(base) + " at " + wad_text(out.entry_price) + " (notional " + token_text(out.plan, out.open_notional) +
                                  " = margin " + token_text(out.plan, margin) + " × " + leverage.format_units(18) + "; base " + (long_side ? "at least " : "at most ") +
                                  wad_text(out.base_limit) + "), fee " + token_text(out.plan, out.fee),
                              400'000});
    return out;
}

Result<PositionPlan> plan_remove_margin(eth::RpcClient& client, const Position& position, const U256& target)
{
    if (position.key.protocol != Protocol::Perp) return fail(Errc::Refused, "only a perp position has margin to remove");
    if (!position.readable) return fail(Errc::Refused, "the position could not be read: " + position.unreadable_reason);
    auto state = read_perp(client, position);
    if (!state) return std::unexpected(state.error());
    const Address house = position.key.contract;
    const Address amm = position.key.market;
    const std::uint64_t block = position.price_block;
    auto spot = view_at(client, house, "getPositionNotionalAndUnrealizedPnl(address,address,uint8)", {value(amm), value(position.key.account), value(kPnlSpot)},
                        "((uint256),(int256))", block);
    auto twap = view_at(client, house, "getPositionNotionalAndUnrealizedPnl(address,address,uint8)", {value(amm), value(position.key.account), value(kPnlTwap)},
                        "((uint256),(int256))", block);
    auto imr = view_at(client, house, "initMarginRatio()", {}, "(uint256)", block);
    if (!spot || !twap || !imr) return fail(Errc::Rpc, "cannot read the perp position's notional at block " + std::to_string(block));
    const U256 spot_notional = u256(list((*spot)[0])[0]);
    const SignedWad spot_pnl = signed_wad(list((*spot)[1])[0]);
    const U256 twap_notional = u256(list((*twap)[0])[0]);
    const SignedWad twap_pnl = signed_wad(list((*twap)[1])[0]);

    PositionPlan plan = plan_for(position, "removeMargin", "marginRatio");
    plan.health_before = position.margin_ratio && !position.margin_ratio->negative ? position.margin_ratio->magnitude : U256(0);
    plan.target = target;
    plan.pays_in = false;
    if (auto token = read_token(client, plan, position.currency, block); !token) return std::unexpected(token.error());

    // removeMargin settles funding first: the margin that is left to take from.
    const SignedWad margin_left = fixed::sub(fixed::signed_of(state->margin), state->funding);
    if (margin_left.negative) return fail(Errc::Refused, "the position owes more funding than its margin: nothing can be removed");
    // getMarginRatio reads the larger PnL of spot and TWAP; the TWAP drifts toward spot as
    // time passes. The target holds for both: (margin' + pnl) / notional ≥ target for each.
    const bool spot_max = fixed::less(twap_pnl, spot_pnl);
    const U256 max_notional = spot_max ? spot_notional : twap_notional;
    const SignedWad max_pnl = spot_max ? spot_pnl : twap_pnl;
    const auto target_room = [&](const SignedWad& pnl, const U256& notional) {
        return fixed::sub(fixed::add(margin_left, pnl), fixed::signed_of(fixed::mul_d(target, notional)));
    };
    const SignedWad by_spot = target_room(spot_pnl, spot_notional);
    const SignedWad by_twap = target_room(twap_pnl, twap_notional);
    const SignedWad by_target = fixed::less(by_spot, by_twap) ? by_spot : by_twap;
    // freeCollateral's MIN_PNL: min(margin', margin' + pnl) − IMR × (open notional for longs, notional for shorts) ≥ 0.
    const bool spot_min = fixed::less(spot_pnl, twap_pnl);
    const U256 min_notional = spot_min ? spot_notional : twap_notional;
    const SignedWad min_pnl = spot_min ? spot_pnl : twap_pnl;
    const U256 requirement = fixed::mul_d(state->is_long() ? state->open_notional : min_notional, u256((*imr)[0]));
    const SignedWad loss = min_pnl.negative ? min_pnl : fixed::signed_of(U256(0));
    const SignedWad by_free_collateral = fixed::sub(fixed::add(margin_left, loss), fixed::signed_of(requirement));

    const bool free_binds = fixed::less(by_free_collateral, by_target);
    SignedWad removable = free_binds ? by_free_collateral : by_target;
    if (fixed::less(margin_left, removable)) removable = margin_left;
    // Down to a whole gwei: a margin ratio rounded the other way would fall under the target.
    const U256 gwei(1000000000ULL);
    const U256 amount = removable.negative ? U256(0) : removable.magnitude / gwei * gwei;
    if (amount == U256(0))
        return fail(Errc::Refused, free_binds ? "no free collateral: the clearing house allows no margin out of this position now"
                                             : "the position is already at or below the target margin ratio");
    const SignedWad after = fixed::add(fixed::sub(margin_left, fixed::signed_of(amount)), max_pnl);
    plan.predicted_health = fixed::div_d(after, fixed::signed_of(max_notional)).magnitude;
    plan.amount = to_token_units(plan, amount);
    const abi::Value removed{abi::Value::List{value(amount)}};
    const auto remove = read_call(house, "removeMargin(address,(uint256))", {value(amm), removed});
    plan.calls.push_back({house, remove.call_data, {},
                          "remove " + token_text(plan, plan.amount) + " margin from the perp position" + (free_binds ? " (all the free collateral)" : "")});
    return plan;
}

}  // namespace nftterm::protocols::actions
