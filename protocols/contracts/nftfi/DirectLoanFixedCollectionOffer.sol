// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import "./DirectLoanFixedOffer.sol";

/// NFTfi v2.3's collection offers: a lender signs one offer for any NFT of a
/// collection (the signed message has nftCollateralId 0), the borrower names
/// the NFT when accepting, and the lender's nonce stays valid for further
/// loans until the lender cancels it. Loans, events and repayment are those of
/// DirectLoanFixedOffer, in a contract of their own as on mainnet.
/// Devnet differences: no id-range offers (acceptCollectionOfferWithIdRange),
/// LOAN_TYPE is inherited (mainnet: "DIRECT_LOAN_COLLECTION_OFFER").
contract DirectLoanFixedCollectionOffer is DirectLoanFixedOffer {
    constructor(address[] memory permittedErc20s) DirectLoanFixedOffer(permittedErc20s) {}

    function acceptCollectionOffer(Offer calldata offer, Signature calldata signature, BorrowerSettings calldata borrowerSettings)
        external
        nonReentrant
        returns (uint32 loanId)
    {
        return startLoan(offer, signature, borrowerSettings, true);
    }

    /// As on mainnet: this contract only starts loans from collection offers.
    function acceptOffer(Offer calldata, Signature calldata, BorrowerSettings calldata) external pure override returns (uint32) {
        revert("not implemented");
    }
}
