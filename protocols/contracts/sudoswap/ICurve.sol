// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// sudoswap v1's curve error codes: quotes return them instead of reverting.
library CurveErrorCodes {
    enum Error { OK, INVALID_NUMITEMS, SPOT_PRICE_OVERFLOW }
}

/// sudoswap v1's bonding-curve interface.
interface ICurve {
    function validateDelta(uint128 delta) external pure returns (bool);
    function validateSpotPrice(uint128 newSpotPrice) external view returns (bool);
    function getBuyInfo(uint128 spotPrice, uint128 delta, uint256 numItems, uint256 feeMultiplier, uint256 protocolFeeMultiplier)
        external view returns (CurveErrorCodes.Error err, uint128 newSpotPrice, uint128 newDelta, uint256 inputValue, uint256 protocolFee);
    function getSellInfo(uint128 spotPrice, uint128 delta, uint256 numItems, uint256 feeMultiplier, uint256 protocolFeeMultiplier)
        external view returns (CurveErrorCodes.Error err, uint128 newSpotPrice, uint128 newDelta, uint256 outputValue, uint256 protocolFee);
}
