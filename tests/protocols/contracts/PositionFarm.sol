// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import "@openzeppelin/contracts/token/ERC721/IERC721Receiver.sol";

interface IFarmCollection {
    function mint(address to, uint256 tokenId) external;
    function setApprovalForAll(address operator, bool approved) external;
}

interface IFarmPairFactory {
    function createPairETH(address nft, address bondingCurve, address payable assetRecipient, uint8 poolType, uint128 delta,
                           uint96 fee, uint128 spotPrice, uint256[] calldata initialNFTIDs) external payable returns (address);
}

interface IFarmLendPool {
    function borrow(address reserveAsset, uint256 amount, address nftAsset, uint256 nftTokenId, address onBehalfOf, uint16 referralCode) external;
}

interface IFarmLoans {
    struct Offer {
        uint256 loanPrincipalAmount;
        uint256 maximumRepaymentAmount;
        uint256 nftCollateralId;
        address nftCollateralContract;
        uint32 loanDuration;
        uint16 loanAdminFeeInBasisPoints;
        address loanERC20Denomination;
        address referrer;
    }
    struct Signature {
        uint256 nonce;
        uint256 expiry;
        address signer;
        bytes signature;
    }
    struct BorrowerSettings {
        address revenueSharePartner;
        uint16 referralFeeInBasisPoints;
    }
    function acceptOffer(Offer calldata offer, Signature calldata signature, BorrowerSettings calldata settings) external;
}

interface IFarmClearingHouse {
    struct Decimal { uint256 d; }
    function openPosition(address amm, uint8 side, Decimal calldata quote, Decimal calldata leverage, Decimal calldata baseLimit) external;
}

/// A test and benchmark helper: opens many positions of every family in a
/// few transactions, owned by itself (or, for perps, by small trader
/// contracts it deploys: one position per trader and Amm).
contract PositionFarm is IERC721Receiver {
    address[] public traders;

    function makePairs(address factory, address nft, address curve, uint256 count) external {
        uint256[] memory none = new uint256[](0);
        for (uint256 i = 0; i < count; ++i)
            IFarmPairFactory(factory).createPairETH(nft, curve, payable(address(0)), 2, 1e16, 0, 1e18, none);
    }

    /// Needs to own `collection` (to mint) and hold no debt limit issues: borrows `amount` per NFT.
    function borrowMany(address pool, address collection, address reserve, uint256 firstId, uint256 count, uint256 amount) external {
        IFarmCollection(collection).setApprovalForAll(pool, true);
        for (uint256 i = 0; i < count; ++i) {
            IFarmCollection(collection).mint(address(this), firstId + i);
            IFarmLendPool(pool).borrow(reserve, amount, collection, firstId + i, address(this), 0);
        }
    }

    function mintTo(address collection, uint256 firstId, uint256 count, address operator) external {
        IFarmCollection(collection).setApprovalForAll(operator, true);
        for (uint256 i = 0; i < count; ++i) IFarmCollection(collection).mint(address(this), firstId + i);
    }

    function acceptMany(address loans, IFarmLoans.Offer[] calldata offers, IFarmLoans.Signature[] calldata signatures) external {
        IFarmLoans.BorrowerSettings memory settings;
        for (uint256 i = 0; i < offers.length; ++i) IFarmLoans(loans).acceptOffer(offers[i], signatures[i], settings);
    }

    /// Opens one long per new trader on `amm`; the farm must hold margin × count of `token`.
    function openMany(address house, address amm, address token, uint256 count, uint256 margin, uint256 leverage) external {
        for (uint256 i = 0; i < count; ++i) {
            PerpTrader trader = new PerpTrader();
            IERC20(token).transfer(address(trader), margin * 2);
            trader.open(house, amm, token, margin, leverage);
            traders.push(address(trader));
        }
    }

    function traderCount() external view returns (uint256) {
        return traders.length;
    }

    function onERC721Received(address, address, uint256, bytes calldata) external pure returns (bytes4) {
        return IERC721Receiver.onERC721Received.selector;
    }

    receive() external payable {}
}

contract PerpTrader {
    function open(address house, address amm, address token, uint256 margin, uint256 leverage) external {
        IERC20(token).approve(house, type(uint256).max);
        IFarmClearingHouse(house).openPosition(amm, 0, IFarmClearingHouse.Decimal(margin), IFarmClearingHouse.Decimal(leverage),
                                               IFarmClearingHouse.Decimal(0));
    }
}
