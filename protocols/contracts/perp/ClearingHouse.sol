// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import "./Amm.sol";
import "./PerpDecimal.sol";
import "@openzeppelin/contracts/access/Ownable.sol";
import "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

/// Margin accounts against the vAMMs with the interface, events and
/// arithmetic of Perpetual Protocol v1's ClearingHouse: traders post margin in the quote token, open leveraged long or
/// short positions, pay or receive funding, and are liquidated below the
/// maintenance margin ratio.
/// Devnet simplifications: liquidations close the whole position (Perp's
/// partialLiquidationRatio 0), fees and liquidation remainders stay in an
/// insurance balance held here, which also covers bad debt, and funding is
/// settled between traders without the insurance fund's side of it.
/// As in Perp v1, closing clears the position in storage (clearPosition), so
/// a reverse opens the rest of its notional from a zero position.
contract ClearingHouse is Ownable, ReentrancyGuard {
    using PerpMath for uint256;
    using PerpMath for int256;
    using SafeERC20 for IERC20;

    enum Side { BUY, SELL }
    enum PnlCalcOption { SPOT_PRICE, TWAP, ORACLE }
    enum PnlPreferenceOption { MAX_PNL, MIN_PNL }

    struct Position {
        SignedDecimal.signedDecimal size;
        Decimal.decimal margin;
        Decimal.decimal openNotional;
        SignedDecimal.signedDecimal lastUpdatedCumulativePremiumFraction;
        uint256 liquidityHistoryIndex;
        uint256 blockNumber;
    }

    /// The outcome of one position change, as Perp's PositionResp.
    struct PositionResp {
        Position position;
        int256 exchangedPositionSize;
        uint256 exchangedQuoteAssetAmount;
        uint256 badDebt;
        int256 realizedPnl;
        int256 unrealizedPnlAfter;
        int256 marginToVault;
        int256 fundingPayment;
    }

    Decimal.decimal public initMarginRatio;
    Decimal.decimal public maintenanceMarginRatio;
    Decimal.decimal public liquidationFeeRatio;
    Decimal.decimal public partialLiquidationRatio;

    mapping(address => bool) public isAmm;
    mapping(address => mapping(address => Position)) private positions;
    mapping(address => int256[]) private cumulativePremiumFractions;
    /// Quote-token balance (18 decimals) owned by the insurance fund.
    mapping(address => uint256) public insuranceFundBalance;

    event PositionChanged(address indexed trader, address indexed amm, uint256 margin, uint256 positionNotional,
                          int256 exchangedPositionSize, uint256 fee, int256 positionSizeAfter, int256 realizedPnl,
                          int256 unrealizedPnlAfter, uint256 badDebt, uint256 liquidationPenalty, uint256 spotPrice,
                          int256 fundingPayment);
    event PositionLiquidated(address indexed trader, address indexed amm, uint256 positionNotional, uint256 positionSize,
                             uint256 liquidationFee, address liquidator, uint256 badDebt);
    event MarginChanged(address indexed sender, address indexed amm, int256 amount, int256 fundingPayment);
    event PositionSettled(address indexed amm, address indexed trader, uint256 valueTransferred);
    event AmmAdded(address amm);

    constructor(uint256 initMarginRatio_, uint256 maintenanceMarginRatio_, uint256 liquidationFeeRatio_) Ownable(msg.sender) {
        initMarginRatio = Decimal.decimal(initMarginRatio_);
        maintenanceMarginRatio = Decimal.decimal(maintenanceMarginRatio_);
        liquidationFeeRatio = Decimal.decimal(liquidationFeeRatio_);
    }

    function addAmm(address amm) external onlyOwner {
        isAmm[amm] = true;
        emit AmmAdded(amm);
    }

    /// Seeds the insurance fund (quote token units of the Amm's token).
    function depositToInsuranceFund(Amm amm, uint256 amount) external {
        requireAmm(amm);
        IERC20 token = amm.quoteAsset();
        token.safeTransferFrom(msg.sender, address(this), amount);
        insuranceFundBalance[address(token)] += toDecimal(token, amount);
    }

    // ---- trading ----

    function openPosition(Amm amm, Side side, Decimal.decimal calldata quoteAssetAmount, Decimal.decimal calldata leverage,
                          Decimal.decimal calldata baseAssetAmountLimit) external nonReentrant {
        requireAmm(amm);
        require(quoteAssetAmount.d != 0 && leverage.d != 0, "input is 0");
        require(PerpMath.UNIT.divD(leverage.d) >= initMarginRatio.d, "margin ratio not meet criteria");
        address trader = msg.sender;
        Position memory old = positions[address(amm)][trader];
        uint256 openNotional = quoteAssetAmount.d.mulD(leverage.d);
        bool increase = old.size.d == 0 || (old.size.d > 0) == (side == Side.BUY);
        PositionResp memory resp = increase
            ? increasePosition(amm, side, openNotional, baseAssetAmountLimit.d, leverage.d)
            : reversePosition(amm, side, openNotional, baseAssetAmountLimit.d, leverage.d);
        settle(amm, trader, resp);
    }

    function closePosition(Amm amm, Decimal.decimal calldata quoteAssetAmountLimit) external nonReentrant {
        requireAmm(amm);
        PositionResp memory resp = internalClosePosition(amm, msg.sender, quoteAssetAmountLimit.d);
        settle(amm, msg.sender, resp);
    }

    function addMargin(Amm amm, Decimal.decimal calldata addedMargin) external nonReentrant {
        requireAmm(amm);
        require(addedMargin.d != 0, "input is 0");
        Position storage position = positions[address(amm)][msg.sender];
        require(position.size.d != 0, "positionSize is 0");
        position.margin.d += addedMargin.d;
        pullQuote(amm, msg.sender, addedMargin.d);
        emit MarginChanged(msg.sender, address(amm), int256(addedMargin.d), 0);
    }

    function removeMargin(Amm amm, Decimal.decimal calldata removedMargin) external nonReentrant {
        requireAmm(amm);
        require(removedMargin.d != 0, "input is 0");
        Position storage position = positions[address(amm)][msg.sender];
        require(position.size.d != 0, "positionSize is 0");
        (uint256 remainMargin, uint256 badDebt, int256 fundingPayment, int256 latestCpf) =
            remainMarginWithFunding(amm, position, -int256(removedMargin.d));
        require(badDebt == 0, "margin is not enough");
        position.margin.d = remainMargin;
        position.lastUpdatedCumulativePremiumFraction.d = latestCpf;
        require(freeCollateral(amm, msg.sender) >= 0, "free collateral is not enough");
        pushQuote(amm, msg.sender, removedMargin.d);
        emit MarginChanged(msg.sender, address(amm), -int256(removedMargin.d), fundingPayment);
    }

    function liquidate(Amm amm, address trader) external nonReentrant {
        requireAmm(amm);
        int256 marginRatio = getMarginRatio(amm, trader).d;
        require(marginRatio < int256(maintenanceMarginRatio.d), "Margin ratio meets the requirement");
        PositionResp memory resp = internalClosePosition(amm, trader, 0);
        positions[address(amm)][trader] = resp.position;
        uint256 remainMargin = PerpMath.abs(resp.marginToVault);
        uint256 feeToLiquidator = resp.exchangedQuoteAssetAmount.mulD(liquidationFeeRatio.d) / 2;
        uint256 totalBadDebt = resp.badDebt;
        if (feeToLiquidator > remainMargin) {
            totalBadDebt += feeToLiquidator - remainMargin;
            remainMargin = 0;
        } else {
            remainMargin -= feeToLiquidator;
        }
        IERC20 token = amm.quoteAsset();
        if (totalBadDebt > 0) {
            require(insuranceFundBalance[address(token)] >= totalBadDebt, "insurance fund cannot cover the bad debt");
            insuranceFundBalance[address(token)] -= totalBadDebt;
        }
        insuranceFundBalance[address(token)] += remainMargin;
        pushQuote(amm, msg.sender, feeToLiquidator);
        emit PositionChanged(trader, address(amm), 0, resp.exchangedQuoteAssetAmount, resp.exchangedPositionSize, 0, 0,
                             resp.realizedPnl, 0, totalBadDebt, remainMargin + feeToLiquidator, amm.getSpotPrice().d,
                             resp.fundingPayment);
        emit PositionLiquidated(trader, address(amm), resp.exchangedQuoteAssetAmount, PerpMath.abs(resp.exchangedPositionSize),
                                feeToLiquidator, msg.sender, totalBadDebt);
    }

    /// Anyone may settle funding once the Amm's funding time has come.
    function payFunding(Amm amm) external {
        requireAmm(amm);
        int256 premiumFraction = amm.settleFunding().d;
        cumulativePremiumFractions[address(amm)].push(premiumFraction + getLatestCumulativePremiumFraction(amm).d);
    }

    // ---- views ----

    function getPosition(Amm amm, address trader) external view returns (Position memory) {
        return positions[address(amm)][trader];
    }

    function getLatestCumulativePremiumFraction(Amm amm) public view returns (SignedDecimal.signedDecimal memory) {
        int256[] storage fractions = cumulativePremiumFractions[address(amm)];
        return SignedDecimal.signedDecimal(fractions.length == 0 ? int256(0) : fractions[fractions.length - 1]);
    }

    /// (margin − funding owed + PnL) / notional, with the PnL of spot or
    /// 15-minute TWAP, whichever is larger; the remaining margin floors at 0.
    function getMarginRatio(Amm amm, address trader) public view returns (SignedDecimal.signedDecimal memory) {
        Position storage position = positions[address(amm)][trader];
        require(position.size.d != 0, "positionSize is 0");
        (uint256 notional, int256 pnl) = preferredNotionalAndPnl(amm, trader, PnlPreferenceOption.MAX_PNL);
        (uint256 remainMargin, uint256 badDebt,,) = remainMarginWithFunding(amm, position, pnl);
        return SignedDecimal.signedDecimal((int256(remainMargin) - int256(badDebt)).divD(int256(notional)));
    }

    function getPositionNotionalAndUnrealizedPnl(Amm amm, address trader, PnlCalcOption option)
        public view returns (Decimal.decimal memory positionNotional, SignedDecimal.signedDecimal memory unrealizedPnl)
    {
        Position storage position = positions[address(amm)][trader];
        int256 size = position.size.d;
        if (size == 0) return (positionNotional, unrealizedPnl);
        bool isShort = size < 0;
        Amm.Dir dir = isShort ? Amm.Dir.REMOVE_FROM_AMM : Amm.Dir.ADD_TO_AMM;
        Decimal.decimal memory absSize = Decimal.decimal(PerpMath.abs(size));
        if (option == PnlCalcOption.TWAP) positionNotional = amm.getOutputTwap(dir, absSize);
        else if (option == PnlCalcOption.SPOT_PRICE) positionNotional = amm.getOutputPrice(dir, absSize);
        else positionNotional = Decimal.decimal(absSize.d.mulD(amm.getUnderlyingPrice().d));
        int256 open = int256(position.openNotional.d);
        unrealizedPnl.d = isShort ? open - int256(positionNotional.d) : int256(positionNotional.d) - open;
    }

    // ---- internals ----

    function requireAmm(Amm amm) private view {
        require(isAmm[address(amm)], "amm not found");
    }

    function increasePosition(Amm amm, Side side, uint256 openNotional, uint256 baseLimit, uint256 leverage)
        private returns (PositionResp memory resp)
    {
        address trader = msg.sender;
        Position memory old = positions[address(amm)][trader];
        resp.exchangedPositionSize = swapInput(amm, side, openNotional, baseLimit);
        resp.exchangedQuoteAssetAmount = openNotional;
        uint256 increaseMarginRequirement = openNotional.divD(leverage);
        (uint256 remainMargin,, int256 fundingPayment, int256 latestCpf) =
            remainMarginWithFunding(amm, old, int256(increaseMarginRequirement));
        (, SignedDecimal.signedDecimal memory pnl) = getPositionNotionalAndUnrealizedPnl(amm, trader, PnlCalcOption.SPOT_PRICE);
        resp.position = Position(SignedDecimal.signedDecimal(old.size.d + resp.exchangedPositionSize), Decimal.decimal(remainMargin),
                                 Decimal.decimal(old.openNotional.d + openNotional), SignedDecimal.signedDecimal(latestCpf), 0,
                                 block.number);
        resp.unrealizedPnlAfter = pnl.d;
        resp.marginToVault = int256(increaseMarginRequirement);
        resp.fundingPayment = fundingPayment;
    }

    function reversePosition(Amm amm, Side side, uint256 openNotional, uint256 baseLimit, uint256 leverage)
        private returns (PositionResp memory resp)
    {
        address trader = msg.sender;
        (Decimal.decimal memory oldNotional, SignedDecimal.signedDecimal memory pnl) =
            getPositionNotionalAndUnrealizedPnl(amm, trader, PnlCalcOption.SPOT_PRICE);
        Position memory old = positions[address(amm)][trader];
        if (oldNotional.d > openNotional) {
            // Reduce: realize the PnL of the part closed, keep the rest open.
            resp.exchangedPositionSize = swapInput(amm, side, openNotional, baseLimit);
            resp.exchangedQuoteAssetAmount = openNotional;
            resp.realizedPnl = pnl.d.mulD(int256(PerpMath.abs(resp.exchangedPositionSize))).divD(int256(PerpMath.abs(old.size.d)));
            (uint256 remainMargin, uint256 badDebt, int256 fundingPayment, int256 latestCpf) =
                remainMarginWithFunding(amm, old, resp.realizedPnl);
            resp.badDebt = badDebt;
            resp.fundingPayment = fundingPayment;
            resp.unrealizedPnlAfter = pnl.d - resp.realizedPnl;
            int256 remainOpenNotional = old.size.d > 0
                ? int256(oldNotional.d) - int256(openNotional) - resp.unrealizedPnlAfter
                : resp.unrealizedPnlAfter + int256(oldNotional.d) - int256(openNotional);
            require(remainOpenNotional > 0, "value of openNotional <= 0");
            resp.position = Position(SignedDecimal.signedDecimal(old.size.d + resp.exchangedPositionSize), Decimal.decimal(remainMargin),
                                     Decimal.decimal(uint256(remainOpenNotional)), SignedDecimal.signedDecimal(latestCpf), 0,
                                     block.number);
            return resp;
        }
        // Close, then open the rest on the other side.
        PositionResp memory closed = internalClosePosition(amm, trader, 0);
        if (openNotional <= closed.exchangedQuoteAssetAmount) return closed;
        uint256 rest = openNotional - closed.exchangedQuoteAssetAmount;
        uint256 restBaseLimit = baseLimit;
        if (baseLimit != 0) {
            uint256 closedBase = PerpMath.abs(closed.exchangedPositionSize);
            restBaseLimit = baseLimit > closedBase ? baseLimit - closedBase : 0;
        }
        PositionResp memory opened = increasePosition(amm, side, rest, restBaseLimit, leverage);
        resp = opened;
        resp.exchangedPositionSize = closed.exchangedPositionSize + opened.exchangedPositionSize;
        resp.exchangedQuoteAssetAmount = closed.exchangedQuoteAssetAmount + rest;
        resp.badDebt = closed.badDebt;
        resp.realizedPnl = closed.realizedPnl;
        resp.fundingPayment = closed.fundingPayment;
        resp.marginToVault = closed.marginToVault + opened.marginToVault;
    }

    function internalClosePosition(Amm amm, address trader, uint256 quoteLimit) private returns (PositionResp memory resp) {
        Position memory old = positions[address(amm)][trader];
        require(old.size.d != 0, "positionSize is 0");
        (, SignedDecimal.signedDecimal memory pnl) = getPositionNotionalAndUnrealizedPnl(amm, trader, PnlCalcOption.SPOT_PRICE);
        (uint256 remainMargin, uint256 badDebt, int256 fundingPayment,) = remainMarginWithFunding(amm, old, pnl.d);
        resp.exchangedPositionSize = -old.size.d;
        resp.realizedPnl = pnl.d;
        resp.badDebt = badDebt;
        resp.fundingPayment = fundingPayment;
        resp.marginToVault = -int256(remainMargin);
        resp.exchangedQuoteAssetAmount = amm.swapOutput(old.size.d > 0 ? Amm.Dir.ADD_TO_AMM : Amm.Dir.REMOVE_FROM_AMM,
                                                        Decimal.decimal(PerpMath.abs(old.size.d)), Decimal.decimal(quoteLimit)).d;
        amm.adjustTotalPositionSize(-old.size.d);
        // Cleared in storage now, as Perp v1's clearPosition does: a reverse opens the rest from a zero position.
        delete positions[address(amm)][trader];
        // resp.position stays zero: the position is cleared.
        resp.position.blockNumber = block.number;
    }

    function swapInput(Amm amm, Side side, uint256 quote, uint256 baseLimit) private returns (int256) {
        Amm.Dir dir = side == Side.BUY ? Amm.Dir.ADD_TO_AMM : Amm.Dir.REMOVE_FROM_AMM;
        uint256 base = amm.swapInput(dir, Decimal.decimal(quote), Decimal.decimal(baseLimit), false).d;
        int256 signedBase = side == Side.BUY ? int256(base) : -int256(base);
        amm.adjustTotalPositionSize(signedBase);
        return signedBase;
    }

    /// Stores the new position, moves margin and fees, and reports the change.
    function settle(Amm amm, address trader, PositionResp memory resp) private {
        IERC20 token = amm.quoteAsset();
        if (resp.badDebt > 0) {
            require(insuranceFundBalance[address(token)] >= resp.badDebt, "insurance fund cannot cover the bad debt");
            insuranceFundBalance[address(token)] -= resp.badDebt;
        }
        positions[address(amm)][trader] = resp.position;
        if (resp.marginToVault > 0) pullQuote(amm, trader, uint256(resp.marginToVault));
        else if (resp.marginToVault < 0) pushQuote(amm, trader, uint256(-resp.marginToVault));
        (Decimal.decimal memory toll, Decimal.decimal memory spread) = amm.calcFee(Decimal.decimal(resp.exchangedQuoteAssetAmount));
        uint256 fee = toll.d + spread.d;
        if (fee > 0) {
            pullQuote(amm, trader, fee);
            insuranceFundBalance[address(token)] += fee;
        }
        emit PositionChanged(trader, address(amm), resp.position.margin.d, resp.exchangedQuoteAssetAmount, resp.exchangedPositionSize,
                             fee, resp.position.size.d, resp.realizedPnl, resp.unrealizedPnlAfter, resp.badDebt, 0,
                             amm.getSpotPrice().d, resp.fundingPayment);
    }

    function remainMarginWithFunding(Amm amm, Position memory position, int256 marginDelta)
        private view returns (uint256 remainMargin, uint256 badDebt, int256 fundingPayment, int256 latestCpf)
    {
        latestCpf = getLatestCumulativePremiumFraction(amm).d;
        if (position.size.d != 0) {
            fundingPayment = (latestCpf - position.lastUpdatedCumulativePremiumFraction.d).mulD(position.size.d);
        }
        int256 signedRemain = marginDelta - fundingPayment + int256(position.margin.d);
        if (signedRemain < 0) badDebt = uint256(-signedRemain);
        else remainMargin = uint256(signedRemain);
    }

    function preferredNotionalAndPnl(Amm amm, address trader, PnlPreferenceOption preference)
        private view returns (uint256 notional, int256 pnl)
    {
        (Decimal.decimal memory spotNotional, SignedDecimal.signedDecimal memory spotPnl) =
            getPositionNotionalAndUnrealizedPnl(amm, trader, PnlCalcOption.SPOT_PRICE);
        (Decimal.decimal memory twapNotional, SignedDecimal.signedDecimal memory twapPnl) =
            getPositionNotionalAndUnrealizedPnl(amm, trader, PnlCalcOption.TWAP);
        bool spotWins = preference == PnlPreferenceOption.MAX_PNL ? spotPnl.d > twapPnl.d : spotPnl.d < twapPnl.d;
        return spotWins ? (spotNotional.d, spotPnl.d) : (twapNotional.d, twapPnl.d);
    }

    /// min(margin, margin + PnL) − IMR × (open notional for longs, current notional for shorts), with the smaller PnL.
    function freeCollateral(Amm amm, address trader) private view returns (int256) {
        Position storage position = positions[address(amm)][trader];
        (uint256 notional, int256 pnl) = preferredNotionalAndPnl(amm, trader, PnlPreferenceOption.MIN_PNL);
        int256 accountValue = pnl + int256(position.margin.d);
        int256 minCollateral = pnl > 0 ? int256(position.margin.d) : accountValue;
        uint256 requirementBase = position.size.d > 0 ? position.openNotional.d : notional;
        return minCollateral - int256(requirementBase.mulD(initMarginRatio.d));
    }

    function toDecimal(IERC20 token, uint256 amount) private view returns (uint256) {
        return amount * 10 ** (18 - IERC20Metadata(address(token)).decimals());
    }

    /// Token units from 18-decimal amounts: floor, as Perp's DecimalERC20.
    function toTokenAmount(IERC20 token, uint256 value) private view returns (uint256) {
        return value / 10 ** (18 - IERC20Metadata(address(token)).decimals());
    }

    function pullQuote(Amm amm, address from, uint256 value) private {
        IERC20 token = amm.quoteAsset();
        token.safeTransferFrom(from, address(this), toTokenAmount(token, value));
    }

    function pushQuote(Amm amm, address to, uint256 value) private {
        IERC20 token = amm.quoteAsset();
        uint256 amount = toTokenAmount(token, value);
        if (amount > 0) token.safeTransfer(to, amount);
    }
}
