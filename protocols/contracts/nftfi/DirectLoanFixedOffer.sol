// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import "@openzeppelin/contracts/access/Ownable.sol";
import "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

/// Peer-to-peer fixed-term loans against one NFT, with the interface, events,
/// offer signing and arithmetic of NFTfi v2 DirectLoanFixedOffer: a lender
/// signs an offer off chain (EIP-191 over packed fields), the borrower accepts
/// it on chain, the NFT sits in escrow here until the fixed payoff is repaid
/// or, after maturity, the lender takes it. The devnet keeps the lender per
/// loan where NFTfi keeps a Promissory Note; loans stay readable after they
/// end, as in v2.3.
contract DirectLoanFixedOffer is Ownable, ReentrancyGuard {
    using SafeERC20 for IERC20;

    struct LoanTerms {
        uint256 loanPrincipalAmount;
        uint256 maximumRepaymentAmount;
        uint256 nftCollateralId;
        address loanERC20Denomination;
        uint32 loanDuration;
        uint16 loanInterestRateForDurationInBasisPoints;
        uint16 loanAdminFeeInBasisPoints;
        address nftCollateralWrapper;
        uint64 loanStartTime;
        address nftCollateralContract;
        address borrower;
    }

    struct LoanExtras {
        address revenueSharePartner;
        uint16 revenueShareInBasisPoints;
        uint16 referralFeeInBasisPoints;
    }

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

    bytes32 public constant LOAN_TYPE = bytes32("DIRECT_LOAN_FIXED_OFFER");
    uint16 public constant HUNDRED_PERCENT = 10000;

    uint16 public adminFeeInBasisPoints = 25;
    uint256 public maximumLoanDuration = 53 weeks;
    uint32 public totalNumLoans;

    mapping(uint32 => LoanTerms) public loanIdToLoan;
    mapping(uint32 => LoanExtras) public loanIdToLoanExtras;
    mapping(uint32 => bool) public loanRepaidOrLiquidated;
    /// Who may liquidate and who is paid (NFTfi: the Promissory Note holder).
    mapping(uint32 => address) public loanIdToLender;
    mapping(address => bool) public erc20Permits;
    mapping(address => mapping(uint256 => bool)) private nonceHasBeenUsedForUser;

    event LoanStarted(
        uint32 indexed loanId, address indexed borrower, address indexed lender, LoanTerms loanTerms, LoanExtras loanExtras
    );
    event LoanRepaid(
        uint32 indexed loanId,
        address indexed borrower,
        address indexed lender,
        uint256 loanPrincipalAmount,
        uint256 nftCollateralId,
        uint256 amountPaidToLender,
        uint256 adminFee,
        uint256 revenueShare,
        address revenueSharePartner,
        address nftCollateralContract,
        address loanERC20Denomination
    );
    event LoanLiquidated(
        uint32 indexed loanId,
        address indexed borrower,
        address indexed lender,
        uint256 loanPrincipalAmount,
        uint256 nftCollateralId,
        uint256 loanMaturityDate,
        uint256 loanLiquidationDate,
        address nftCollateralContract
    );
    event LoanRenegotiated(
        uint32 indexed loanId,
        address indexed borrower,
        address indexed lender,
        uint32 newLoanDuration,
        uint256 newMaximumRepaymentAmount,
        uint256 renegotiationFee,
        uint256 renegotiationAdminFee
    );
    event AdminFeeUpdated(uint16 newAdminFee);

    constructor(address[] memory permittedErc20s) Ownable(msg.sender) {
        for (uint256 i = 0; i < permittedErc20s.length; ++i) erc20Permits[permittedErc20s[i]] = true;
    }

    function updateAdminFee(uint16 newAdminFeeInBasisPoints) external onlyOwner {
        require(newAdminFeeInBasisPoints <= HUNDRED_PERCENT, "basis points > 10000");
        adminFeeInBasisPoints = newAdminFeeInBasisPoints;
        emit AdminFeeUpdated(newAdminFeeInBasisPoints);
    }

    function updateMaximumLoanDuration(uint256 newMaximumLoanDuration) external onlyOwner {
        require(newMaximumLoanDuration <= uint256(type(uint32).max), "Loan duration overflow");
        maximumLoanDuration = newMaximumLoanDuration;
    }

    function setERC20Permit(address erc20, bool permit) external onlyOwner {
        erc20Permits[erc20] = permit;
    }

    function acceptOffer(Offer calldata offer, Signature calldata signature, BorrowerSettings calldata borrowerSettings)
        external
        virtual
        nonReentrant
        returns (uint32 loanId)
    {
        return startLoan(offer, signature, borrowerSettings, false);
    }

    /// A collection offer (DirectLoanFixedCollectionOffer) is signed for
    /// nftCollateralId 0 and its nonce stays valid for further loans.
    function startLoan(Offer calldata offer, Signature calldata signature, BorrowerSettings calldata borrowerSettings, bool collectionOffer)
        internal
        returns (uint32 loanId)
    {
        require(erc20Permits[offer.loanERC20Denomination], "Currency denomination is not permitted");
        require(offer.loanDuration != 0, "Loan duration cannot be zero");
        require(uint256(offer.loanDuration) <= maximumLoanDuration, "Loan duration exceeds maximum loan duration");
        require(offer.loanAdminFeeInBasisPoints == adminFeeInBasisPoints, "The admin fee has changed since this order was signed.");
        require(offer.maximumRepaymentAmount >= offer.loanPrincipalAmount, "Negative interest rate loans are not allowed.");
        require(borrowerSettings.referralFeeInBasisPoints <= HUNDRED_PERCENT, "Referral fee > 10000 basis points");
        require(!nonceHasBeenUsedForUser[signature.signer][signature.nonce], "Lender nonce invalid");
        require(block.timestamp <= signature.expiry, "Lender Signature has expired");
        require(isValidLenderSignature(offer, collectionOffer ? 0 : offer.nftCollateralId, signature), "Lender signature is invalid");
        if (!collectionOffer) nonceHasBeenUsedForUser[signature.signer][signature.nonce] = true;

        loanId = ++totalNumLoans;
        LoanTerms memory terms = LoanTerms({
            loanPrincipalAmount: offer.loanPrincipalAmount,
            maximumRepaymentAmount: offer.maximumRepaymentAmount,
            nftCollateralId: offer.nftCollateralId,
            loanERC20Denomination: offer.loanERC20Denomination,
            loanDuration: offer.loanDuration,
            loanInterestRateForDurationInBasisPoints: 0,
            loanAdminFeeInBasisPoints: offer.loanAdminFeeInBasisPoints,
            nftCollateralWrapper: address(this),
            loanStartTime: uint64(block.timestamp),
            nftCollateralContract: offer.nftCollateralContract,
            borrower: msg.sender
        });
        LoanExtras memory extras = LoanExtras({
            revenueSharePartner: borrowerSettings.revenueSharePartner,
            revenueShareInBasisPoints: 0,
            referralFeeInBasisPoints: offer.referrer == address(0) ? 0 : borrowerSettings.referralFeeInBasisPoints
        });
        loanIdToLoan[loanId] = terms;
        loanIdToLoanExtras[loanId] = extras;
        loanIdToLender[loanId] = signature.signer;

        IERC721(offer.nftCollateralContract).transferFrom(msg.sender, address(this), offer.nftCollateralId);
        uint256 referralFee = offer.loanPrincipalAmount * extras.referralFeeInBasisPoints / HUNDRED_PERCENT;
        IERC20 currency = IERC20(offer.loanERC20Denomination);
        if (referralFee > 0) currency.safeTransferFrom(signature.signer, offer.referrer, referralFee);
        currency.safeTransferFrom(signature.signer, msg.sender, offer.loanPrincipalAmount - referralFee);
        emit LoanStarted(loanId, msg.sender, signature.signer, terms, extras);
    }

    function payBackLoan(uint32 loanId) external nonReentrant {
        LoanTerms memory loan = openLoan(loanId);
        require(block.timestamp <= uint256(loan.loanStartTime) + uint256(loan.loanDuration), "Loan is expired");
        LoanExtras memory extras = loanIdToLoanExtras[loanId];
        address lender = loanIdToLender[loanId];
        uint256 interest = loan.maximumRepaymentAmount - loan.loanPrincipalAmount;
        uint256 adminFee = interest * loan.loanAdminFeeInBasisPoints / HUNDRED_PERCENT;
        uint256 revenueShare = adminFee * extras.revenueShareInBasisPoints / HUNDRED_PERCENT;
        uint256 payoffToLender = loan.maximumRepaymentAmount - adminFee;
        loanRepaidOrLiquidated[loanId] = true;

        IERC20 currency = IERC20(loan.loanERC20Denomination);
        currency.safeTransferFrom(msg.sender, lender, payoffToLender);
        if (revenueShare > 0) currency.safeTransferFrom(msg.sender, extras.revenueSharePartner, revenueShare);
        if (adminFee > revenueShare) currency.safeTransferFrom(msg.sender, owner(), adminFee - revenueShare);
        IERC721(loan.nftCollateralContract).transferFrom(address(this), loan.borrower, loan.nftCollateralId);
        emit LoanRepaid(
            loanId,
            loan.borrower,
            lender,
            loan.loanPrincipalAmount,
            loan.nftCollateralId,
            payoffToLender,
            adminFee,
            revenueShare,
            extras.revenueSharePartner,
            loan.nftCollateralContract,
            loan.loanERC20Denomination
        );
    }

    function liquidateOverdueLoan(uint32 loanId) external nonReentrant {
        LoanTerms memory loan = openLoan(loanId);
        uint256 maturity = uint256(loan.loanStartTime) + uint256(loan.loanDuration);
        require(block.timestamp > maturity, "Loan is not overdue yet");
        address lender = loanIdToLender[loanId];
        require(msg.sender == lender, "Only lender can liquidate");
        loanRepaidOrLiquidated[loanId] = true;
        IERC721(loan.nftCollateralContract).transferFrom(address(this), lender, loan.nftCollateralId);
        emit LoanLiquidated(
            loanId, loan.borrower, lender, loan.loanPrincipalAmount, loan.nftCollateralId, maturity, block.timestamp, loan.nftCollateralContract
        );
    }

    /// The borrower buys time with a fresh lender signature; the duration
    /// still counts from the original start.
    function renegotiateLoan(
        uint32 loanId,
        uint32 newLoanDuration,
        uint256 newMaximumRepaymentAmount,
        uint256 renegotiationFee,
        uint256 lenderNonce,
        uint256 expiry,
        bytes calldata lenderSignature
    ) external nonReentrant {
        LoanTerms memory loan = openLoan(loanId);
        require(msg.sender == loan.borrower, "Only borrower can initiate");
        require(uint256(newLoanDuration) <= maximumLoanDuration, "New duration exceeds maximum loan duration");
        require(block.timestamp <= uint256(loan.loanStartTime) + uint256(newLoanDuration), "New duration already expired");
        require(newMaximumRepaymentAmount >= loan.loanPrincipalAmount, "Negative interest rate loans are not allowed.");
        address lender = loanIdToLender[loanId];
        require(!nonceHasBeenUsedForUser[lender][lenderNonce], "Lender nonce invalid");
        require(block.timestamp <= expiry, "Renegotiation Signature has expired");
        bytes32 message = keccak256(
            abi.encodePacked(
                uint256(loanId), newLoanDuration, newMaximumRepaymentAmount, renegotiationFee, lender, lenderNonce, expiry, address(this), block.chainid
            )
        );
        require(
            SignatureChecker.isValidSignatureNow(lender, MessageHashUtils.toEthSignedMessageHash(message), lenderSignature),
            "Renegotiation signature is invalid"
        );
        nonceHasBeenUsedForUser[lender][lenderNonce] = true;

        uint256 renegotiationAdminFee = renegotiationFee * loan.loanAdminFeeInBasisPoints / HUNDRED_PERCENT;
        IERC20 currency = IERC20(loan.loanERC20Denomination);
        if (renegotiationFee > renegotiationAdminFee) currency.safeTransferFrom(msg.sender, lender, renegotiationFee - renegotiationAdminFee);
        if (renegotiationAdminFee > 0) currency.safeTransferFrom(msg.sender, owner(), renegotiationAdminFee);
        loanIdToLoan[loanId].loanDuration = newLoanDuration;
        loanIdToLoan[loanId].maximumRepaymentAmount = newMaximumRepaymentAmount;
        emit LoanRenegotiated(loanId, loan.borrower, lender, newLoanDuration, newMaximumRepaymentAmount, renegotiationFee, renegotiationAdminFee);
    }

    function cancelLoanCommitmentBeforeLoanHasBegun(uint256 nonce) external {
        require(!nonceHasBeenUsedForUser[msg.sender][nonce], "Invalid nonce");
        nonceHasBeenUsedForUser[msg.sender][nonce] = true;
    }

    function getPayoffAmount(uint32 loanId) external view returns (uint256) {
        return loanIdToLoan[loanId].maximumRepaymentAmount;
    }

    function getWhetherNonceHasBeenUsedForUser(address user, uint256 nonce) external view returns (bool) {
        return nonceHasBeenUsedForUser[user][nonce];
    }

    function openLoan(uint32 loanId) private view returns (LoanTerms memory loan) {
        loan = loanIdToLoan[loanId];
        require(loan.borrower != address(0), "Loan does not exist");
        require(!loanRepaidOrLiquidated[loanId], "Loan already repaid/liquidated");
    }

    /// NFTfi's offer signature: personal_sign over keccak256 of the packed
    /// offer, signer, nonce, expiry, this contract and the chain id.
    function isValidLenderSignature(Offer calldata offer, uint256 signedId, Signature calldata signature) private view returns (bool) {
        bytes32 message = keccak256(
            abi.encodePacked(
                offer.loanERC20Denomination,
                offer.loanPrincipalAmount,
                offer.maximumRepaymentAmount,
                offer.nftCollateralContract,
                signedId,
                offer.referrer,
                offer.loanDuration,
                offer.loanAdminFeeInBasisPoints,
                signature.signer,
                signature.nonce,
                signature.expiry,
                address(this),
                block.chainid
            )
        );
        return SignatureChecker.isValidSignatureNow(signature.signer, MessageHashUtils.toEthSignedMessageHash(message), signature.signature);
    }
}
