#include "p2p_offer.hpp"

#include "plan_reads.hpp"

#include <protocols/eth/rpc/eth_api.hpp>
#include <protocols/positions/read_helpers.hpp>
#include <wallet/primitives/bytes.hpp>

namespace nftterm::protocols::actions {

using namespace positions;
using namespace positions::detail;
using namespace actions::detail;
using wallet::Address;
using wallet::U256;

namespace {

constexpr const char* kLoanTermsTypes = "(uint256,uint256,uint256,address,uint32,uint16,uint16,address,uint64,address,address)";

Result<Address> loans_contract(const Registry& registry)
{
    const auto loans = registry.contract("NFTfiDirectLoanFixedOffer");
    if (!loans) return fail(Errc::Config, "the registry names no NFTfi DirectLoanFixedOffer contract");
    return *loans;
}

}  // namespace

Result<AcceptOfferPlan> plan_accept_offer(eth::RpcClient& client, const Registry& registry, const Address& borrower, const nftfi::SignedOffer& offer,
                                          std::uint64_t block)
{
    auto loans = loans_contract(registry);
    if (!loans) return std::unexpected(loans.error());
    AcceptOfferPlan out;
    out.offer = offer;
    out.loans = *loans;
    PositionPlan& plan = out.plan;
    plan.action = "acceptOffer";
    plan.account = borrower;
    plan.measure = "payoff";
    plan.pays_in = false;
    if (auto token = read_token(client, plan, offer.offer.currency, block); !token) return std::unexpected(token.error());
    const std::string lender = offer.lender.to_hex();
    if (!nftfi::signed_by_lender(offer, *loans, registry.chain_id))
        return fail(Errc::Refused, "the offer's signature is not " + lender + "'s for this loan contract on chain " + std::to_string(registry.chain_id));
    auto used = view_at(client, *loans, "getWhetherNonceHasBeenUsedForUser(address,uint256)", {value(offer.lender), value(offer.nonce)}, "(bool)", block);
    auto fee = view_at(client, *loans, "adminFeeInBasisPoints()", {}, "(uint16)", block);
    auto longest = view_at(client, *loans, "maximumLoanDuration()", {}, "(uint256)", block);
    auto permitted = view_at(client, *loans, "erc20Permits(address)", {value(offer.offer.currency)}, "(bool)", block);
    auto owner = view_at(client, offer.offer.nft_contract, "ownerOf(uint256)", {value(offer.offer.nft_id)}, "(address)", block);
    auto funds = view_at(client, offer.offer.currency, "balanceOf(address)", {value(offer.lender)}, "(uint256)", block);
    auto allowed = view_at(client, offer.offer.currency, "allowance(address,address)", {value(offer.lender), value(*loans)}, "(uint256)", block);
    auto head = eth::get_block(client, eth::BlockTag::number(block));
    if (!used || !fee || !longest || !permitted || !funds || !allowed || !head) return fail(Errc::Rpc, "cannot read the loan contract at block " + std::to_string(block));
    if (boolean((*used)[0])) return fail(Errc::Refused, "the offer's nonce " + offer.nonce.to_dec() + " is already used (accepted or cancelled by the lender)");
    if (U256(head->timestamp) > offer.expiry) return fail(Errc::Refused, "the offer expired at unix time " + offer.expiry.to_dec());
    if (u256((*fee)[0]) != U256(offer.offer.admin_fee_bps))
        return fail(Errc::Refused, "the offer was signed with an admin fee of " + std::to_string(offer.offer.admin_fee_bps) + " bps; the contract's is " + u256((*fee)[0]).to_dec() +
                                       " now, so it refuses it");
    if (offer.offer.duration_seconds == 0 || U256(offer.offer.duration_seconds) > u256((*longest)[0])) return fail(Errc::Refused, "the offer's duration is outside what the contract allows");
    if (!boolean((*permitted)[0])) return fail(Errc::Refused, "the contract does not lend in the offer's currency " + offer.offer.currency.to_hex());
    if (offer.offer.maximum_repayment < offer.offer.principal) return fail(Errc::Refused, "the offer asks back less than it lends: the contract refuses it");
    if (!owner || address((*owner)[0]) != borrower) return fail(Errc::Refused, "NFT #" + offer.offer.nft_id.to_dec() + " is not held by the accepting account");
    if (u256((*funds)[0]) < offer.offer.principal || u256((*allowed)[0]) < offer.offer.principal)
        return fail(Errc::Refused, "the lender " + lender + " cannot fund it now (balance " + token_text(plan, u256((*funds)[0])) + ", allowance to the loan contract " +
                                       token_text(plan, u256((*allowed)[0])) + ")");

    plan.amount = offer.offer.principal;
    out.interest = offer.offer.maximum_repayment - offer.offer.principal;
    out.apr_bps = (*U256::mul_div(out.interest * U256(365 * 86400ULL), U256(10000), offer.offer.principal * U256(offer.offer.duration_seconds))).to_u64().value_or(0);
    out.due = head->timestamp + offer.offer.duration_seconds;
    // The contract takes the NFT with transferFrom: approved to it first unless it already may.
    auto approved = view_at(client, offer.offer.nft_contract, "getApproved(uint256)", {value(offer.offer.nft_id)}, "(address)", block);
    auto for_all = view_at(client, offer.offer.nft_contract, "isApprovedForAll(address,address)", {value(borrower), value(*loans)}, "(bool)", block);
    if (!((approved && address((*approved)[0]) == *loans) || (for_all && boolean((*for_all)[0])))) {
        const auto approve = read_call(offer.offer.nft_contract, "approve(address,uint256)", {value(*loans), value(offer.offer.nft_id)});
        plan.calls.push_back({offer.offer.nft_contract, approve.call_data, {}, "approve NFT #" + offer.offer.nft_id.to_dec() + " to the NFTfi loan contract", 80'000});
    }
    const auto signature = wallet::bytes_from_hex(offer.signature);
    const abi::Value terms{abi::Value::List{value(offer.offer.principal), value(offer.offer.maximum_repayment), value(offer.offer.nft_id),
                                            value(offer.offer.nft_contract), value(std::uint64_t(offer.offer.duration_seconds)),
                                            value(std::uint64_t(offer.offer.admin_fee_bps)), value(offer.offer.currency), value(offer.offer.referrer)}};
    const abi::Value signed_by{abi::Value::List{value(offer.nonce), value(offer.expiry), value(offer.lender), abi::Value{*signature}}};
    const abi::Value settings{abi::Value::List{value(Address()), value(std::uint64_t(0))}};
    const auto accept = read_call(*loans, "acceptOffer((uint256,uint256,uint256,address,uint32,uint16,address,address),(uint256,uint256,address,bytes),(address,uint16))",
                                  {terms, signed_by, settings});
    plan.calls.push_back({*loans, accept.call_data, {},
                          "accept " + lender + "'s offer: borrow " + token_text(plan, offer.offer.principal) + " against NFT #" + offer.offer.nft_id.to_dec() + ", repay " +
                              token_text(plan, offer.offer.maximum_repayment) + " within " + std::to_string(offer.offer.duration_seconds / 86400) + " days",
                          400'000});
    return out;
}

Result<ForeclosePlan> plan_foreclose(eth::RpcClient& client, const Registry& registry, const Address& lender, std::uint32_t loan_id, std::uint64_t block)
{
    auto loans = loans_contract(registry);
    if (!loans) return std::unexpected(loans.error());
    auto terms = view_at(client, *loans, "loanIdToLoan(uint32)", {value(std::uint64_t(loan_id))}, kLoanTermsTypes, block);
    auto holder = view_at(client, *loans, "loanIdToLender(uint32)", {value(std::uint64_t(loan_id))}, "(address)", block);
    auto closed = view_at(client, *loans, "loanRepaidOrLiquidated(uint32)", {value(std::uint64_t(loan_id))}, "(bool)", block);
    auto head = eth::get_block(client, eth::BlockTag::number(block));
    if (!terms || !holder || !closed || !head) return fail(Errc::Rpc, "cannot read loan #" + std::to_string(loan_id) + " at block " + std::to_string(block));
    ForeclosePlan out;
    out.loans = *loans;
    out.loan_id = loan_id;
    out.borrower = address((*terms)[10]);
    if (out.borrower == Address()) return fail(Errc::Refused, "loan #" + std::to_string(loan_id) + " does not exist");
    if (boolean((*closed)[0])) return fail(Errc::Refused, "loan #" + std::to_string(loan_id) + " is already repaid or liquidated");
    if (address((*holder)[0]) != lender) return fail(Errc::Refused, "only the loan's lender " + address((*holder)[0]).to_hex() + " can foreclose it");
    out.principal = u256((*terms)[0]);
    out.token_id = u256((*terms)[2]);
    out.collection = address((*terms)[9]);
    out.maturity = u256((*terms)[8]).to_u64().value_or(0) + u256((*terms)[4]).to_u64().value_or(0);
    if (head->timestamp <= out.maturity)
        return fail(Errc::Refused, "loan #" + std::to_string(loan_id) + " is due at unix time " + std::to_string(out.maturity) + ": it can be foreclosed after that");
    out.plan.action = "foreclose";
    out.plan.account = lender;
    out.plan.measure = "payoff";
    const auto call = read_call(*loans, "liquidateOverdueLoan(uint32)", {value(std::uint64_t(loan_id))});
    out.plan.calls.push_back({*loans, call.call_data, {},
                              "foreclose loan #" + std::to_string(loan_id) + ": NFT #" + out.token_id.to_dec() + " of " + out.collection.to_hex() + " comes to you; the borrower " +
                                  out.borrower.to_hex() + " keeps the principal",
                              250'000});
    return out;
}

Result<RenegotiatePlan> plan_renegotiate(eth::RpcClient& client, const Registry& registry, const Address& borrower, const nftfi::SignedRenegotiation& terms,
                                         std::uint64_t block)
{
    auto loans = loans_contract(registry);
    if (!loans) return std::unexpected(loans.error());
    const std::string id = std::to_string(terms.loan_id);
    auto loan = view_at(client, *loans, "loanIdToLoan(uint32)", {value(std::uint64_t(terms.loan_id))}, kLoanTermsTypes, block);
    auto lender = view_at(client, *loans, "loanIdToLender(uint32)", {value(std::uint64_t(terms.loan_id))}, "(address)", block);
    auto closed = view_at(client, *loans, "loanRepaidOrLiquidated(uint32)", {value(std::uint64_t(terms.loan_id))}, "(bool)", block);
    auto used = view_at(client, *loans, "getWhetherNonceHasBeenUsedForUser(address,uint256)", {value(terms.lender), value(terms.nonce)}, "(bool)", block);
    auto longest = view_at(client, *loans, "maximumLoanDuration()", {}, "(uint256)", block);
    auto head = eth::get_block(client, eth::BlockTag::number(block));
    if (!loan || !lender || !closed || !used || !longest || !head) return fail(Errc::Rpc, "cannot read loan #" + id + " at block " + std::to_string(block));
    if (address((*loan)[10]) != borrower) return fail(Errc::Refused, "loan #" + id + " is not the account's (only its borrower can extend it)");
    if (boolean((*closed)[0])) return fail(Errc::Refused, "loan #" + id + " is already repaid or liquidated");
    if (address((*lender)[0]) != terms.lender) return fail(Errc::Refused, "the terms are signed by " + terms.lender.to_hex() + ", not by the loan's lender " + address((*lender)[0]).to_hex());
    if (!nftfi::signed_by_lender(terms, *loans, registry.chain_id)) return fail(Errc::Refused, "the terms' signature is not the lender's for this loan contract and chain");
    if (boolean((*used)[0])) return fail(Errc::Refused, "the terms' nonce is already used: the lender signed them for another change, or cancelled them");
    if (U256(head->timestamp) > terms.expiry) return fail(Errc::Refused, "the terms expired at unix time " + terms.expiry.to_dec());
    const std::uint64_t start = u256((*loan)[8]).to_u64().value_or(0);
    if (U256(terms.duration_seconds) > u256((*longest)[0])) return fail(Errc::Refused, "the new duration passes the contract's maximum");
    if (head->timestamp > start + terms.duration_seconds) return fail(Errc::Refused, "the new duration (from the loan's start) is already past");
    if (terms.maximum_repayment < u256((*loan)[0])) return fail(Errc::Refused, "the new repayment is below the principal: the contract refuses it");
    RenegotiatePlan out;
    out.terms = terms;
    out.loans = *loans;
    out.repayment_before = u256((*loan)[1]);
    out.due_before = start + u256((*loan)[4]).to_u64().value_or(0);
    out.due_after = start + terms.duration_seconds;
    PositionPlan& plan = out.plan;
    plan.action = "renegotiate";
    plan.account = borrower;
    plan.measure = "payoff";
    if (auto token = read_token(client, plan, address((*loan)[3]), block); !token) return std::unexpected(token.error());
    plan.amount = terms.fee;
    if (!terms.fee.is_zero()) {
        if (auto enough = require_balance(plan); !enough) return std::unexpected(enough.error());
        if (auto approved = add_approval(client, plan, *loans, "the NFTfi loan contract", terms.fee, block); !approved) return std::unexpected(approved.error());
    }
    const auto signature = wallet::bytes_from_hex(terms.signature);
    const auto call = read_call(*loans, "renegotiateLoan(uint32,uint32,uint256,uint256,uint256,uint256,bytes)",
                                {value(std::uint64_t(terms.loan_id)), value(std::uint64_t(terms.duration_seconds)), value(terms.maximum_repayment), value(terms.fee),
                                 value(terms.nonce), value(terms.expiry), abi::Value{*signature}});
    plan.calls.push_back({*loans, call.call_data, {},
                          "extend loan #" + id + ": repay " + token_text(plan, terms.maximum_repayment) + " (was " + token_text(plan, out.repayment_before) + ") by unix time " +
                              std::to_string(out.due_after) + " (was " + std::to_string(out.due_before) + "), for a fee of " + token_text(plan, terms.fee),
                          250'000});
    return out;
}

Result<OfferTerms> offer_terms(eth::RpcClient& client, const Registry& registry, const Address& lender, const Address& currency, const U256& principal,
                               std::uint64_t block)
{
    auto loans = loans_contract(registry);
    if (!loans) return std::unexpected(loans.error());
    auto fee = view_at(client, *loans, "adminFeeInBasisPoints()", {}, "(uint16)", block);
    auto allowed = view_at(client, currency, "allowance(address,address)", {value(lender), value(*loans)}, "(uint256)", block);
    if (!fee || !allowed) return fail(Errc::Rpc, "cannot read the loan contract at block " + std::to_string(block));
    OfferTerms out;
    out.loans = *loans;
    out.admin_fee_bps = static_cast<std::uint16_t>(u256((*fee)[0]).to_u64().value_or(0));
    if (u256((*allowed)[0]) < principal) {
        const auto approve = read_call(currency, "approve(address,uint256)", {value(*loans), value(principal)});
        out.approval.push_back({currency, approve.call_data, {}, "approve " + principal.format_units(18) + " to the NFTfi loan contract (so the offer can be funded)", 80'000});
    }
    return out;
}

}  // namespace nftterm::protocols::actions
