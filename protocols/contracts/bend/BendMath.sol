// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// The fixed-point arithmetic of BendDAO v1 (Aave v2's WadRayMath,
/// PercentageMath and MathUtils): every rounding is half-up, as there.
library BendMath {
    uint256 internal constant WAD = 1e18;
    uint256 internal constant RAY = 1e27;
    uint256 internal constant HALF_RAY = RAY / 2;
    uint256 internal constant PERCENTAGE_FACTOR = 1e4;
    uint256 internal constant HALF_PERCENT = PERCENTAGE_FACTOR / 2;
    uint256 internal constant SECONDS_PER_YEAR = 365 days;

    function rayMul(uint256 a, uint256 b) internal pure returns (uint256) {
        if (a == 0 || b == 0) return 0;
        return (a * b + HALF_RAY) / RAY;
    }

    function rayDiv(uint256 a, uint256 b) internal pure returns (uint256) {
        return (a * RAY + b / 2) / b;
    }

    function wadDiv(uint256 a, uint256 b) internal pure returns (uint256) {
        return (a * WAD + b / 2) / b;
    }

    function percentMul(uint256 value, uint256 percentage) internal pure returns (uint256) {
        if (value == 0 || percentage == 0) return 0;
        return (value * percentage + HALF_PERCENT) / PERCENTAGE_FACTOR;
    }

    function percentDiv(uint256 value, uint256 percentage) internal pure returns (uint256) {
        return (value * PERCENTAGE_FACTOR + percentage / 2) / percentage;
    }

    /// Depositors' index growth: simple interest since `lastUpdate`.
    function linearInterest(uint256 rate, uint40 lastUpdate) internal view returns (uint256) {
        uint256 elapsed = block.timestamp - uint256(lastUpdate);
        return (rate * elapsed) / SECONDS_PER_YEAR + RAY;
    }

    /// Borrowers' index growth: per-second compounding, the 3-term Taylor
    /// expansion (1+x)^n ≈ 1 + nx + n(n-1)x²/2 + n(n-1)(n-2)x³/6.
    function compoundedInterest(uint256 rate, uint40 lastUpdate) internal view returns (uint256) {
        uint256 exp = block.timestamp - uint256(lastUpdate);
        if (exp == 0) return RAY;
        uint256 expMinusOne = exp - 1;
        uint256 expMinusTwo = exp > 2 ? exp - 2 : 0;
        uint256 ratePerSecond = rate / SECONDS_PER_YEAR;
        uint256 basePowerTwo = rayMul(ratePerSecond, ratePerSecond);
        uint256 basePowerThree = rayMul(basePowerTwo, ratePerSecond);
        uint256 secondTerm = (exp * expMinusOne * basePowerTwo) / 2;
        uint256 thirdTerm = (exp * expMinusOne * expMinusTwo * basePowerThree) / 6;
        return RAY + ratePerSecond * exp + secondTerm + thirdTerm;
    }
}
