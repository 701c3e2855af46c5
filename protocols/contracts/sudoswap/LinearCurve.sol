// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import "./FixedPointMath.sol";
import "./ICurve.sol";

/// sudoswap v1 LinearCurve: each NFT bought raises the price by delta
/// (token units), each NFT sold lowers it by delta, down to zero.
contract LinearCurve is ICurve {
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
        if (numItems == 0) return (CurveErrorCodes.Error.INVALID_NUMITEMS, 0, 0, 0, 0);
        uint256 newSpot = uint256(spotPrice) + uint256(delta) * numItems;
        if (newSpot > type(uint128).max) return (CurveErrorCodes.Error.SPOT_PRICE_OVERFLOW, 0, 0, 0, 0);
        newSpotPrice = uint128(newSpot);
        // The first NFT bought costs one step above the spot price (the bid).
        uint256 buySpotPrice = uint256(spotPrice) + delta;
        inputValue = numItems * buySpotPrice + (numItems * (numItems - 1) * delta) / 2;
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
        uint256 totalPriceDecrease = uint256(delta) * numItems;
        if (spotPrice < totalPriceDecrease) {
            // Past zero: only the NFTs down to a price of zero are paid for (v1 behaviour).
            newSpotPrice = 0;
            numItems = uint256(spotPrice) / delta + 1;
        } else {
            newSpotPrice = spotPrice - uint128(totalPriceDecrease);
        }
        outputValue = numItems * spotPrice - (numItems * (numItems - 1) * delta) / 2;
        protocolFee = outputValue.fmul(protocolFeeMultiplier);
        outputValue -= outputValue.fmul(feeMultiplier);
        outputValue -= protocolFee;
        newDelta = delta;
        err = CurveErrorCodes.Error.OK;
    }
}
