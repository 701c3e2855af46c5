// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import "./LSSVMPair.sol";

/// sudoswap v1's LSSVMPairEnumerableETH: a pair that trades NFTs for ETH.
contract LSSVMPairETH is LSSVMPair {
    constructor(address factory_, ICurve curve, IERC721Enumerable nft_, PoolType poolType_, address owner_,
                address payable assetRecipient_, uint128 delta_, uint96 fee_, uint128 spotPrice_)
        LSSVMPair(factory_, curve, nft_, poolType_, owner_, assetRecipient_, delta_, fee_, spotPrice_)
    {
    }

    /// PairVariant.ENUMERABLE_ETH.
    function pairVariant() external pure override returns (uint8) {
        return 0;
    }

    function withdrawETH(uint256 amount) public onlyOwner {
        sendToken(payable(owner), amount);
        emit TokenWithdrawal(amount);
    }

    function withdrawAllETH() external onlyOwner {
        withdrawETH(address(this).balance);
    }

    receive() external payable {
        emit TokenDeposit(msg.value);
    }

    /// Takes the ETH sent: the price to the asset recipient, the protocol fee
    /// to the factory, the excess back to the sender.
    function settleInput(uint256 inputAmount, uint256 protocolFee) internal override {
        require(msg.value >= inputAmount, "Sent too little ETH");
        address payable recipient = getAssetRecipient();
        if (recipient != address(this)) sendToken(recipient, inputAmount - protocolFee);
        if (protocolFee > 0) sendToken(payable(factory), protocolFee);
        if (msg.value > inputAmount) sendToken(payable(msg.sender), msg.value - inputAmount);
    }

    function sendToken(address payable to, uint256 amount) internal override {
        (bool ok,) = to.call{value: amount}("");
        require(ok, "ETH_TRANSFER_FAILED");
    }
}
