// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import "@openzeppelin/contracts/access/Ownable.sol";

interface INftOracle {
    function getAssetPrice(address asset) external view returns (uint256);
    function getTwapPrice(address asset, uint256 interval) external view returns (uint256);
    function getLatestTimestamp(address asset) external view returns (uint256);
}

/// The index price source of the perp Amms with Perpetual Protocol v1's
/// IPriceFeed interface: prices by a bytes32 key ("DAPE", as Perp v1 keys
/// its feeds "ETH", "BTC"), registered by the owner. Devnet difference: a
/// key reads a collection's floor on the NFT oracle instead of a Chainlink
/// aggregator (Perp v1's ChainlinkPriceFeed), and "key not existed" is its
/// revert for an unknown key, as there.
contract PerpPriceFeed is Ownable {
    INftOracle public immutable nftOracle;
    mapping(bytes32 => address) public assetOf;
    bytes32[] public priceFeedKeys;

    constructor(INftOracle nftOracle_) Ownable(msg.sender) {
        nftOracle = nftOracle_;
    }

    function addAggregator(bytes32 priceFeedKey, address aggregator) external onlyOwner {
        require(aggregator != address(0), "empty address");
        if (assetOf[priceFeedKey] == address(0)) priceFeedKeys.push(priceFeedKey);
        assetOf[priceFeedKey] = aggregator;
    }

    function getPrice(bytes32 priceFeedKey) external view returns (uint256) {
        return nftOracle.getAssetPrice(asset(priceFeedKey));
    }

    function getTwapPrice(bytes32 priceFeedKey, uint256 interval) external view returns (uint256) {
        require(interval != 0, "interval can't be 0");
        return nftOracle.getTwapPrice(asset(priceFeedKey), interval);
    }

    function getLatestTimestamp(bytes32 priceFeedKey) external view returns (uint256) {
        return nftOracle.getLatestTimestamp(asset(priceFeedKey));
    }

    function asset(bytes32 priceFeedKey) private view returns (address found) {
        found = assetOf[priceFeedKey];
        require(found != address(0), "key not existed");
    }
}
