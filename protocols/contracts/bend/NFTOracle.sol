// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import "@openzeppelin/contracts/access/Ownable.sol";

/// Push oracle for collection floor prices in ETH wei, with the getters of
/// BendDAO's NFTOracle: an admin (the price feed) pushes one price per
/// collection; readers get the latest price, its timestamp, whether it is
/// stale, and a time-weighted average over the pushed rounds.
contract NFTOracle is Ownable {
    struct Round {
        uint256 price;
        uint256 timestamp;
    }

    /// How old a price may be before borrowing against it stops.
    uint256 public stalePeriod = 1 days;
    /// Window of getTwapPrice when called through twapInterval-based readers.
    uint256 public twapInterval = 1 hours;
    address public priceFeedAdmin;

    mapping(address => Round[]) private rounds;

    event AssetDataSet(address indexed asset, uint256 price, uint256 timestamp);
    event PriceFeedAdminChanged(address admin);

    error NotPriceFeedAdmin();
    error NoPrice(address asset);
    error InvalidPrice();

    constructor() Ownable(msg.sender) {
        priceFeedAdmin = msg.sender;
    }

    modifier onlyPriceFeedAdmin() {
        if (msg.sender != priceFeedAdmin) revert NotPriceFeedAdmin();
        _;
    }

    function setPriceFeedAdmin(address admin) external onlyOwner {
        priceFeedAdmin = admin;
        emit PriceFeedAdminChanged(admin);
    }

    function setDataValidityParameters(uint256 stalePeriod_, uint256 twapInterval_) external onlyOwner {
        stalePeriod = stalePeriod_;
        twapInterval = twapInterval_;
    }

    function setAssetData(address asset, uint256 price) public onlyPriceFeedAdmin {
        if (price == 0) revert InvalidPrice();
        // Always a new round (a same-block push weighs nothing in the TWAP), so
        // that a push costs the same gas whichever block it lands in.
        rounds[asset].push(Round(price, block.timestamp));
        emit AssetDataSet(asset, price, block.timestamp);
    }

    function setMultipleAssetsData(address[] calldata assets, uint256[] calldata prices) external onlyPriceFeedAdmin {
        require(assets.length == prices.length, "NFTOracle: length mismatch");
        for (uint256 i = 0; i < assets.length; ++i) setAssetData(assets[i], prices[i]);
    }

    function getAssetPrice(address asset) external view returns (uint256) {
        return latest(asset).price;
    }

    function getLatestTimestamp(address asset) external view returns (uint256) {
        return latest(asset).timestamp;
    }

    function isPriceStale(address asset) public view returns (bool) {
        return block.timestamp - latest(asset).timestamp > stalePeriod;
    }

    function getRoundCount(address asset) external view returns (uint256) {
        return rounds[asset].length;
    }

    /// Average of the pushed prices over the last `interval` seconds, each
    /// weighted by how long it stood (the latest price up to now).
    function getTwapPrice(address asset, uint256 interval) external view returns (uint256) {
        Round[] storage history = rounds[asset];
        if (history.length == 0) revert NoPrice(asset);
        if (interval == 0) return history[history.length - 1].price;
        uint256 windowStart = block.timestamp > interval ? block.timestamp - interval : 0;
        uint256 weighted;
        uint256 end = block.timestamp;
        uint256 i = history.length;
        while (i > 0) {
            --i;
            uint256 start = history[i].timestamp < windowStart ? windowStart : history[i].timestamp;
            weighted += history[i].price * (end - start);
            end = start;
            if (start == windowStart) break;
        }
        uint256 covered = block.timestamp - end;
        // Only one round younger than a second: no time has passed yet.
        if (covered == 0) return history[history.length - 1].price;
        return weighted / covered;
    }

    function latest(address asset) private view returns (Round storage) {
        Round[] storage history = rounds[asset];
        if (history.length == 0) revert NoPrice(asset);
        return history[history.length - 1];
    }
}
