#pragma once

#include <protocols/error.hpp>
#include <protocols/nftfi/offer_signing.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace nftterm::protocols::nftfi {

/// A lender's offer with its signature, as a borrower receives it.
struct SignedOffer {
    Offer offer;
    wallet::Address lender;  // the signer
    wallet::U256 nonce, expiry;
    std::string signature;   // 0x… r || s || v
};

/// {"offers": [{lender, collection, token_id, principal, maximum_repayment,
/// duration_seconds, admin_fee_bps, currency, nonce, expiry, signature
/// [, referrer] [, borrower]}]}: the devnet manifest's shape (its "offers"
/// list), which `offer create --out` writes too. Unknown keys are ignored
/// (a manifest carries more); a missing or malformed one is refused in words.
Result<std::vector<SignedOffer>> offers_from_json(std::string_view text);
std::string offers_to_json(const std::vector<SignedOffer>& offers);

/// A lender's signed new terms for an open loan (renegotiateLoan): the
/// duration from the loan's start, the new repayment and the fee the
/// borrower pays for it.
struct SignedRenegotiation {
    std::uint32_t loan_id = 0;
    std::uint32_t duration_seconds = 0;
    wallet::U256 maximum_repayment, fee;
    wallet::Address lender;
    wallet::U256 nonce, expiry;
    std::string signature;
};
/// {"renegotiation": {loan_id, duration_seconds, maximum_repayment, fee, lender, nonce, expiry, signature}}.
Result<SignedRenegotiation> renegotiation_from_json(std::string_view text);
std::string renegotiation_to_json(const SignedRenegotiation& terms);
bool signed_by_lender(const SignedRenegotiation& terms, const wallet::Address& loan_contract, std::uint64_t chain_id);

/// Whether `offer.signature` is `offer.lender`'s personal_sign of the
/// offer's message for `loan_contract` on `chain_id`.
bool signed_by_lender(const SignedOffer& offer, const wallet::Address& loan_contract, std::uint64_t chain_id);

}  // namespace nftterm::protocols::nftfi
