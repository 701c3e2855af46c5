#pragma once

#include <wallet/primitives/address.hpp>
#include <wallet/primitives/u256.hpp>

#include <cstdint>

namespace nftterm::protocols::nftfi {

/// A lender's offer as NFTfi v2 DirectLoanFixedOffer takes it.
struct Offer {
    wallet::U256 principal;
    wallet::U256 maximum_repayment;
    wallet::U256 nft_id;
    wallet::Address nft_contract;
    std::uint32_t duration_seconds = 0;
    std::uint16_t admin_fee_bps = 0;
    wallet::Address currency;
    wallet::Address referrer;
};

/// What the lender personal_signs: keccak256(abi.encodePacked(currency,
/// principal, maximumRepayment, nftContract, nftId, referrer, duration
/// (uint32), adminFee (uint16), signer, nonce, expiry, loanContract,
/// chainId)), NFTfi's NFTfiSigningUtils.
wallet::Hash32 offer_message(const Offer& offer, const wallet::Address& signer, const wallet::U256& nonce, const wallet::U256& expiry,
                             const wallet::Address& loan_contract, std::uint64_t chain_id);

/// What a lender personal_signs to extend a loan (renegotiateLoan):
/// keccak256(abi.encodePacked(uint256 loanId, uint32 newLoanDuration,
/// newMaximumRepaymentAmount, renegotiationFee, lender, nonce, expiry,
/// loanContract, chainId)), NFTfi's isValidLenderRenegotiationSignature.
wallet::Hash32 renegotiation_message(std::uint32_t loan_id, std::uint32_t new_duration_seconds, const wallet::U256& new_maximum_repayment,
                                     const wallet::U256& renegotiation_fee, const wallet::Address& lender, const wallet::U256& nonce,
                                     const wallet::U256& expiry, const wallet::Address& loan_contract, std::uint64_t chain_id);

}  // namespace nftterm::protocols::nftfi
