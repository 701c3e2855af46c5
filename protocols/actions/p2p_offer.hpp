#pragma once

#include <protocols/actions/plan.hpp>
#include <protocols/eth/rpc/rpc_client.hpp>
#include <protocols/nftfi/offer_book.hpp>

#include <cstdint>

namespace nftterm::protocols::actions {

/// A borrower accepting a lender's signed NFTfi offer (DirectLoanFixedOffer.acceptOffer).
struct AcceptOfferPlan {
    PositionPlan plan;  // the calls (the NFT's approval, acceptOffer); `amount`: the principal received
    nftfi::SignedOffer offer;
    wallet::Address loans;
    wallet::U256 interest;           // maximum repayment − principal
    std::uint64_t apr_bps = 0;       // the interest over the duration, per year
    std::uint64_t due = 0;           // unix time, if it starts at the plan block's time
};

/// What an offer is worth now to `borrower`, checked as the contract will
/// check it, before anything is signed: the lender's signature (recovered),
/// the nonce unused, not expired, the admin fee the contract's now, the
/// duration within its maximum, the currency permitted, the NFT the
/// borrower's, the lender's balance and allowance able to fund it. Refused
/// with the first reason that fails.
Result<AcceptOfferPlan> plan_accept_offer(eth::RpcClient& client, const positions::Registry& registry, const wallet::Address& borrower,
                                          const nftfi::SignedOffer& offer, std::uint64_t block);

/// A lender foreclosing an overdue loan (liquidateOverdueLoan): only its
/// lender, only after maturity, only while open; the NFT goes to the lender.
struct ForeclosePlan {
    PositionPlan plan;
    wallet::Address loans, collection, borrower;
    wallet::U256 token_id, principal;
    std::uint32_t loan_id = 0;
    std::uint64_t maturity = 0;
};
Result<ForeclosePlan> plan_foreclose(eth::RpcClient& client, const positions::Registry& registry, const wallet::Address& lender, std::uint32_t loan_id,
                                     std::uint64_t block);

/// A borrower extending a loan with its lender's signed terms (renegotiateLoan):
/// checked before signing as the contract checks them (the borrower's open
/// loan, the lender's signature recovered, the nonce unused, not expired, the
/// new duration not already past and within the maximum); the fee's approval first.
struct RenegotiatePlan {
    PositionPlan plan;  // `amount`: the fee paid
    nftfi::SignedRenegotiation terms;
    wallet::Address loans;
    wallet::U256 repayment_before;
    std::uint64_t due_before = 0, due_after = 0;
};
Result<RenegotiatePlan> plan_renegotiate(eth::RpcClient& client, const positions::Registry& registry, const wallet::Address& borrower,
                                         const nftfi::SignedRenegotiation& terms, std::uint64_t block);

/// The contract's admin fee and the approval a lender needs before an
/// offer of `principal` can be accepted (none when the allowance covers it).
struct OfferTerms {
    wallet::Address loans;
    std::uint16_t admin_fee_bps = 0;
    std::vector<PlannedCall> approval;
};
Result<OfferTerms> offer_terms(eth::RpcClient& client, const positions::Registry& registry, const wallet::Address& lender, const wallet::Address& currency,
                               const wallet::U256& principal, std::uint64_t block);

}  // namespace nftterm::protocols::actions
