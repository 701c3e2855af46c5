#include "offer_signing.hpp"

#include <wallet/crypto/hashes.hpp>

namespace nftterm::protocols::nftfi {
namespace {

void append_address(wallet::Bytes& out, const wallet::Address& address)
{
    out.insert(out.end(), address.bytes.begin(), address.bytes.end());
}

/// The low `width` bytes of a big-endian word (abi.encodePacked of uintN).
void append_uint(wallet::Bytes& out, const wallet::U256& value, std::size_t width)
{
    const auto word = value.to_be();
    out.insert(out.end(), word.end() - static_cast<std::ptrdiff_t>(width), word.end());
}

}  // namespace

wallet::Hash32 offer_message(const Offer& offer, const wallet::Address& signer, const wallet::U256& nonce, const wallet::U256& expiry,
                             const wallet::Address& loan_contract, std::uint64_t chain_id)
{
    wallet::Bytes packed;
    packed.reserve(20 * 5 + 32 * 7 + 4 + 2);
    append_address(packed, offer.currency);
    append_uint(packed, offer.principal, 32);
    append_uint(packed, offer.maximum_repayment, 32);
    append_address(packed, offer.nft_contract);
    append_uint(packed, offer.nft_id, 32);
    append_address(packed, offer.referrer);
    append_uint(packed, wallet::U256(offer.duration_seconds), 4);
    append_uint(packed, wallet::U256(offer.admin_fee_bps), 2);
    append_address(packed, signer);
    append_uint(packed, nonce, 32);
    append_uint(packed, expiry, 32);
    append_address(packed, loan_contract);
    append_uint(packed, wallet::U256(chain_id), 32);
    return wallet::keccak256(packed);
}

wallet::Hash32 renegotiation_message(std::uint32_t loan_id, std::uint32_t new_duration_seconds, const wallet::U256& new_maximum_repayment,
                                     const wallet::U256& renegotiation_fee, const wallet::Address& lender, const wallet::U256& nonce,
                                     const wallet::U256& expiry, const wallet::Address& loan_contract, std::uint64_t chain_id)
{
    wallet::Bytes packed;
    packed.reserve(32 * 6 + 4 + 20 * 2);
    append_uint(packed, wallet::U256(loan_id), 32);
    append_uint(packed, wallet::U256(new_duration_seconds), 4);
    append_uint(packed, new_maximum_repayment, 32);
    append_uint(packed, renegotiation_fee, 32);
    append_address(packed, lender);
    append_uint(packed, nonce, 32);
    append_uint(packed, expiry, 32);
    append_address(packed, loan_contract);
    append_uint(packed, wallet::U256(chain_id), 32);
    return wallet::keccak256(packed);
}

}  // namespace nftterm::protocols::nftfi
