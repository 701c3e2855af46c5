// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import "@openzeppelin/contracts/access/Ownable.sol";
import "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

/// Aave v2's flash-loan receiver callback.
interface IFlashLoanReceiver {
    function executeOperation(address[] calldata assets, uint256[] calldata amounts, uint256[] calldata premiums, address initiator,
                              bytes calldata params) external returns (bool);
}

/// A flash-loan source with Aave v2 LendingPool.flashLoan's interface and
/// rule: the assets go to the receiver, executeOperation runs, then amount
/// plus the premium (FLASHLOAN_PREMIUM_TOTAL, 9 bps) is pulled back from the
/// receiver, or the whole transaction reverts. Devnet simplifications: only
/// mode 0 (no debt left open) and it lends from its own balance (the
/// deployer funds it) instead of from aToken reserves.
contract FlashLender is Ownable, ReentrancyGuard {
    using SafeERC20 for IERC20;

    uint256 public constant FLASHLOAN_PREMIUM_TOTAL = 9;

    event FlashLoan(address indexed target, address indexed initiator, address indexed asset, uint256 amount, uint256 premium,
                    uint16 referralCode);

    constructor() Ownable(msg.sender) {}

    function flashLoan(address receiverAddress, address[] calldata assets, uint256[] calldata amounts, uint256[] calldata modes,
                       address onBehalfOf, bytes calldata params, uint16 referralCode) external nonReentrant {
        require(assets.length == amounts.length && assets.length == modes.length, "Inconsistent flashloan parameters");
        onBehalfOf;
        uint256[] memory premiums = new uint256[](assets.length);
        for (uint256 i = 0; i < assets.length; ++i) {
            require(modes[i] == 0, "FlashLender: only mode 0 (repaid in the same transaction)");
            premiums[i] = (amounts[i] * FLASHLOAN_PREMIUM_TOTAL) / 10000;
            IERC20(assets[i]).safeTransfer(receiverAddress, amounts[i]);
        }
        require(IFlashLoanReceiver(receiverAddress).executeOperation(assets, amounts, premiums, msg.sender, params),
                "Invalid flash loan executor return");
        for (uint256 i = 0; i < assets.length; ++i) {
            IERC20(assets[i]).safeTransferFrom(receiverAddress, address(this), amounts[i] + premiums[i]);
            emit FlashLoan(receiverAddress, msg.sender, assets[i], amounts[i], premiums[i], referralCode);
        }
    }
}
