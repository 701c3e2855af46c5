// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import "./ICurve.sol";
import "@openzeppelin/contracts/token/ERC721/extensions/IERC721Enumerable.sol";
import "@openzeppelin/contracts/token/ERC721/IERC721Receiver.sol";
import "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

interface ILSSVMPairFactoryLike {
    function protocolFeeMultiplier() external view returns (uint256);
}

/// An NFT pool with the interface, events and arithmetic of sudoswap v1's
/// LSSVMPair: it buys NFTs at its spot price and sells them one curve step
/// above, moving the price along its bonding curve with every trade. What
/// it pays and is paid in is its variant's (LSSVMPairETH, LSSVMPairERC20).
/// The devnet deploys full contracts where sudoswap deploys clones; the
/// getters answer the same.
abstract contract LSSVMPair is ReentrancyGuard, IERC721Receiver {
    enum PoolType { TOKEN, NFT, TRADE }

    uint256 internal constant MAX_FEE = 0.90e18;

    address public immutable factory;
    ICurve public immutable bondingCurve;
    IERC721Enumerable public immutable nft;
    PoolType public immutable poolType;

    address public owner;
    uint128 public spotPrice;
    uint128 public delta;
    uint96 public fee;
    address payable public assetRecipient;

    event SwapNFTInPair();
    event SwapNFTOutPair();
    event SpotPriceUpdate(uint128 newSpotPrice);
    event TokenDeposit(uint256 amount);
    event TokenWithdrawal(uint256 amount);
    event NFTWithdrawal();
    event DeltaUpdate(uint128 newDelta);
    event FeeUpdate(uint96 newFee);
    event AssetRecipientChange(address a);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    modifier onlyOwner() {
        require(msg.sender == owner, "Ownable: caller is not the owner");
        _;
    }

    constructor(address factory_, ICurve curve, IERC721Enumerable nft_, PoolType poolType_, address owner_,
                address payable assetRecipient_, uint128 delta_, uint96 fee_, uint128 spotPrice_) {
        if (poolType_ == PoolType.TOKEN || poolType_ == PoolType.NFT) {
            require(fee_ == 0, "Only Trade Pools can have nonzero fee");
            assetRecipient = assetRecipient_;
        } else {
            require(fee_ < MAX_FEE, "Trade fee must be less than 90%");
            require(assetRecipient_ == address(0), "Trade pools can't set asset recipient");
        }
        require(curve.validateDelta(delta_), "Invalid delta for curve");
        require(curve.validateSpotPrice(spotPrice_), "Invalid new spot price for curve");
        factory = factory_;
        bondingCurve = curve;
        nft = nft_;
        poolType = poolType_;
        owner = owner_;
        delta = delta_;
        fee = fee_;
        spotPrice = spotPrice_;
    }

    // ---- swaps ----

    function swapTokenForAnyNFTs(uint256 numNFTs, uint256 maxExpectedTokenInput, address nftRecipient, bool, address)
        external payable nonReentrant returns (uint256 inputAmount)
    {
        require(poolType == PoolType.NFT || poolType == PoolType.TRADE, "Wrong Pool type");
        require(numNFTs > 0 && numNFTs <= nft.balanceOf(address(this)), "Ask for > 0 and <= balanceOf NFTs");
        uint256 protocolFee;
        (inputAmount, protocolFee) = applyBuy(numNFTs, maxExpectedTokenInput);
        for (uint256 i = 0; i < numNFTs; ++i) {
            uint256 id = nft.tokenOfOwnerByIndex(address(this), nft.balanceOf(address(this)) - 1);
            nft.safeTransferFrom(address(this), nftRecipient, id);
        }
        settleInput(inputAmount, protocolFee);
        emit SwapNFTOutPair();
    }

    function swapTokenForSpecificNFTs(uint256[] calldata nftIds, uint256 maxExpectedTokenInput, address nftRecipient, bool, address)
        external payable nonReentrant returns (uint256 inputAmount)
    {
        require(poolType == PoolType.NFT || poolType == PoolType.TRADE, "Wrong Pool type");
        require(nftIds.length > 0, "Must ask for > 0 NFTs");
        uint256 protocolFee;
        (inputAmount, protocolFee) = applyBuy(nftIds.length, maxExpectedTokenInput);
        for (uint256 i = 0; i < nftIds.length; ++i) nft.safeTransferFrom(address(this), nftRecipient, nftIds[i]);
        settleInput(inputAmount, protocolFee);
        emit SwapNFTOutPair();
    }

    function swapNFTsForToken(uint256[] calldata nftIds, uint256 minExpectedTokenOutput, address payable tokenRecipient, bool, address)
        external nonReentrant returns (uint256 outputAmount)
    {
        require(poolType == PoolType.TOKEN || poolType == PoolType.TRADE, "Wrong Pool type");
        require(nftIds.length > 0, "Must ask for > 0 NFTs");
        (CurveErrorCodes.Error err, uint128 newSpotPrice, uint128 newDelta, uint256 output, uint256 protocolFee) =
            bondingCurve.getSellInfo(spotPrice, delta, nftIds.length, fee, protocolFeeMultiplier());
        require(err == CurveErrorCodes.Error.OK, "Bonding curve error");
        require(output >= minExpectedTokenOutput, "Out too little tokens");
        updatePoolParams(newSpotPrice, newDelta);
        outputAmount = output;
        address recipient = getAssetRecipient();
        for (uint256 i = 0; i < nftIds.length; ++i) nft.safeTransferFrom(msg.sender, recipient, nftIds[i]);
        if (outputAmount > 0) sendToken(tokenRecipient, outputAmount);
        if (protocolFee > 0) sendToken(payable(factory), protocolFee);
        emit SwapNFTInPair();
    }

    // ---- quotes ----

    function getBuyNFTQuote(uint256 numNFTs) external view returns (CurveErrorCodes.Error err, uint256 newSpotPrice,
                                                                     uint256 newDelta, uint256 inputAmount, uint256 protocolFee) {
        (err, newSpotPrice, newDelta, inputAmount, protocolFee) =
            bondingCurve.getBuyInfo(spotPrice, delta, numNFTs, fee, protocolFeeMultiplier());
    }

    function getSellNFTQuote(uint256 numNFTs) external view returns (CurveErrorCodes.Error err, uint256 newSpotPrice,
                                                                      uint256 newDelta, uint256 outputAmount, uint256 protocolFee) {
        (err, newSpotPrice, newDelta, outputAmount, protocolFee) =
            bondingCurve.getSellInfo(spotPrice, delta, numNFTs, fee, protocolFeeMultiplier());
    }

    function getAllHeldIds() external view returns (uint256[] memory ids) {
        uint256 count = nft.balanceOf(address(this));
        ids = new uint256[](count);
        for (uint256 i = 0; i < count; ++i) ids[i] = nft.tokenOfOwnerByIndex(address(this), i);
    }

    function getAssetRecipient() public view returns (address payable) {
        if (poolType == PoolType.TRADE || assetRecipient == address(0)) return payable(address(this));
        return assetRecipient;
    }

    /// sudoswap v1's PairVariant: ENUMERABLE_ETH 0, MISSING_ENUMERABLE_ETH 1,
    /// ENUMERABLE_ERC20 2, MISSING_ENUMERABLE_ERC20 3.
    function pairVariant() external pure virtual returns (uint8);

    // ---- owner ----

    function changeSpotPrice(uint128 newSpotPrice) external onlyOwner {
        require(bondingCurve.validateSpotPrice(newSpotPrice), "Invalid new spot price for curve");
        if (spotPrice != newSpotPrice) {
            spotPrice = newSpotPrice;
            emit SpotPriceUpdate(newSpotPrice);
        }
    }

    function changeDelta(uint128 newDelta) external onlyOwner {
        require(bondingCurve.validateDelta(newDelta), "Invalid delta for curve");
        if (delta != newDelta) {
            delta = newDelta;
            emit DeltaUpdate(newDelta);
        }
    }

    function changeFee(uint96 newFee) external onlyOwner {
        require(poolType == PoolType.TRADE, "Only for Trade pools");
        require(newFee < MAX_FEE, "Trade fee must be less than 90%");
        if (fee != newFee) {
            fee = newFee;
            emit FeeUpdate(newFee);
        }
    }

    function changeAssetRecipient(address payable newRecipient) external onlyOwner {
        require(poolType != PoolType.TRADE, "Not for Trade pools");
        if (assetRecipient != newRecipient) {
            assetRecipient = newRecipient;
            emit AssetRecipientChange(newRecipient);
        }
    }

    function withdrawERC721(address collection, uint256[] calldata nftIds) external onlyOwner {
        for (uint256 i = 0; i < nftIds.length; ++i) IERC721(collection).safeTransferFrom(address(this), msg.sender, nftIds[i]);
        emit NFTWithdrawal();
    }

    function transferOwnership(address newOwner) external onlyOwner {
        emit OwnershipTransferred(owner, newOwner);
        owner = newOwner;
    }

    function onERC721Received(address, address, uint256, bytes calldata) external pure returns (bytes4) {
        return IERC721Receiver.onERC721Received.selector;
    }

    // ---- internals ----

    function protocolFeeMultiplier() internal view returns (uint256) {
        return ILSSVMPairFactoryLike(factory).protocolFeeMultiplier();
    }

    function applyBuy(uint256 numNFTs, uint256 maxExpectedTokenInput) private returns (uint256 inputAmount, uint256 protocolFee) {
        CurveErrorCodes.Error err;
        uint128 newSpotPrice;
        uint128 newDelta;
        (err, newSpotPrice, newDelta, inputAmount, protocolFee) =
            bondingCurve.getBuyInfo(spotPrice, delta, numNFTs, fee, protocolFeeMultiplier());
        require(err == CurveErrorCodes.Error.OK, "Bonding curve error");
        require(inputAmount <= maxExpectedTokenInput, "In too many tokens");
        updatePoolParams(newSpotPrice, newDelta);
    }

    /// Takes the buyer's payment: the price to the asset recipient, the protocol fee to the factory.
    function settleInput(uint256 inputAmount, uint256 protocolFee) internal virtual;

    /// Pays out of the pool.
    function sendToken(address payable to, uint256 amount) internal virtual;

    function updatePoolParams(uint128 newSpotPrice, uint128 newDelta) private {
        if (spotPrice != newSpotPrice) {
            spotPrice = newSpotPrice;
            emit SpotPriceUpdate(newSpotPrice);
        }
        if (delta != newDelta) {
            delta = newDelta;
            emit DeltaUpdate(newDelta);
        }
    }
}
