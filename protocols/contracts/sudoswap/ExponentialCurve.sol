// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import "./FixedPointMath.sol";
import "./ICurve.sol";

/// sudoswap v1 ExponentialCurve: each NFT bought multiplies the price by
/// delta (a WAD above 1), each NFT sold divides it, never below 1 gwei.
contract ExponentialCurve is ICurve {
    using FixedPointMath for uint256;

    uint256 public constant MIN_PRICE = 1 gwei;

    function validateDelta(uint128 delta) external pure returns (bool) {
        return delta > FixedPointMath.WAD;
    }

    function validateSpotPrice(uint128 newSpotPrice) external pure returns (bool) {
        return newSpotPrice >= MIN_PRICE;
    }

    function getBuyInfo(uint128 spotPrice, uint128 delta, uint256 numItems, uint256 feeMultiplier, uint256 protocolFeeMultiplier)
        external pure returns (CurveErrorCodes.Error err, uint128 newSpotPrice, uint128 newDelta, uint256 inputValue, uint256 protocolFee)
    {
        if (numItems == 0) return (CurveErrorCodes.Error.INVALID_NUMITEMS, 0, 0, 0, 0);
        uint256 deltaPowN = uint256(delta).fpow(numItems);
        uint256 newSpot = uint256(spotPrice).fmul(deltaPowN);
        if (newSpot > type(uint128).max) return (CurveErrorCodes.Error.SPOT_PRICE_OVERFLOW, 0, 0, 0, 0);
        newSpotPrice = uint128(newSpot);
        uint256 buySpotPrice = uint256(spotPrice).fmul(delta);
        inputValue = buySpotPrice.fmul((deltaPowN - FixedPointMath.WAD).fdiv(delta - FixedPointMath.WAD));
        protocolFee = inputValue.fmul(protocolFeeMultiplier);
        inputValue += inputValue.fmul(feeMultiplier);
        inputValue += protocolFee;
        newDelta = delta;
        err = CurveErrorCodes.Error.OK;
    }

    function getSellInfo(uint128 spotPrice, uint128 delta, uint256 numItems, uint256 feeMultiplier, uint256 protocolFeeMultiplier)
        external pure returns (CurveErrorCodes.Error err, uint128 newSpotPrice, uint128 newDelta, uint256 outputValue, uint256 protocolFee)
    {
        if (numItems == 0) return (CurveErrorCodes.Error.INVALID_NUMITEMS, 0, 0, 0, 0);
        uint256 invDelta = FixedPointMath.WAD.fdiv(delta);
        uint256 invDeltaPowN = invDelta.fpow(numItems);
        uint256 newSpot = uint256(spotPrice).fmul(invDeltaPowN);
        newSpotPrice = newSpot < MIN_PRICE ? uint128(MIN_PRICE) : uint128(newSpot);
        outputValue = uint256(spotPrice).fmul((FixedPointMath.WAD - invDeltaPowN).fdiv(FixedPointMath.WAD - invDelta));
        protocolFee = outputValue.fmul(protocolFeeMultiplier);
        outputValue -= outputValue.fmul(feeMultiplier);
        outputValue -= protocolFee;
        newDelta = delta;
        err = CurveErrorCodes.Error.OK;
    }
}
