#include "curve_math.hpp"

#include "fixed_point.hpp"

namespace nftterm::protocols::positions {

using wallet::U256;
using namespace fixed;

namespace {

const U256 kMaxU128 = *U256::from_hex("0xffffffffffffffffffffffffffffffff");
const U256 kMinExponentialPrice(1000000000ULL);

CurveQuote with_buy_fees(CurveQuote quote, const U256& raw, const U256& fee, const U256& protocol_multiplier)
{
    quote.protocol_fee = fmul(raw, protocol_multiplier);
    quote.amount = raw + fmul(raw, fee) + quote.protocol_fee;
    return quote;
}

CurveQuote with_sell_fees(CurveQuote quote, const U256& raw, const U256& fee, const U256& protocol_multiplier)
{
    quote.protocol_fee = fmul(raw, protocol_multiplier);
    quote.amount = raw - fmul(raw, fee) - quote.protocol_fee;
    return quote;
}

}  // namespace

CurveQuote buy_quote(Curve curve, const U256& spot, const U256& delta, std::uint64_t n, const U256& fee, const U256& protocol_multiplier)
{
    if (n == 0) return {1, {}, {}, {}, {}};
    const U256 items(n);
    switch (curve) {
    case Curve::Linear: {
        const U256 new_spot = spot + delta * items;
        if (new_spot > kMaxU128) return {2, {}, {}, {}, {}};
        const U256 raw = items * (spot + delta) + items * U256(n - 1) * delta / U256(2);
        return with_buy_fees({0, new_spot, delta, {}, {}}, raw, fee, protocol_multiplier);
    }
    case Curve::Exponential: {
        const U256 delta_pow = fpow(delta, n);
        const U256 new_spot = fmul(spot, delta_pow);
        if (new_spot > kMaxU128) return {2, {}, {}, {}, {}};
        const U256 raw = fmul(fmul(spot, delta), fdiv(delta_pow - wad(), delta - wad()));
        return with_buy_fees({0, new_spot, delta, {}, {}}, raw, fee, protocol_multiplier);
    }
    case Curve::Xyk: {
        if (items >= delta) return {1, {}, {}, {}, {}};
        const U256 raw = items * spot / (delta - items);
        if (spot + raw > kMaxU128) return {2, {}, {}, {}, {}};
        return with_buy_fees({0, spot + raw, delta - items, {}, {}}, raw, fee, protocol_multiplier);
    }
    }
    return {1, {}, {}, {}, {}};
}

CurveQuote sell_quote(Curve curve, const U256& spot, const U256& delta, std::uint64_t n, const U256& fee, const U256& protocol_multiplier)
{
    if (n == 0) return {1, {}, {}, {}, {}};
    U256 items(n);
    switch (curve) {
    case Curve::Linear: {
        const U256 decrease = delta * items;
        U256 new_spot;
        if (spot < decrease) {
            // Past zero only the NFTs down to price zero are paid for (v1).
            items = spot / delta + U256(1);
        } else {
            new_spot = spot - decrease;
        }
        const U256 raw = items * spot - items * (items - U256(1)) * delta / U256(2);
        return with_sell_fees({0, new_spot, delta, {}, {}}, raw, fee, protocol_multiplier);
    }
    case Curve::Exponential: {
        const U256 inverse = fdiv(wad(), delta);
        const U256 inverse_pow = fpow(inverse, n);
        U256 new_spot = fmul(spot, inverse_pow);
        if (new_spot < kMinExponentialPrice) new_spot = kMinExponentialPrice;
        const U256 raw = fmul(spot, fdiv(wad() - inverse_pow, wad() - inverse));
        return with_sell_fees({0, new_spot, delta, {}, {}}, raw, fee, protocol_multiplier);
    }
    case Curve::Xyk: {
        const U256 raw = items * spot / (delta + items);
        return with_sell_fees({0, spot - raw, delta + items, {}, {}}, raw, fee, protocol_multiplier);
    }
    }
    return {1, {}, {}, {}, {}};
}

}  // namespace nftterm::protocols::positions
