// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import "./BendMath.sol";
import "@openzeppelin/contracts/access/Ownable.sol";
import "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import "@openzeppelin/contracts/token/ERC721/IERC721Receiver.sol";
import "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

interface INFTOracleGetter {
    function getAssetPrice(address asset) external view returns (uint256);
    function isPriceStale(address asset) external view returns (bool);
}

interface IReserveOracleGetter {
    function getAssetPrice(address asset) external view returns (uint256);
}

/// Pool lending against NFTs with the interface, events and arithmetic of
/// BendDAO v1's LendPool (and the loan getters of its LendPoolLoan, served
/// from this address): depositors supply a reserve, borrowers pledge one NFT
/// per loan and borrow at the pool's variable rate; a loan whose health
/// factor falls below 1 goes to an English auction with a redeem window.
/// Devnet simplifications: deposits are internal balances instead of
/// bTokens, and credit delegation (borrowing on behalf of another account,
/// as the down-payment contract does) lives here as approveDelegation /
/// borrowAllowance per asset instead of on the reserve's DebtToken.
contract LendPool is Ownable, ReentrancyGuard, IERC721Receiver {
    using BendMath for uint256;
    using SafeERC20 for IERC20;

    enum LoanState { None, Created, Active, Auction, Repaid, Defaulted }

    struct ReserveConfigurationMap { uint256 data; }
    struct NftConfigurationMap { uint256 data; }

    struct ReserveData {
        ReserveConfigurationMap configuration;
        uint128 liquidityIndex;
        uint128 variableBorrowIndex;
        uint128 currentLiquidityRate;
        uint128 currentVariableBorrowRate;
        uint40 lastUpdateTimestamp;
        address bToken;
        address debtToken;
        address interestRate;
        uint8 id;
        uint256 maxUtilizationRate;
    }

    struct NftData {
        NftConfigurationMap configuration;
        address bNftAddress;
        uint8 id;
        uint256 maxSupply;
        uint256 maxTokenId;
        uint256 maxCollateralCap;
    }

    struct LoanData {
        uint256 loanId;
        LoanState state;
        address borrower;
        address nftAsset;
        uint256 nftTokenId;
        address reserveAsset;
        uint256 scaledAmount;
        uint256 bidStartTimestamp;
        address bidderAddress;
        uint256 bidPrice;
        uint256 bidBorrowAmount;
        address firstBidderAddress;
    }

    /// Rate strategy (rays), as Aave v2's DefaultReserveInterestRateStrategy.
    struct RateStrategy {
        uint256 optimalUtilizationRate;
        uint256 baseVariableBorrowRate;
        uint256 variableRateSlope1;
        uint256 variableRateSlope2;
    }

    INFTOracleGetter public immutable nftOracle;
    IReserveOracleGetter public immutable reserveOracle;

    mapping(address => ReserveData) private reserves;
    mapping(address => RateStrategy) private strategies;
    mapping(address => uint256) private totalScaledDebt;
    mapping(address => uint256) private totalScaledDeposits;
    mapping(address => mapping(address => uint256)) private scaledDeposits;
    /// Auction bids held until the auction ends or the borrower redeems.
    mapping(address => uint256) private escrowedBids;
    mapping(address => NftData) private nfts;
    mapping(uint256 => LoanData) private loans;
    mapping(address => mapping(uint256 => uint256)) private collateralLoanIds;
    /// Credit delegation: how much `delegatee` may borrow of `asset` on behalf of `user`.
    mapping(address => mapping(address => mapping(address => uint256))) private borrowAllowances;
    uint256 public loanCount;
    uint8 private reserveCount;
    uint8 private nftCount;

    event BorrowAllowanceDelegated(address indexed fromUser, address indexed toUser, address asset, uint256 amount);
    event Deposit(address user, address indexed reserve, uint256 amount, address indexed onBehalfOf, uint16 indexed referral);
    event Withdraw(address indexed user, address indexed reserve, uint256 amount, address indexed to);
    event Borrow(address user, address indexed reserve, uint256 amount, address nftAsset, uint256 nftTokenId,
                 address indexed onBehalfOf, uint256 borrowRate, uint256 loanId, uint16 indexed referral);
    event Repay(address user, address indexed reserve, uint256 amount, address indexed nftAsset, uint256 nftTokenId,
                address indexed borrower, uint256 loanId);
    event Auction(address user, address indexed reserve, uint256 bidPrice, address indexed nftAsset, uint256 nftTokenId,
                  address onBehalfOf, address indexed borrower, uint256 loanId);
    event Redeem(address user, address indexed reserve, uint256 borrowAmount, uint256 fineAmount, address indexed nftAsset,
                 uint256 nftTokenId, address indexed borrower, uint256 loanId);
    event Liquidate(address user, address indexed reserve, uint256 repayAmount, uint256 remainAmount, address indexed nftAsset,
                    uint256 nftTokenId, address indexed borrower, uint256 loanId);
    event ReserveDataUpdated(address indexed reserve, uint256 liquidityRate, uint256 stableBorrowRate, uint256 variableBorrowRate,
                             uint256 liquidityIndex, uint256 variableBorrowIndex);

    constructor(address nftOracle_, address reserveOracle_) Ownable(msg.sender) {
        nftOracle = INFTOracleGetter(nftOracle_);
        reserveOracle = IReserveOracleGetter(reserveOracle_);
    }

    // ---- configuration (the devnet's governance) ----

    function initReserve(address asset, uint256 reserveFactorBps, RateStrategy calldata strategy) external onlyOwner {
        require(reserves[asset].liquidityIndex == 0, "LendPool: reserve already initialized");
        uint256 decimals = IERC20Metadata(asset).decimals();
        // Reserve bitmap: decimals 48-55, active 56, borrowing enabled 58, reserve factor 64-79.
        uint256 config = (decimals << 48) | (1 << 56) | (1 << 58) | (reserveFactorBps << 64);
        ReserveData storage reserve = reserves[asset];
        reserve.configuration.data = config;
        reserve.liquidityIndex = uint128(BendMath.RAY);
        reserve.variableBorrowIndex = uint128(BendMath.RAY);
        reserve.lastUpdateTimestamp = uint40(block.timestamp);
        reserve.bToken = address(this);
        reserve.debtToken = address(this);
        reserve.interestRate = address(this);
        reserve.id = reserveCount++;
        reserve.maxUtilizationRate = BendMath.RAY;
        strategies[asset] = strategy;
        updateInterestRates(asset);
    }

    /// Percentages in basis points (min bid fine: of 1 ETH), durations in hours.
    function configureNft(address nftAsset, uint256 ltv, uint256 liquidationThreshold, uint256 liquidationBonus,
                          uint256 redeemDuration, uint256 auctionDuration, uint256 redeemFine, uint256 redeemThreshold,
                          uint256 minBidFine) external onlyOwner {
        require(ltv <= liquidationThreshold && liquidationThreshold <= BendMath.PERCENTAGE_FACTOR, "LendPool: invalid NFT configuration");
        require(redeemDuration <= auctionDuration && auctionDuration < 256, "LendPool: invalid NFT durations");
        uint256 data = ltv | (liquidationThreshold << 16) | (liquidationBonus << 32) | (1 << 56) | (redeemDuration << 64)
                       | (auctionDuration << 72) | (redeemFine << 80) | (redeemThreshold << 96) | (minBidFine << 112);
        NftData storage nft = nfts[nftAsset];
        if (nft.configuration.data == 0) nft.id = nftCount++;
        nft.configuration.data = data;
        nft.bNftAddress = address(this);
        nft.maxSupply = type(uint256).max;
        nft.maxTokenId = type(uint256).max;
        nft.maxCollateralCap = type(uint256).max;
    }

    // ---- depositors ----

    function deposit(address asset, uint256 amount, address onBehalfOf, uint16 referralCode) external nonReentrant {
        require(amount > 0, "LendPool: amount must not be 0");
        ReserveData storage reserve = activeReserve(asset);
        updateState(asset);
        uint256 scaled = amount.rayDiv(reserve.liquidityIndex);
        scaledDeposits[asset][onBehalfOf] += scaled;
        totalScaledDeposits[asset] += scaled;
        IERC20(asset).safeTransferFrom(msg.sender, address(this), amount);
        updateInterestRates(asset);
        emit Deposit(msg.sender, asset, amount, onBehalfOf, referralCode);
    }

    function withdraw(address asset, uint256 amount, address to) external nonReentrant returns (uint256) {
        ReserveData storage reserve = activeReserve(asset);
        updateState(asset);
        uint256 balance = scaledDeposits[asset][msg.sender].rayMul(reserve.liquidityIndex);
        if (amount == type(uint256).max) amount = balance;
        require(amount > 0 && amount <= balance, "LendPool: not enough deposit balance");
        require(amount <= availableLiquidity(asset), "LendPool: not enough available liquidity");
        uint256 scaled = amount == balance ? scaledDeposits[asset][msg.sender] : amount.rayDiv(reserve.liquidityIndex);
        scaledDeposits[asset][msg.sender] -= scaled;
        totalScaledDeposits[asset] -= scaled;
        updateInterestRates(asset);
        IERC20(asset).safeTransfer(to, amount);
        emit Withdraw(msg.sender, asset, amount, to);
        return amount;
    }

    // ---- borrowers ----

    /// Lets `delegatee` borrow up to `amount` of `asset` on the caller's behalf (the loan is the
    /// caller's: the down-payment contract borrows this way). BendDAO keeps it on the reserve's DebtToken.
    function approveDelegation(address asset, address delegatee, uint256 amount) external {
        borrowAllowances[asset][msg.sender][delegatee] = amount;
        emit BorrowAllowanceDelegated(msg.sender, delegatee, asset, amount);
    }

    function borrowAllowance(address asset, address fromUser, address toUser) external view returns (uint256) {
        return borrowAllowances[asset][fromUser][toUser];
    }

    function borrow(address reserveAsset, uint256 amount, address nftAsset, uint256 nftTokenId, address onBehalfOf,
                    uint16 referralCode) external nonReentrant {
        if (onBehalfOf != msg.sender) {
            // BendDAO's DebtToken.borrowAllowance: the borrower delegated this much credit to the caller.
            uint256 allowed = borrowAllowances[reserveAsset][onBehalfOf][msg.sender];
            require(allowed >= amount, "LendPool: borrow allowance not enough");
            borrowAllowances[reserveAsset][onBehalfOf][msg.sender] = allowed - amount;
        }
        require(amount > 0, "LendPool: amount must not be 0");
        ReserveData storage reserve = activeReserve(reserveAsset);
        uint256 nftConfig = activeNft(nftAsset);
        require(!nftOracle.isPriceStale(nftAsset), "LendPool: NFT price is stale");
        updateState(reserveAsset);

        uint256 loanId = collateralLoanIds[nftAsset][nftTokenId];
        uint256 debt;
        if (loanId != 0) {
            LoanData storage existing = loans[loanId];
            require(existing.state == LoanState.Active, "LendPool: loan is not active");
            require(existing.borrower == onBehalfOf, "LendPool: caller is not the borrower");
            require(existing.reserveAsset == reserveAsset, "LendPool: loan is in another reserve");
            debt = existing.scaledAmount.rayMul(reserve.variableBorrowIndex);
        }
        uint256 collateral = collateralInReserve(nftAsset, reserveAsset);
        if (debt > 0) {
            require(healthFactor(collateral, nftConfig, debt) > BendMath.WAD, "LendPool: health factor is below 1");
        }
        require(debt + amount <= collateral.percentMul(nftConfig & 0xFFFF), "LendPool: borrow exceeds the collateral's loan-to-value");
        require(amount <= availableLiquidity(reserveAsset), "LendPool: not enough available liquidity");

        if (loanId == 0) {
            loanId = ++loanCount;
            collateralLoanIds[nftAsset][nftTokenId] = loanId;
            LoanData storage created = loans[loanId];
            created.loanId = loanId;
            created.state = LoanState.Active;
            created.borrower = onBehalfOf;
            created.nftAsset = nftAsset;
            created.nftTokenId = nftTokenId;
            created.reserveAsset = reserveAsset;
            IERC721(nftAsset).safeTransferFrom(msg.sender, address(this), nftTokenId);
        }
        uint256 scaled = amount.rayDiv(reserve.variableBorrowIndex);
        loans[loanId].scaledAmount += scaled;
        totalScaledDebt[reserveAsset] += scaled;
        updateInterestRates(reserveAsset);
        IERC20(reserveAsset).safeTransfer(msg.sender, amount);
        emit Borrow(msg.sender, reserveAsset, amount, nftAsset, nftTokenId, onBehalfOf, reserve.currentVariableBorrowRate,
                    loanId, referralCode);
    }

    /// Partial repayment keeps the loan open; repaying the whole debt (or
    /// more: only the debt is taken) returns the NFT to the borrower.
    function repay(address nftAsset, uint256 nftTokenId, uint256 amount) external nonReentrant returns (uint256, bool) {
        require(amount > 0, "LendPool: amount must not be 0");
        LoanData storage loan = loanOf(nftAsset, nftTokenId);
        require(loan.state == LoanState.Active, "LendPool: loan is not active");
        address asset = loan.reserveAsset;
        updateState(asset);
        uint256 index = reserves[asset].variableBorrowIndex;
        uint256 debt = loan.scaledAmount.rayMul(index);
        bool fullyRepaid = amount >= debt;
        uint256 paid = fullyRepaid ? debt : amount;
        uint256 scaled = fullyRepaid ? loan.scaledAmount : min(paid.rayDiv(index), loan.scaledAmount);
        loan.scaledAmount -= scaled;
        totalScaledDebt[asset] -= scaled;
        IERC20(asset).safeTransferFrom(msg.sender, address(this), paid);
        updateInterestRates(asset);
        uint256 loanId = loan.loanId;
        address borrower = loan.borrower;
        if (fullyRepaid) {
            loan.state = LoanState.Repaid;
            delete collateralLoanIds[nftAsset][nftTokenId];
            IERC721(nftAsset).safeTransferFrom(address(this), borrower, nftTokenId);
        }
        emit Repay(msg.sender, asset, paid, nftAsset, nftTokenId, borrower, loanId);
        return (paid, fullyRepaid);
    }

    // ---- liquidation: auction, redeem, liquidate ----

    function auction(address nftAsset, uint256 nftTokenId, uint256 bidPrice, address onBehalfOf) external nonReentrant {
        LoanData storage loan = loanOf(nftAsset, nftTokenId);
        require(loan.state == LoanState.Active || loan.state == LoanState.Auction, "LendPool: loan is not active or in auction");
        address asset = loan.reserveAsset;
        uint256 nftConfig = nfts[nftAsset].configuration.data;
        updateState(asset);
        uint256 debt = loan.scaledAmount.rayMul(reserves[asset].variableBorrowIndex);
        uint256 collateral = collateralInReserve(nftAsset, asset);
        (, uint256 liquidatePrice) = liquidatePrices(collateral, nftConfig, debt);

        if (loan.state == LoanState.Active) {
            require(debt > collateral.percentMul((nftConfig >> 16) & 0xFFFF), "LendPool: health factor is not below 1");
            require(bidPrice >= liquidatePrice, "LendPool: bid price below the liquidation price");
            loan.state = LoanState.Auction;
            loan.bidStartTimestamp = block.timestamp;
            loan.firstBidderAddress = onBehalfOf;
        } else {
            require(block.timestamp <= loan.bidStartTimestamp + ((nftConfig >> 72) & 0xFF) * 1 hours, "LendPool: auction has ended");
            require(bidPrice >= liquidatePrice, "LendPool: bid price below the liquidation price");
            require(bidPrice >= loan.bidPrice + debt.percentMul(100), "LendPool: bid must exceed the last by 1% of the debt");
            escrowedBids[asset] -= loan.bidPrice;
            IERC20(asset).safeTransfer(loan.bidderAddress, loan.bidPrice);
        }
        IERC20(asset).safeTransferFrom(msg.sender, address(this), bidPrice);
        escrowedBids[asset] += bidPrice;
        loan.bidderAddress = onBehalfOf;
        loan.bidPrice = bidPrice;
        loan.bidBorrowAmount = debt;
        emit Auction(msg.sender, asset, bidPrice, nftAsset, nftTokenId, onBehalfOf, loan.borrower, loan.loanId);
    }

    /// The borrower (or anyone for them) pays part of the debt and the bid
    /// fine during the redeem window; the loan returns to Active.
    function redeem(address nftAsset, uint256 nftTokenId, uint256 amount, uint256 bidFine) external nonReentrant returns (uint256) {
        LoanData storage loan = loanOf(nftAsset, nftTokenId);
        require(loan.state == LoanState.Auction, "LendPool: loan is not in auction");
        uint256 nftConfig = nfts[nftAsset].configuration.data;
        require(block.timestamp <= loan.bidStartTimestamp + ((nftConfig >> 64) & 0xFF) * 1 hours, "LendPool: redeem window has ended");
        address asset = loan.reserveAsset;
        updateState(asset);
        uint256 index = reserves[asset].variableBorrowIndex;
        uint256 debt = loan.scaledAmount.rayMul(index);
        uint256 fine = bidFineOf(asset, nftConfig, debt);
        require(bidFine >= fine, "LendPool: bid fine is too low");
        require(amount >= debt.percentMul((nftConfig >> 96) & 0xFFFF), "LendPool: redeem amount below the redeem threshold");
        require(amount <= debt.percentMul(9000), "LendPool: redeem amount above 90% of the debt");

        uint256 scaled = min(amount.rayDiv(index), loan.scaledAmount);
        loan.scaledAmount -= scaled;
        totalScaledDebt[asset] -= scaled;
        IERC20(asset).safeTransferFrom(msg.sender, address(this), amount + fine);
        IERC20(asset).safeTransfer(loan.firstBidderAddress, fine);
        escrowedBids[asset] -= loan.bidPrice;
        IERC20(asset).safeTransfer(loan.bidderAddress, loan.bidPrice);
        updateInterestRates(asset);
        loan.state = LoanState.Active;
        loan.bidStartTimestamp = 0;
        loan.bidderAddress = address(0);
        loan.bidPrice = 0;
        loan.bidBorrowAmount = 0;
        loan.firstBidderAddress = address(0);
        emit Redeem(msg.sender, asset, amount, fine, nftAsset, nftTokenId, loan.borrower, loan.loanId);
        return amount + fine;
    }

    /// After the auction: the NFT goes to the winning bidder, the bid repays
    /// the debt (the caller pays any shortfall) and the rest goes to the borrower.
    function liquidate(address nftAsset, uint256 nftTokenId, uint256 amount) external nonReentrant returns (uint256) {
        LoanData storage loan = loanOf(nftAsset, nftTokenId);
        require(loan.state == LoanState.Auction, "LendPool: loan is not in auction");
        uint256 nftConfig = nfts[nftAsset].configuration.data;
        require(block.timestamp > loan.bidStartTimestamp + ((nftConfig >> 72) & 0xFF) * 1 hours, "LendPool: auction has not ended");
        address asset = loan.reserveAsset;
        updateState(asset);
        uint256 debt = loan.scaledAmount.rayMul(reserves[asset].variableBorrowIndex);
        uint256 extraDebt = loan.bidPrice < debt ? debt - loan.bidPrice : 0;
        require(amount >= extraDebt, "LendPool: amount does not cover the debt left after the bid");
        uint256 remain = loan.bidPrice > debt ? loan.bidPrice - debt : 0;
        if (extraDebt > 0) IERC20(asset).safeTransferFrom(msg.sender, address(this), extraDebt);

        totalScaledDebt[asset] -= loan.scaledAmount;
        loan.scaledAmount = 0;
        escrowedBids[asset] -= loan.bidPrice;
        loan.state = LoanState.Defaulted;
        delete collateralLoanIds[nftAsset][nftTokenId];
        updateInterestRates(asset);
        if (remain > 0) IERC20(asset).safeTransfer(loan.borrower, remain);
        IERC721(nftAsset).safeTransferFrom(address(this), loan.bidderAddress, nftTokenId);
        emit Liquidate(msg.sender, asset, debt, remain, nftAsset, nftTokenId, loan.borrower, loan.loanId);
        return extraDebt;
    }

    // ---- views (LendPool) ----

    function getReserveData(address asset) external view returns (ReserveData memory) {
        return reserves[asset];
    }

    function getReserveConfiguration(address asset) external view returns (ReserveConfigurationMap memory) {
        return reserves[asset].configuration;
    }

    function getNftData(address asset) external view returns (NftData memory) {
        return nfts[asset];
    }

    function getNftConfiguration(address asset) external view returns (NftConfigurationMap memory) {
        return nfts[asset].configuration;
    }

    function getReserveNormalizedVariableDebt(address asset) public view returns (uint256) {
        ReserveData storage reserve = reserves[asset];
        if (reserve.lastUpdateTimestamp == block.timestamp) return reserve.variableBorrowIndex;
        return BendMath.compoundedInterest(reserve.currentVariableBorrowRate, reserve.lastUpdateTimestamp)
            .rayMul(reserve.variableBorrowIndex);
    }

    function getReserveNormalizedIncome(address asset) public view returns (uint256) {
        ReserveData storage reserve = reserves[asset];
        if (reserve.lastUpdateTimestamp == block.timestamp) return reserve.liquidityIndex;
        return BendMath.linearInterest(reserve.currentLiquidityRate, reserve.lastUpdateTimestamp).rayMul(reserve.liquidityIndex);
    }

    /// What `user` could withdraw now (BendDAO: the bToken balance).
    function getDepositBalance(address asset, address user) external view returns (uint256) {
        return scaledDeposits[asset][user].rayMul(getReserveNormalizedIncome(asset));
    }

    function getNftCollateralData(address nftAsset, address reserveAsset) external view returns (
        uint256 totalCollateralInETH, uint256 totalCollateralInReserve, uint256 availableBorrowsInETH,
        uint256 availableBorrowsInReserve, uint256 ltv, uint256 liquidationThreshold, uint256 liquidationBonus) {
        uint256 config = nfts[nftAsset].configuration.data;
        ltv = config & 0xFFFF;
        liquidationThreshold = (config >> 16) & 0xFFFF;
        liquidationBonus = (config >> 32) & 0xFFFF;
        totalCollateralInETH = nftOracle.getAssetPrice(nftAsset);
        totalCollateralInReserve = collateralInReserve(nftAsset, reserveAsset);
        availableBorrowsInETH = totalCollateralInETH.percentMul(ltv);
        availableBorrowsInReserve = totalCollateralInReserve.percentMul(ltv);
    }

    function getNftDebtData(address nftAsset, uint256 nftTokenId) external view returns (
        uint256 loanId, address reserveAsset, uint256 totalCollateral, uint256 totalDebt, uint256 availableBorrows,
        uint256 healthFactor_) {
        loanId = collateralLoanIds[nftAsset][nftTokenId];
        if (loanId == 0) return (0, address(0), 0, 0, 0, 0);
        LoanData storage loan = loans[loanId];
        uint256 config = nfts[nftAsset].configuration.data;
        reserveAsset = loan.reserveAsset;
        totalCollateral = collateralInReserve(nftAsset, reserveAsset);
        totalDebt = loan.scaledAmount.rayMul(getReserveNormalizedVariableDebt(reserveAsset));
        uint256 borrowable = totalCollateral.percentMul(config & 0xFFFF);
        availableBorrows = borrowable > totalDebt ? borrowable - totalDebt : 0;
        // Only an Active loan has a health factor (BendDAO answers 0 in auction).
        if (loan.state == LoanState.Active) healthFactor_ = healthFactor(totalCollateral, config, totalDebt);
    }

    function getNftAuctionData(address nftAsset, uint256 nftTokenId) external view returns (
        uint256 loanId, address bidderAddress, uint256 bidPrice, uint256 bidBorrowAmount, uint256 bidFine) {
        loanId = collateralLoanIds[nftAsset][nftTokenId];
        if (loanId == 0) return (0, address(0), 0, 0, 0);
        LoanData storage loan = loans[loanId];
        if (loan.state != LoanState.Auction) return (loanId, address(0), 0, 0, 0);
        uint256 debt = loan.scaledAmount.rayMul(getReserveNormalizedVariableDebt(loan.reserveAsset));
        return (loanId, loan.bidderAddress, loan.bidPrice, loan.bidBorrowAmount,
                bidFineOf(loan.reserveAsset, nfts[nftAsset].configuration.data, debt));
    }

    function getNftAuctionEndTime(address nftAsset, uint256 nftTokenId) external view returns (
        uint256 loanId, uint256 bidStartTimestamp, uint256 bidEndTimestamp, uint256 redeemEndTimestamp) {
        loanId = collateralLoanIds[nftAsset][nftTokenId];
        if (loanId == 0) return (0, 0, 0, 0);
        LoanData storage loan = loans[loanId];
        if (loan.bidStartTimestamp == 0) return (loanId, 0, 0, 0);
        uint256 config = nfts[nftAsset].configuration.data;
        bidStartTimestamp = loan.bidStartTimestamp;
        bidEndTimestamp = bidStartTimestamp + ((config >> 72) & 0xFF) * 1 hours;
        redeemEndTimestamp = bidStartTimestamp + ((config >> 64) & 0xFF) * 1 hours;
    }

    function getNftLiquidatePrice(address nftAsset, uint256 nftTokenId) external view returns (uint256 liquidatePrice,
                                                                                             uint256 paybackAmount) {
        uint256 loanId = collateralLoanIds[nftAsset][nftTokenId];
        if (loanId == 0) return (0, 0);
        LoanData storage loan = loans[loanId];
        paybackAmount = loan.scaledAmount.rayMul(getReserveNormalizedVariableDebt(loan.reserveAsset));
        (, liquidatePrice) = liquidatePrices(collateralInReserve(nftAsset, loan.reserveAsset), nfts[nftAsset].configuration.data,
                                             paybackAmount);
    }

    // ---- views (LendPoolLoan) ----

    function getCollateralLoanId(address nftAsset, uint256 nftTokenId) external view returns (uint256) {
        return collateralLoanIds[nftAsset][nftTokenId];
    }

    function getLoan(uint256 loanId) external view returns (LoanData memory) {
        return loans[loanId];
    }

    function getLoanReserveBorrowAmount(uint256 loanId) external view returns (address, uint256) {
        LoanData storage loan = loans[loanId];
        return (loan.reserveAsset, loan.scaledAmount.rayMul(getReserveNormalizedVariableDebt(loan.reserveAsset)));
    }

    function borrowerOf(uint256 loanId) external view returns (address) {
        return loans[loanId].borrower;
    }

    function onERC721Received(address, address, uint256, bytes calldata) external pure returns (bytes4) {
        return IERC721Receiver.onERC721Received.selector;
    }

    // ---- internals ----

    function activeReserve(address asset) private view returns (ReserveData storage reserve) {
        reserve = reserves[asset];
        require((reserve.configuration.data >> 56) & 1 == 1, "LendPool: reserve is not active");
    }

    function activeNft(address nftAsset) private view returns (uint256 config) {
        config = nfts[nftAsset].configuration.data;
        require((config >> 56) & 1 == 1, "LendPool: NFT collection is not active");
    }

    function loanOf(address nftAsset, uint256 nftTokenId) private view returns (LoanData storage) {
        uint256 loanId = collateralLoanIds[nftAsset][nftTokenId];
        require(loanId != 0, "LendPool: no loan for this NFT");
        return loans[loanId];
    }

    function availableLiquidity(address asset) private view returns (uint256) {
        return IERC20(asset).balanceOf(address(this)) - escrowedBids[asset];
    }

    /// The NFT's value in reserve units: floor(priceETH * 10^decimals / reservePriceETH).
    function collateralInReserve(address nftAsset, address reserveAsset) private view returns (uint256) {
        uint256 decimals = (reserves[reserveAsset].configuration.data >> 48) & 0xFF;
        return (nftOracle.getAssetPrice(nftAsset) * 10 ** decimals) / reserveOracle.getAssetPrice(reserveAsset);
    }

    function healthFactor(uint256 collateral, uint256 nftConfig, uint256 debt) private pure returns (uint256) {
        if (debt == 0) return type(uint256).max;
        return collateral.percentMul((nftConfig >> 16) & 0xFFFF).wadDiv(debt);
    }

    function liquidatePrices(uint256 collateral, uint256 nftConfig, uint256 debt) private pure returns (uint256 thresholdPrice,
                                                                                                    uint256 liquidatePrice) {
        thresholdPrice = collateral.percentMul((nftConfig >> 16) & 0xFFFF);
        uint256 bonus = (nftConfig >> 32) & 0xFFFF;
        if (bonus < BendMath.PERCENTAGE_FACTOR) liquidatePrice = collateral.percentMul(BendMath.PERCENTAGE_FACTOR - bonus);
        if (liquidatePrice < debt) liquidatePrice = debt;
    }

    /// max(redeem fine × debt, min bid fine × 1 ETH in reserve units).
    function bidFineOf(address asset, uint256 nftConfig, uint256 debt) private view returns (uint256) {
        uint256 decimals = (reserves[asset].configuration.data >> 48) & 0xFF;
        uint256 oneEthInReserve = (BendMath.WAD * 10 ** decimals) / reserveOracle.getAssetPrice(asset);
        uint256 fine = debt.percentMul((nftConfig >> 80) & 0xFFFF);
        uint256 minFine = oneEthInReserve.percentMul((nftConfig >> 112) & 0xFFFF);
        return fine > minFine ? fine : minFine;
    }

    function updateState(address asset) private {
        ReserveData storage reserve = reserves[asset];
        uint40 last = reserve.lastUpdateTimestamp;
        if (last == block.timestamp) return;
        if (reserve.currentLiquidityRate > 0) {
            reserve.liquidityIndex = uint128(BendMath.linearInterest(reserve.currentLiquidityRate, last).rayMul(reserve.liquidityIndex));
        }
        if (totalScaledDebt[asset] > 0) {
            reserve.variableBorrowIndex =
                uint128(BendMath.compoundedInterest(reserve.currentVariableBorrowRate, last).rayMul(reserve.variableBorrowIndex));
        }
        reserve.lastUpdateTimestamp = uint40(block.timestamp);
    }

    function updateInterestRates(address asset) private {
        ReserveData storage reserve = reserves[asset];
        RateStrategy storage strategy = strategies[asset];
        uint256 debt = totalScaledDebt[asset].rayMul(reserve.variableBorrowIndex);
        uint256 liquidity = availableLiquidity(asset);
        uint256 utilization = debt == 0 ? 0 : debt.rayDiv(liquidity + debt);
        uint256 borrowRate;
        if (utilization > strategy.optimalUtilizationRate) {
            uint256 excess = (utilization - strategy.optimalUtilizationRate).rayDiv(BendMath.RAY - strategy.optimalUtilizationRate);
            borrowRate = strategy.baseVariableBorrowRate + strategy.variableRateSlope1 + strategy.variableRateSlope2.rayMul(excess);
        } else {
            borrowRate = strategy.baseVariableBorrowRate
                         + utilization.rayMul(strategy.variableRateSlope1).rayDiv(strategy.optimalUtilizationRate);
        }
        uint256 reserveFactor = (reserve.configuration.data >> 64) & 0xFFFF;
        uint256 liquidityRate = borrowRate.rayMul(utilization).percentMul(BendMath.PERCENTAGE_FACTOR - reserveFactor);
        reserve.currentVariableBorrowRate = uint128(borrowRate);
        reserve.currentLiquidityRate = uint128(liquidityRate);
        emit ReserveDataUpdated(asset, liquidityRate, 0, borrowRate, reserve.liquidityIndex, reserve.variableBorrowIndex);
    }

    function min(uint256 a, uint256 b) private pure returns (uint256) {
        return a < b ? a : b;
    }
}
