// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import "@openzeppelin/contracts/access/Ownable.sol";

/// BendDAO's ReserveOracle getter: the price of a reserve asset in ETH wei
/// (WETH is 1e18). The devnet's owner sets the prices.
contract ReserveOracle is Ownable {
    mapping(address => uint256) private prices;

    event ReservePriceSet(address indexed asset, uint256 price);

    error NoPrice(address asset);

    constructor() Ownable(msg.sender) {}

    function setAssetPrice(address asset, uint256 price) external onlyOwner {
        prices[asset] = price;
        emit ReservePriceSet(asset, price);
    }

    function getAssetPrice(address asset) external view returns (uint256) {
        uint256 price = prices[asset];
        if (price == 0) revert NoPrice(asset);
        return price;
    }
}
