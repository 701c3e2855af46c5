// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// The WAD arithmetic sudoswap v1 takes from solmate: fmul and fdiv round
/// down, fpow rounds each multiplication half-up.
library FixedPointMath {
    uint256 internal constant WAD = 1e18;

    function fmul(uint256 x, uint256 y) internal pure returns (uint256) {
        return (x * y) / WAD;
    }

    function fdiv(uint256 x, uint256 y) internal pure returns (uint256) {
        return (x * WAD) / y;
    }

    function fpow(uint256 x, uint256 n) internal pure returns (uint256 z) {
        if (x == 0) return n == 0 ? WAD : 0;
        z = n % 2 == 1 ? x : WAD;
        uint256 half = WAD / 2;
        for (n /= 2; n != 0; n /= 2) {
            x = (x * x + half) / WAD;
            if (n % 2 == 1) z = (z * x + half) / WAD;
        }
    }
}
