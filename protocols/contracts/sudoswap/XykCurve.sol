// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import "./FixedPointMath.sol";
import "./ICurve.sol";

/// sudoswap v1 XykCurve: constant product over virtual reserves, where the
/// pair's spotPrice is the token reserve and its delta the NFT count.
contract XykCurve is ICurve {
    using FixedPointMath for uint256;

    function validateDelta(uint128) external pure returns (bool) {
        return true;
    }

    function validateSpotPrice(uint128) external pure returns (bool) {
        return true;
    }

    function getBuyInfo(uint128 spotPrice, uint128 delta, uint256 numItems, uint256 feeMultiplier, uint256 protocolFeeMultiplier)
        external pure returns (CurveErrorCodes.Error err, uint128 newSpotPrice, uint128 newDelta, uint256 inputValue, uint256 protocolFee)
    {
        if (numItems == 0 || numItems >= delta) return (CurveErrorCodes.Error.INVALID_NUMITEMS, 0, 0, 0, 0);
        uint256 raw = (numItems * spotPrice) / (delta - numItems);
        uint256 newReserve = uint256(spotPrice) + raw;
        if (newReserve > type(uint128).max) return (CurveErrorCodes.Error.SPOT_PRICE_OVERFLOW, 0, 0, 0, 0);
        protocolFee = raw.fmul(protocolFeeMultiplier);
        inputValue = raw + raw.fmul(feeMultiplier) + protocolFee;
        newSpotPrice = uint128(newReserve);
        newDelta = uint128(delta - numItems);
        err = CurveErrorCodes.Error.OK;
    }

    function getSellInfo(uint128 spotPrice, uint128 delta, uint256 numItems, uint256 feeMultiplier, uint256 protocolFeeMultiplier)
        external pure returns (CurveErrorCodes.Error err, uint128 newSpotPrice, uint128 newDelta, uint256 outputValue, uint256 protocolFee)
    {
        if (numItems == 0) return (CurveErrorCodes.Error.INVALID_NUMITEMS, 0, 0, 0, 0);
        uint256 raw = (numItems * spotPrice) / (uint256(delta) + numItems);
        protocolFee = raw.fmul(protocolFeeMultiplier);
        outputValue = raw - raw.fmul(feeMultiplier) - protocolFee;
        newSpotPrice = uint128(spotPrice - raw);
        newDelta = uint128(delta + numItems);
        err = CurveErrorCodes.Error.OK;
    }
}
