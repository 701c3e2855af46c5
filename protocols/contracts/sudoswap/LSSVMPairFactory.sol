// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import "./LSSVMPairETH.sol";
import "@openzeppelin/contracts/access/Ownable.sol";

/// sudoswap v1's LSSVMPairFactory for ETH pairs: creates pairs on
/// whitelisted curves, collects the protocol fee, deposits NFTs into pairs.
contract LSSVMPairFactory is Ownable {
    uint256 internal constant MAX_PROTOCOL_FEE = 0.10e18;

    uint256 public protocolFeeMultiplier;
    address payable public protocolFeeRecipient;
    mapping(address => bool) public bondingCurveAllowed;
    mapping(address => bool) private pairs;

    event NewPair(address poolAddress);
    event NFTDeposit(address poolAddress);
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
        pairs[address(pair)] = true;
        if (msg.value > 0) {
            (bool ok,) = payable(address(pair)).call{value: msg.value}("");
            require(ok, "ETH_TRANSFER_FAILED");
        }
        for (uint256 i = 0; i < initialNFTIDs.length; ++i) nft.safeTransferFrom(msg.sender, address(pair), initialNFTIDs[i]);
        emit NewPair(address(pair));
    }

    /// PairVariant 0 (ENUMERABLE_ETH) is the only kind this factory makes.
    function isPair(address potentialPair, uint8 variant) public view returns (bool) {
        return variant == 0 && pairs[potentialPair];
    }

    function depositNFTs(IERC721 nft, uint256[] calldata ids, address recipient) external {
        require(isPair(recipient, 0), "Not a pair");
        require(address(LSSVMPairETH(payable(recipient)).nft()) == address(nft), "Wrong NFT for the pair");
        for (uint256 i = 0; i < ids.length; ++i) nft.safeTransferFrom(msg.sender, recipient, ids[i]);
        emit NFTDeposit(recipient);
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
