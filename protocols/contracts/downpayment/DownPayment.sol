// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import "@openzeppelin/contracts/token/ERC721/IERC721Receiver.sol";
import "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

interface IWETH {
    function deposit() external payable;
    function withdraw(uint256 amount) external;
}

interface IAaveFlashLender {
    function flashLoan(address receiverAddress, address[] calldata assets, uint256[] calldata amounts, uint256[] calldata modes,
                       address onBehalfOf, bytes calldata params, uint16 referralCode) external;
}

interface ISudoPair {
    function nft() external view returns (address);
    function swapTokenForSpecificNFTs(uint256[] calldata nftIds, uint256 maxExpectedTokenInput, address nftRecipient, bool isRouter,
                                      address routerCaller) external payable returns (uint256);
}

interface IBendLendPool {
    function borrow(address reserveAsset, uint256 amount, address nftAsset, uint256 nftTokenId, address onBehalfOf, uint16 referralCode)
        external;
}

/// Buy an NFT paying part of its price ("buy now, pay later"), modelled on
/// BendDAO's down-payment contract: in one transaction, a flash loan of the
/// borrowed part (WETH from an Aave v2-style lender), the purchase, the NFT
/// pledged to the lending pool with a loan in the buyer's name (the buyer
/// delegated the credit: LendPool.approveDelegation), the flash loan repaid
/// with that loan. The buyer sends the down payment (price − flash loan) as
/// ETH and becomes the borrower; what the pair does not take comes back.
/// Differences from BendDAO's: one marketplace adapter, sudoswap pairs
/// (BendDAO's takes OpenSea / LooksRare / X2Y2 orders with a signature), no
/// protocol fee, and the loan is exactly the flash loan plus its premium.
contract DownPayment is IERC721Receiver, ReentrancyGuard {
    using SafeERC20 for IERC20;

    IWETH public immutable weth;
    IAaveFlashLender public immutable flashLender;
    IBendLendPool public immutable lendPool;

    event Bought(address indexed buyer, address indexed pair, address indexed nft, uint256 tokenId, uint256 price, uint256 flashLoan,
                 uint256 debt);

    struct Order {
        address buyer;
        address pair;
        uint256 tokenId;
        uint256 maxPrice;
    }

    constructor(IWETH weth_, IAaveFlashLender flashLender_, IBendLendPool lendPool_) {
        weth = weth_;
        flashLender = flashLender_;
        lendPool = lendPool_;
    }

    /// msg.value is the buyer's down payment; `flashAmount` WETH is borrowed for the rest.
    function buy(address pair, uint256 tokenId, uint256 maxPrice, uint256 flashAmount) external payable nonReentrant {
        require(flashAmount > 0, "DownPayment: nothing to borrow");
        address[] memory assets = new address[](1);
        assets[0] = address(weth);
        uint256[] memory amounts = new uint256[](1);
        amounts[0] = flashAmount;
        uint256[] memory modes = new uint256[](1);
        flashLender.flashLoan(address(this), assets, amounts, modes, address(this), abi.encode(Order(msg.sender, pair, tokenId, maxPrice)), 0);
        // What the pair did not take (the buyer sent more than the down payment) goes back.
        uint256 left = address(this).balance;
        if (left > 0) {
            (bool ok,) = payable(msg.sender).call{value: left}("");
            require(ok, "DownPayment: refund failed");
        }
    }

    function executeOperation(address[] calldata assets, uint256[] calldata amounts, uint256[] calldata premiums, address initiator,
                              bytes calldata params) external returns (bool) {
        require(msg.sender == address(flashLender) && initiator == address(this), "DownPayment: not our flash loan");
        require(assets.length == 1 && assets[0] == address(weth), "DownPayment: WETH only");
        Order memory order = abi.decode(params, (Order));
        weth.withdraw(amounts[0]);
        address nft = ISudoPair(order.pair).nft();
        uint256[] memory ids = new uint256[](1);
        ids[0] = order.tokenId;
        uint256 balanceBefore = address(this).balance;
        uint256 price = ISudoPair(order.pair).swapTokenForSpecificNFTs{value: balanceBefore}(ids, order.maxPrice, address(this), false, address(0));
        require(IERC721(nft).ownerOf(order.tokenId) == address(this), "DownPayment: the NFT did not arrive");
        // The loan in the buyer's name repays the flash loan and its premium.
        uint256 debt = amounts[0] + premiums[0];
        IERC721(nft).approve(address(lendPool), order.tokenId);
        lendPool.borrow(address(weth), debt, nft, order.tokenId, order.buyer, 0);
        IERC20(address(weth)).forceApprove(address(flashLender), debt);
        emit Bought(order.buyer, order.pair, nft, order.tokenId, price, amounts[0], debt);
        return true;
    }

    function onERC721Received(address, address, uint256, bytes calldata) external pure returns (bytes4) {
        return IERC721Receiver.onERC721Received.selector;
    }

    receive() external payable {}
}
