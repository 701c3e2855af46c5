// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Perpetual Protocol v1's 18-decimal fixed-point wrappers: the structs give
/// the ABI its one-field tuples; the helpers round as Perp's DecimalMath does
/// (multiplication and division truncate, toward zero when signed).
library Decimal {
    struct decimal {
        uint256 d;
    }
}

library SignedDecimal {
    struct signedDecimal {
        int256 d;
    }
}

library PerpMath {
    uint256 internal constant UNIT = 1e18;

    function mulD(uint256 x, uint256 y) internal pure returns (uint256) {
        return (x * y) / UNIT;
    }

    function divD(uint256 x, uint256 y) internal pure returns (uint256) {
        return (x * UNIT) / y;
    }

    function mulD(int256 x, int256 y) internal pure returns (int256) {
        return (x * y) / int256(UNIT);
    }

    function divD(int256 x, int256 y) internal pure returns (int256) {
        return (x * int256(UNIT)) / y;
    }

    function abs(int256 x) internal pure returns (uint256) {
        return uint256(x >= 0 ? x : -x);
    }
}
