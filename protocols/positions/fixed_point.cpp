#include "fixed_point.hpp"

namespace nftterm::protocols::positions::fixed {

using wallet::U256;

U256 wad()
{
    static const U256 value = *U256::from_dec("1000000000000000000");
    return value;
}

U256 ray()
{
    static const U256 value = *U256::from_dec("1000000000000000000000000000");
    return value;
}

U256 ray_mul(const U256& a, const U256& b)
{
    if (a == U256(0) || b == U256(0)) return U256(0);
    return (a * b + ray() / U256(2)) / ray();
}

U256 ray_div(const U256& a, const U256& b)
{
    return (a * ray() + b / U256(2)) / b;
}

U256 wad_div(const U256& a, const U256& b)
{
    return (a * wad() + b / U256(2)) / b;
}

U256 percent_mul(const U256& value, std::uint64_t bps)
{
    if (value == U256(0) || bps == 0) return U256(0);
    return (value * U256(bps) + U256(5000)) / U256(10000);
}

U256 compounded_interest(const U256& rate, std::uint64_t seconds)
{
    if (seconds == 0) return ray();
    const U256 exp(seconds), exp1(seconds - 1), exp2(seconds > 2 ? seconds - 2 : 0);
    const U256 per_second = rate / U256(365 * 24 * 3600);
    const U256 power2 = ray_mul(per_second, per_second);
    const U256 power3 = ray_mul(power2, per_second);
    return ray() + per_second * exp + exp * exp1 * power2 / U256(2) + exp * exp1 * exp2 * power3 / U256(6);
}

U256 fmul(const U256& x, const U256& y)
{
    return x * y / wad();
}

U256 fdiv(const U256& x, const U256& y)
{
    return x * wad() / y;
}

U256 fpow(U256 x, std::uint64_t n)
{
    if (x == U256(0)) return n == 0 ? wad() : U256(0);
    U256 z = n % 2 == 1 ? x : wad();
    const U256 half = wad() / U256(2);
    for (n /= 2; n != 0; n /= 2) {
        x = (x * x + half) / wad();
        if (n % 2 == 1) z = (z * x + half) / wad();
    }
    return z;
}

U256 mul_d(const U256& x, const U256& y)
{
    return x * y / wad();
}

U256 div_d(const U256& x, const U256& y)
{
    return x * wad() / y;
}

SignedWad signed_of(const U256& magnitude, bool negative)
{
    return {negative && magnitude != U256(0), magnitude};
}

SignedWad mul_d(const SignedWad& x, const SignedWad& y)
{
    return signed_of(x.magnitude * y.magnitude / wad(), x.negative != y.negative);
}

SignedWad div_d(const SignedWad& x, const SignedWad& y)
{
    return signed_of(x.magnitude * wad() / y.magnitude, x.negative != y.negative);
}

SignedWad add(const SignedWad& x, const SignedWad& y)
{
    if (x.negative == y.negative) return signed_of(x.magnitude + y.magnitude, x.negative);
    if (x.magnitude >= y.magnitude) return signed_of(x.magnitude - y.magnitude, x.negative);
    return signed_of(y.magnitude - x.magnitude, y.negative);
}

SignedWad sub(const SignedWad& x, const SignedWad& y)
{
    return add(x, signed_of(y.magnitude, !y.negative));
}

bool less(const SignedWad& x, const SignedWad& y)
{
    if (x.negative != y.negative) return x.negative;
    return x.negative ? x.magnitude > y.magnitude : x.magnitude < y.magnitude;
}

std::string to_string(const SignedWad& value)
{
    return (value.negative ? "-" : "") + value.magnitude.to_dec();
}

}  // namespace nftterm::protocols::positions::fixed
