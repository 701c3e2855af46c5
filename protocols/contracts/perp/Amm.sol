// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import "./PerpDecimal.sol";
import "@openzeppelin/contracts/access/Ownable.sol";
import "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// Perpetual Protocol v1's IPriceFeed: prices by a bytes32 key.
interface IPriceFeed {
    function getPrice(bytes32 priceFeedKey) external view returns (uint256);
    function getTwapPrice(bytes32 priceFeedKey, uint256 interval) external view returns (uint256);
}

/// A virtual x·y=k market for one collection's floor price with the
/// interface and arithmetic of Perpetual Protocol v1's Amm: the clearing house swaps against virtual reserves, the mark price is
/// their ratio, the index is the price feed's under a bytes32 key (Perp v1's
/// IPriceFeed; here PerpPriceFeed, keyed by the collection's symbol), and
/// funding is settled from the mark and index TWAPs once per funding period.
/// Devnet simplifications: no fluctuation limit or trade-limit ratio, and
/// funding times snap to multiples of the funding period (Perp: the hour,
/// the same thing for its one-hour period).
contract Amm is Ownable {
    using PerpMath for uint256;
    using PerpMath for int256;

    enum Dir { ADD_TO_AMM, REMOVE_FROM_AMM }

    struct ReserveSnapshot {
        Decimal.decimal quoteAssetReserve;
        Decimal.decimal baseAssetReserve;
        uint256 timestamp;
        uint256 blockNumber;
    }

    /// Mark-price TWAP window for the margin-ratio and PnL checks (Perp: 15 min).
    uint256 public constant spotPriceTwapInterval = 15 minutes;

    IERC20 public immutable quoteAsset;
    IPriceFeed public immutable priceFeed;
    /// The key of this market's index on the price feed (Perp v1: bytes32, such as "ETH"; here the collection's symbol).
    bytes32 public immutable priceFeedKey;
    uint256 public immutable fundingPeriod;
    uint256 public immutable fundingBufferPeriod;

    Decimal.decimal public quoteAssetReserve;
    Decimal.decimal public baseAssetReserve;
    Decimal.decimal public tollRatio;
    Decimal.decimal public spreadRatio;
    SignedDecimal.signedDecimal public fundingRate;
    /// Net position size of all traders (longs positive).
    SignedDecimal.signedDecimal public totalPositionSize;
    uint256 public nextFundingTime;
    address public counterParty;
    ReserveSnapshot[] public reserveSnapshots;

    event SwapInput(Dir dir, uint256 quoteAssetAmount, uint256 baseAssetAmount);
    event SwapOutput(Dir dir, uint256 quoteAssetAmount, uint256 baseAssetAmount);
    event FundingRateUpdated(int256 rate, uint256 underlyingPrice);
    event ReserveSnapshotted(uint256 quoteAssetReserve, uint256 baseAssetReserve, uint256 timestamp);

    constructor(uint256 quoteReserve, uint256 baseReserve, uint256 fundingPeriod_, IPriceFeed priceFeed_, bytes32 priceFeedKey_,
                IERC20 quoteAsset_, uint256 tollRatio_, uint256 spreadRatio_) Ownable(msg.sender) {
        require(quoteReserve > 0 && baseReserve > 0 && fundingPeriod_ > 0, "invalid input");
        quoteAssetReserve = Decimal.decimal(quoteReserve);
        baseAssetReserve = Decimal.decimal(baseReserve);
        fundingPeriod = fundingPeriod_;
        fundingBufferPeriod = fundingPeriod_ / 2;
        priceFeed = priceFeed_;
        priceFeedKey = priceFeedKey_;
        quoteAsset = quoteAsset_;
        tollRatio = Decimal.decimal(tollRatio_);
        spreadRatio = Decimal.decimal(spreadRatio_);
        nextFundingTime = ((block.timestamp + fundingPeriod_) / fundingPeriod_) * fundingPeriod_;
        reserveSnapshots.push(ReserveSnapshot(quoteAssetReserve, baseAssetReserve, block.timestamp, block.number));
    }

    modifier onlyCounterParty() {
        require(msg.sender == counterParty, "caller is not counterParty");
        _;
    }

    function setCounterParty(address counterParty_) external onlyOwner {
        counterParty = counterParty_;
    }

    // ---- trading (the clearing house only) ----

    function swapInput(Dir dirOfQuote, Decimal.decimal calldata quoteAssetAmount, Decimal.decimal calldata baseAssetAmountLimit, bool)
        external onlyCounterParty returns (Decimal.decimal memory)
    {
        if (quoteAssetAmount.d == 0) return Decimal.decimal(0);
        uint256 base = inputPrice(dirOfQuote, quoteAssetAmount.d, quoteAssetReserve.d, baseAssetReserve.d);
        if (baseAssetAmountLimit.d != 0) {
            if (dirOfQuote == Dir.ADD_TO_AMM) require(base >= baseAssetAmountLimit.d, "Less than minimal base token");
            else require(base <= baseAssetAmountLimit.d, "More than maximal base token");
        }
        updateReserve(dirOfQuote, quoteAssetAmount.d, base);
        emit SwapInput(dirOfQuote, quoteAssetAmount.d, base);
        return Decimal.decimal(base);
    }

    function swapOutput(Dir dirOfBase, Decimal.decimal calldata baseAssetAmount, Decimal.decimal calldata quoteAssetAmountLimit)
        external onlyCounterParty returns (Decimal.decimal memory)
    {
        if (baseAssetAmount.d == 0) return Decimal.decimal(0);
        uint256 quote = outputPrice(dirOfBase, baseAssetAmount.d, quoteAssetReserve.d, baseAssetReserve.d);
        if (quoteAssetAmountLimit.d != 0) {
            if (dirOfBase == Dir.ADD_TO_AMM) require(quote >= quoteAssetAmountLimit.d, "Less than minimal quote token");
            else require(quote <= quoteAssetAmountLimit.d, "More than maximal quote token");
        }
        updateReserve(dirOfBase == Dir.ADD_TO_AMM ? Dir.REMOVE_FROM_AMM : Dir.ADD_TO_AMM, quote, baseAssetAmount.d);
        emit SwapOutput(dirOfBase, quote, baseAssetAmount.d);
        return Decimal.decimal(quote);
    }

    /// premiumFraction = (mark TWAP − index TWAP) × fundingPeriod / 1 day; positive: longs pay.
    function settleFunding() external onlyCounterParty returns (SignedDecimal.signedDecimal memory premiumFraction) {
        require(block.timestamp >= nextFundingTime, "settle funding too early");
        uint256 underlyingPrice = priceFeed.getTwapPrice(priceFeedKey, fundingPeriod);
        int256 premium = int256(twap(fundingPeriod, false, Dir.ADD_TO_AMM, 0)) - int256(underlyingPrice);
        premiumFraction.d = (premium * int256(fundingPeriod)) / 1 days;
        fundingRate.d = premiumFraction.d.divD(int256(underlyingPrice));
        uint256 onPeriodStart = ((nextFundingTime + fundingPeriod) / fundingPeriod) * fundingPeriod;
        uint256 earliest = block.timestamp + fundingBufferPeriod;
        nextFundingTime = onPeriodStart > earliest ? onPeriodStart : earliest;
        emit FundingRateUpdated(fundingRate.d, underlyingPrice);
    }

    function adjustTotalPositionSize(int256 change) external onlyCounterParty {
        totalPositionSize.d += change;
    }

    // ---- views ----

    function getInputPrice(Dir dirOfQuote, Decimal.decimal calldata quoteAssetAmount) external view returns (Decimal.decimal memory) {
        return Decimal.decimal(inputPrice(dirOfQuote, quoteAssetAmount.d, quoteAssetReserve.d, baseAssetReserve.d));
    }

    function getOutputPrice(Dir dirOfBase, Decimal.decimal calldata baseAssetAmount) external view returns (Decimal.decimal memory) {
        return Decimal.decimal(outputPrice(dirOfBase, baseAssetAmount.d, quoteAssetReserve.d, baseAssetReserve.d));
    }

    function getOutputTwap(Dir dirOfBase, Decimal.decimal calldata baseAssetAmount) external view returns (Decimal.decimal memory) {
        return Decimal.decimal(twap(spotPriceTwapInterval, true, dirOfBase, baseAssetAmount.d));
    }

    function getSpotPrice() external view returns (Decimal.decimal memory) {
        return Decimal.decimal(quoteAssetReserve.d.divD(baseAssetReserve.d));
    }

    function getTwapPrice(uint256 intervalInSeconds) external view returns (Decimal.decimal memory) {
        return Decimal.decimal(twap(intervalInSeconds, false, Dir.ADD_TO_AMM, 0));
    }

    function getUnderlyingPrice() external view returns (Decimal.decimal memory) {
        return Decimal.decimal(priceFeed.getPrice(priceFeedKey));
    }

    function getUnderlyingTwapPrice(uint256 intervalInSeconds) external view returns (Decimal.decimal memory) {
        return Decimal.decimal(priceFeed.getTwapPrice(priceFeedKey, intervalInSeconds));
    }

    function getReserve() external view returns (Decimal.decimal memory, Decimal.decimal memory) {
        return (quoteAssetReserve, baseAssetReserve);
    }

    function getSnapshotLen() external view returns (uint256) {
        return reserveSnapshots.length;
    }

    function calcFee(Decimal.decimal calldata quoteAssetAmount) external view returns (Decimal.decimal memory, Decimal.decimal memory) {
        if (quoteAssetAmount.d == 0) return (Decimal.decimal(0), Decimal.decimal(0));
        return (Decimal.decimal(quoteAssetAmount.d.mulD(tollRatio.d)), Decimal.decimal(quoteAssetAmount.d.mulD(spreadRatio.d)));
    }

    // ---- internals ----

    /// Base received (quote added) or owed (quote removed); 1 wei worse for the trader when k/Q' is inexact.
    function inputPrice(Dir dir, uint256 quote, uint256 quoteReserve, uint256 baseReserve) private pure returns (uint256) {
        if (quote == 0) return 0;
        uint256 k = quoteReserve.mulD(baseReserve);
        uint256 quoteAfter = dir == Dir.ADD_TO_AMM ? quoteReserve + quote : quoteReserve - quote;
        require(quoteAfter != 0, "quote asset after is 0");
        uint256 baseAfter = k.divD(quoteAfter);
        uint256 base = baseAfter > baseReserve ? baseAfter - baseReserve : baseReserve - baseAfter;
        if ((k * PerpMath.UNIT) % quoteAfter != 0) {
            if (dir == Dir.ADD_TO_AMM) base -= 1;
            else base += 1;
        }
        return base;
    }

    /// Quote received (base added) or paid (base removed); 1 wei worse for the trader when k/B' is inexact.
    function outputPrice(Dir dir, uint256 base, uint256 quoteReserve, uint256 baseReserve) private pure returns (uint256) {
        if (base == 0) return 0;
        uint256 k = quoteReserve.mulD(baseReserve);
        uint256 baseAfter = dir == Dir.ADD_TO_AMM ? baseReserve + base : baseReserve - base;
        require(baseAfter != 0, "base asset after is 0");
        uint256 quoteAfter = k.divD(baseAfter);
        uint256 quote = quoteAfter > quoteReserve ? quoteAfter - quoteReserve : quoteReserve - quoteAfter;
        if ((k * PerpMath.UNIT) % baseAfter != 0) {
            if (dir == Dir.ADD_TO_AMM) quote -= 1;
            else quote += 1;
        }
        return quote;
    }

    function updateReserve(Dir dirOfQuote, uint256 quote, uint256 base) private {
        if (dirOfQuote == Dir.ADD_TO_AMM) {
            quoteAssetReserve.d += quote;
            baseAssetReserve.d -= base;
        } else {
            quoteAssetReserve.d -= quote;
            baseAssetReserve.d += base;
        }
        // One snapshot per block: the block's last state.
        ReserveSnapshot storage latest = reserveSnapshots[reserveSnapshots.length - 1];
        if (latest.blockNumber == block.number) {
            latest.quoteAssetReserve = quoteAssetReserve;
            latest.baseAssetReserve = baseAssetReserve;
        } else {
            reserveSnapshots.push(ReserveSnapshot(quoteAssetReserve, baseAssetReserve, block.timestamp, block.number));
        }
        emit ReserveSnapshotted(quoteAssetReserve.d, baseAssetReserve.d, block.timestamp);
    }

    function priceAt(ReserveSnapshot storage snapshot, bool output, Dir dir, uint256 base) private view returns (uint256) {
        if (output) return outputPrice(dir, base, snapshot.quoteAssetReserve.d, snapshot.baseAssetReserve.d);
        return snapshot.quoteAssetReserve.d.divD(snapshot.baseAssetReserve.d);
    }

    /// Perp v1's snapshot TWAP: each snapshot's price weighted by how long it
    /// stood within the last `interval` seconds.
    function twap(uint256 interval, bool output, Dir dir, uint256 base) private view returns (uint256) {
        uint256 index = reserveSnapshots.length - 1;
        uint256 price = priceAt(reserveSnapshots[index], output, dir, base);
        if (interval == 0) return price;
        uint256 baseTimestamp = block.timestamp > interval ? block.timestamp - interval : 0;
        if (index == 0 || reserveSnapshots[index].timestamp <= baseTimestamp) return price;
        uint256 previousTimestamp = reserveSnapshots[index].timestamp;
        uint256 period = block.timestamp - previousTimestamp;
        uint256 weighted = price * period;
        while (true) {
            if (index == 0) return period == 0 ? price : weighted / period;
            --index;
            ReserveSnapshot storage snapshot = reserveSnapshots[index];
            price = priceAt(snapshot, output, dir, base);
            if (snapshot.timestamp <= baseTimestamp) {
                weighted += price * (previousTimestamp - baseTimestamp);
                break;
            }
            uint256 fraction = previousTimestamp - snapshot.timestamp;
            weighted += price * fraction;
            period += fraction;
            previousTimestamp = snapshot.timestamp;
        }
        return weighted / interval;
    }
}
