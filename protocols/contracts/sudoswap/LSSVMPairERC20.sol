// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import "./LSSVMPair.sol";
import "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// sudoswap v1's LSSVMPairEnumerableERC20: a pair that trades NFTs for an
/// ERC-20 token (token()); created by the same factory, announced by the
/// same NewPair event as the ETH pairs. Buyers approve the pair and pay in
/// the token, sellers are paid in it.
/// Devnet differences: no router-only token pulls (the router's
/// pairTransferERC20From), the token is an immutable of a full contract
/// rather than a clone's appended argument.
contract LSSVMPairERC20 is LSSVMPair {
    using SafeERC20 for IERC20;

    IERC20 public immutable token;

    constructor(address factory_, IERC20 token_, ICurve curve, IERC721Enumerable nft_, PoolType poolType_, address owner_,
                address payable assetRecipient_, uint128 delta_, uint96 fee_, uint128 spotPrice_)
        LSSVMPair(factory_, curve, nft_, poolType_, owner_, assetRecipient_, delta_, fee_, spotPrice_)
    {
        token = token_;
    }

    /// PairVariant.ENUMERABLE_ERC20.
    function pairVariant() external pure override returns (uint8) {
        return 2;
    }

    function withdrawERC20(IERC20 a, uint256 amount) external onlyOwner {
        a.safeTransfer(msg.sender, amount);
        if (address(a) == address(token)) emit TokenWithdrawal(amount);
    }

    function settleInput(uint256 inputAmount, uint256 protocolFee) internal override {
        require(msg.value == 0, "ERC20 pair");
        address recipient = getAssetRecipient();
        token.safeTransferFrom(msg.sender, recipient, inputAmount - protocolFee);
        if (protocolFee > 0) token.safeTransferFrom(msg.sender, factory, protocolFee);
    }

    function sendToken(address payable to, uint256 amount) internal override {
        token.safeTransfer(to, amount);
    }
}
