// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import "@openzeppelin/contracts/access/Ownable.sol";

/// Push oracle for collection floor prices in ETH wei, with the interface of
/// BendDAO's NFTOracle (bend-lending-protocol, contracts/protocol/NFTOracle.sol
/// after the "disable borrow when nft price is stale" change): the owner lists
/// collections (addAsset), the price feed admin pushes one price per
/// collection, and staleness is a flag the admin raises and the owner clears
/// (setPriceStale / isPriceStale), not an age. Unlisted collections revert
/// "NFTOracle: key not existed", listed ones without a push "NFTOracle: no
/// price data", as the real one does.
///
/// Deliberate differences from the deployed oracle:
/// - getAssetPrice answers the latest push. The real one answers the TWAP it
///   stored at the push (twapPriceMap, over twapInterval; the newest round
///   weighs nothing until the next push), so on mainnet the price lags a push.
///   Tests and the market simulator move a price in one step here.
/// - no deviation checks between pushes (maxPriceDeviation…), no asset
///   mappings, no pause; a same-second push is a new round, not a revert.
/// - getTwapPrice(asset, interval) and getRoundCount are devnet extras.
/// - Ownable rather than an upgradeable proxy.
contract NFTOracle is Ownable {
    struct Round {
        uint256 price;
        uint256 timestamp;
    }

    address public priceFeedAdmin;
    uint256 public twapInterval = 1 hours;
    mapping(address => bool) public nftPriceStale;

    mapping(address => bool) private listed;
    mapping(address => Round[]) private rounds;

    event AssetAdded(address indexed asset);
    event FeedAdminUpdated(address indexed admin);
    event SetAssetData(address indexed asset, uint256 price, uint256 timestamp, uint256 roundId);
    event SetPriceStale(address indexed asset, bool val);

    constructor() Ownable(msg.sender) {
        priceFeedAdmin = msg.sender;
    }

    modifier onlyAdmin() {
        require(msg.sender == priceFeedAdmin, "NFTOracle: !admin");
        _;
    }

    function setPriceFeedAdmin(address admin) external onlyOwner {
        priceFeedAdmin = admin;
        emit FeedAdminUpdated(admin);
    }

    function setTwapInterval(uint256 interval) external onlyOwner {
        twapInterval = interval;
    }

    function addAsset(address asset) public onlyOwner {
        require(!listed[asset], "NFTOracle: key existed");
        listed[asset] = true;
        emit AssetAdded(asset);
    }

    function setAssets(address[] calldata assets) external onlyOwner {
        for (uint256 i = 0; i < assets.length; ++i) addAsset(assets[i]);
    }

    function isExistedKey(address asset) public view returns (bool) {
        return listed[asset];
    }

    function setAssetData(address asset, uint256 price) public onlyAdmin {
        require(listed[asset], "NFTOracle: key not existed");
        require(price > 0, "NFTOracle: price can not be 0");
        emit SetAssetData(asset, price, block.timestamp, rounds[asset].length);
        rounds[asset].push(Round(price, block.timestamp));
    }

    function setMultipleAssetsData(address[] calldata assets, uint256[] calldata prices) external onlyAdmin {
        require(assets.length == prices.length, "NFTOracle: data length not match");
        for (uint256 i = 0; i < assets.length; ++i) setAssetData(assets[i], prices[i]);
    }

    /// Raising the flag stops new borrowing against the collection; the admin
    /// may raise it, only the owner clears it (as on mainnet).
    function setPriceStale(address[] calldata assets, bool val) external {
        require(msg.sender == owner() || (val && msg.sender == priceFeedAdmin), "NFTOracle: invalid caller");
        for (uint256 i = 0; i < assets.length; ++i) {
            require(listed[assets[i]], "NFTOracle: key not existed");
            nftPriceStale[assets[i]] = val;
            emit SetPriceStale(assets[i], val);
        }
    }

    function isPriceStale(address asset) external view returns (bool) {
        return nftPriceStale[asset];
    }

    function getAssetPrice(address asset) external view returns (uint256) {
        require(listed[asset], "NFTOracle: key not existed");
        require(rounds[asset].length > 0, "NFTOracle: no price data");
        return rounds[asset][rounds[asset].length - 1].price;
    }

    /// 0 for a listed collection that has no price yet.
    function getLatestTimestamp(address asset) external view returns (uint256) {
        require(listed[asset], "NFTOracle: key not existed");
        uint256 count = rounds[asset].length;
        return count == 0 ? 0 : rounds[asset][count - 1].timestamp;
    }

    function getRoundCount(address asset) external view returns (uint256) {
        return rounds[asset].length;
    }

    /// Average of the pushed prices over the last `interval` seconds, each
    /// weighted by how long it stood (the latest price up to now).
    function getTwapPrice(address asset, uint256 interval) external view returns (uint256) {
        Round[] storage history = rounds[asset];
        require(history.length > 0, "NFTOracle: no price data");
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

}
