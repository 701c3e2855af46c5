// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import "./LSSVMPairETH.sol";
import "./LSSVMPairERC20.sol";
import "@openzeppelin/contracts/access/Ownable.sol";

/// sudoswap v1's LSSVMPairFactory: creates ETH and ERC-20 pairs on
/// whitelisted curves (both announced by NewPair), collects the protocol
/// fee, deposits NFTs and tokens into pairs. The devnet's pairs are
/// enumerable only (variants 0 and 2).
contract LSSVMPairFactory is Ownable {
    uint256 internal constant MAX_PROTOCOL_FEE = 0.10e18;

    uint256 public protocolFeeMultiplier;
    address payable public protocolFeeRecipient;
    mapping(address => bool) public bondingCurveAllowed;
    /// Each pair's PairVariant plus one (0: not a pair of this factory).
    mapping(address => uint8) private pairs;

    struct CreateERC20PairParams {
        IERC20 token;
        IERC721Enumerable nft;
        ICurve bondingCurve;
        address payable assetRecipient;
        LSSVMPair.PoolType poolType;
        uint128 delta;
        uint96 fee;
        uint128 spotPrice;
        uint256[] initialNFTIDs;
        uint256 initialTokenBalance;
    }

    event NewPair(address poolAddress);
    event NFTDeposit(address poolAddress);
    event TokenDeposit(address poolAddress);
    event ProtocolFeeRecipientUpdate(address recipientAddress);
    event ProtocolFeeMultiplierUpdate(uint256 newMultiplier);
    event BondingCurveStatusUpdate(address bondingCurve, bool isAllowed);

    constructor(address payable feeRecipient, uint256 feeMultiplier) Ownable(msg.sender) {
        require(feeMultiplier <= MAX_PROTOCOL_FEE, "Fee too large");
        protocolFeeRecipient = feeRecipient;
        protocolFeeMultiplier = feeMultiplier;
    }

    function createPairETH(IERC721Enumerable nft, ICurve bondingCurve, address payable assetRecipient, LSSVMPairETH.PoolType poolType,
                           uint128 delta, uint96 fee, uint128 spotPrice, uint256[] calldata initialNFTIDs)
        external payable returns (LSSVMPairETH pair)
    {
        require(bondingCurveAllowed[address(bondingCurve)], "Bonding curve not whitelisted");
        pair = new LSSVMPairETH(address(this), bondingCurve, nft, poolType, msg.sender, assetRecipient, delta, fee, spotPrice);
        pairs[address(pair)] = 1;
        if (msg.value > 0) {
            (bool ok,) = payable(address(pair)).call{value: msg.value}("");
            require(ok, "ETH_TRANSFER_FAILED");
        }
        for (uint256 i = 0; i < initialNFTIDs.length; ++i) nft.safeTransferFrom(msg.sender, address(pair), initialNFTIDs[i]);
        emit NewPair(address(pair));
    }

    function createPairERC20(CreateERC20PairParams calldata params) external returns (LSSVMPairERC20 pair) {
        require(bondingCurveAllowed[address(params.bondingCurve)], "Bonding curve not whitelisted");
        pair = new LSSVMPairERC20(address(this), params.token, params.bondingCurve, params.nft, params.poolType, msg.sender,
                                  params.assetRecipient, params.delta, params.fee, params.spotPrice);
        pairs[address(pair)] = 3;
        if (params.initialTokenBalance > 0) SafeERC20.safeTransferFrom(params.token, msg.sender, address(pair), params.initialTokenBalance);
        for (uint256 i = 0; i < params.initialNFTIDs.length; ++i) params.nft.safeTransferFrom(msg.sender, address(pair), params.initialNFTIDs[i]);
        emit NewPair(address(pair));
    }

    /// PairVariant 0 (ENUMERABLE_ETH) and 2 (ENUMERABLE_ERC20) are the kinds this factory makes.
    function isPair(address potentialPair, uint8 variant) public view returns (bool) {
        return pairs[potentialPair] == variant + 1;
    }

    function depositNFTs(IERC721 nft, uint256[] calldata ids, address recipient) external {
        require(isPair(recipient, 0) || isPair(recipient, 2), "Not a pair");
        require(address(LSSVMPair(payable(recipient)).nft()) == address(nft), "Wrong NFT for the pair");
        for (uint256 i = 0; i < ids.length; ++i) nft.safeTransferFrom(msg.sender, recipient, ids[i]);
        emit NFTDeposit(recipient);
    }

    function depositERC20(IERC20 token, address recipient, uint256 amount) external {
        require(isPair(recipient, 2), "Not an ERC20 pair");
        require(address(LSSVMPairERC20(payable(recipient)).token()) == address(token), "Not a token pair");
        SafeERC20.safeTransferFrom(token, msg.sender, recipient, amount);
        emit TokenDeposit(recipient);
    }

    function setBondingCurveAllowed(address bondingCurve, bool isAllowed) external onlyOwner {
        bondingCurveAllowed[bondingCurve] = isAllowed;
        emit BondingCurveStatusUpdate(bondingCurve, isAllowed);
    }

    function changeProtocolFeeMultiplier(uint256 newMultiplier) external onlyOwner {
        require(newMultiplier <= MAX_PROTOCOL_FEE, "Fee too large");
        protocolFeeMultiplier = newMultiplier;
        emit ProtocolFeeMultiplierUpdate(newMultiplier);
    }

    function changeProtocolFeeRecipient(address payable recipient) external onlyOwner {
        protocolFeeRecipient = recipient;
        emit ProtocolFeeRecipientUpdate(recipient);
    }

    function withdrawETHProtocolFees() external onlyOwner {
        (bool ok,) = protocolFeeRecipient.call{value: address(this).balance}("");
        require(ok, "ETH_TRANSFER_FAILED");
    }

    receive() external payable {}
}
