#include "seeding.hpp"

#include <protocols/nftfi/offer_signing.hpp>
#include <wallet/messages/eip191.hpp>

namespace nftterm::protocols::devnet::detail {

using wallet::Address;
using wallet::U256;

namespace {
constexpr std::uint16_t kAdminFeeBps = 25;
constexpr const char* kAcceptOffer =
    "acceptOffer((uint256,uint256,uint256,address,uint32,uint16,address,address),(uint256,uint256,address,bytes),(address,uint16))";
}  // namespace

/// Each trader borrows WETH from a lender against one NFT per collection,
/// with maturities from weeks to hours away.
Result<void> seed_nftfi(SeedContext& context)
{
    auto& world = context.world;
    const auto& deployer = actor_named(context.actors, "deployer");
    NFTTERM_SEED_TRY(code, context.contract("DirectLoanFixedOffer.sol", "DirectLoanFixedOffer"));
    auto usd = context.manifest.contracts.at("dUSD");
    NFTTERM_SEED_TRY(loans, world.deploy(deployer, *code, "(address[])", "[[" + q(context.weth) + "," + q(usd) + "]]"));
    context.manifest.contracts["NFTfiDirectLoanFixedOffer"] = *loans;
    // NFTfi v2.3's collection offers live in a contract of their own; the demo opens none, lenders are ready to.
    NFTTERM_SEED_TRY(collection_code, context.contract("DirectLoanFixedCollectionOffer.sol", "DirectLoanFixedCollectionOffer"));
    NFTTERM_SEED_TRY(collection_loans, world.deploy(deployer, *collection_code, "(address[])", "[[" + q(context.weth) + "," + q(usd) + "]]"));
    context.manifest.contracts["NFTfiDirectLoanFixedCollectionOffer"] = *collection_loans;

    const auto lenders = actors_with_role(context.actors, "lender");
    for (const Actor* lender : lenders) {
        NFTTERM_SEED_TRY(allowed, world.call(*lender, context.weth, "approve(address,uint256)", "[" + q(*loans) + "," + q(U256::max()) + "]"));
        NFTTERM_SEED_TRY(usd_allowed, world.call(*lender, usd, "approve(address,uint256)", "[" + q(*loans) + "," + q(U256::max()) + "]"));
        for (const auto& currency : {context.weth, usd}) {
            NFTTERM_SEED_TRY(collection_allowed,
                             world.call(*lender, currency, "approve(address,uint256)", "[" + q(*collection_loans) + "," + q(U256::max()) + "]"));
        }
    }
    for (const Actor* trader : actors_with_role(context.actors, "trader")) {
        for (const auto& collection : context.collections) {
            NFTTERM_SEED_TRY(approved, world.call(*trader, collection.address, "setApprovalForAll(address,bool)", "[" + q(*loans) + ",true]"));
        }
        NFTTERM_SEED_TRY(allowed, world.call(*trader, context.weth, "approve(address,uint256)", "[" + q(*loans) + "," + q(U256::max()) + "]"));
    }

    const std::vector<std::uint32_t> durations = {30 * 86400, 7 * 86400, 2 * 86400, 6 * 3600};
    std::uint64_t nonce = 1;
    for (const Actor* trader : actors_with_role(context.actors, "trader")) {
        for (const auto& collection : context.collections) {
            const Actor& lender = *lenders[context.random() % lenders.size()];
            nftfi::Offer offer;
            // A P2P lender offers 20–60 % of the floor.
            offer.principal = *U256::mul_div(collection.price, U256(20 + context.random() % 41), U256(100));
            offer.maximum_repayment = *U256::mul_div(offer.principal, U256(10200 + context.random() % 1300), U256(10000));
            offer.nft_id = U256(trader->account.index * 100);
            offer.nft_contract = collection.address;
            offer.duration_seconds = durations[context.random() % durations.size()];
            offer.admin_fee_bps = kAdminFeeBps;
            offer.currency = context.weth;
            const U256 expiry(4000000000ULL);
            const auto message = nftfi::offer_message(offer, lender.account.address, U256(nonce), expiry, *loans, context.chain_id);
            const auto signature = wallet::sign_digest(lender.key, wallet::personal_message_digest(message.view())).to_rsv();
            const std::string args = "[[" + q(offer.principal) + "," + q(offer.maximum_repayment) + "," + q(offer.nft_id) + ","
                                     + q(offer.nft_contract) + ",\"" + std::to_string(offer.duration_seconds) + "\",\""
                                     + std::to_string(offer.admin_fee_bps) + "\"," + q(offer.currency) + "," + q(Address()) + "],[\""
                                     + std::to_string(nonce) + "\"," + q(expiry) + "," + q(lender.account.address) + ",\""
                                     + wallet::to_hex(signature.view()) + "\"],[" + q(Address()) + ",\"0\"]]";
            ++nonce;
            NFTTERM_SEED_TRY(receipt, world.call(*trader, *loans, kAcceptOffer, args));
            auto block = eth::get_block(world.client(), eth::BlockTag::number(receipt->block_number));
            if (!block) return std::unexpected(block.error());
            const auto loan_id = receipt->logs.empty() || receipt->logs.back().topics.size() < 2
                                     ? 0
                                     : static_cast<std::uint32_t>(*U256::from_be(receipt->logs.back().topics[1].view())->to_u64());
            context.manifest.loans.push_back({positions::Protocol::Nftfi, loan_id, trader->account.address, lender.account.address, collection.address,
                                              trader->account.index * 100u, block->timestamp + offer.duration_seconds});
        }
    }
    // Open offers: each lender offers on each trader's free NFT in the first collection.
    const auto& collection = context.collections.front();
    for (const Actor* trader : actors_with_role(context.actors, "trader")) {
        for (const Actor* lender : lenders) {
            nftfi::Offer offer;
            offer.principal = *U256::mul_div(collection.price, U256(30 + context.random() % 21), U256(100));
            offer.maximum_repayment = *U256::mul_div(offer.principal, U256(10300 + context.random() % 700), U256(10000));
            offer.nft_id = U256(trader->account.index * 100 + 3);
            offer.nft_contract = collection.address;
            offer.duration_seconds = 14 * 86400;
            offer.admin_fee_bps = kAdminFeeBps;
            offer.currency = context.weth;
            const U256 expiry(4000000000ULL);
            const auto message = nftfi::offer_message(offer, lender->account.address, U256(nonce), expiry, *loans, context.chain_id);
            const auto signature = wallet::sign_digest(lender->key, wallet::personal_message_digest(message.view())).to_rsv();
            context.manifest.offers.push_back({lender->account.address, trader->account.address, collection.address,
                                               trader->account.index * 100 + 3, offer.principal, offer.maximum_repayment,
                                               offer.duration_seconds, offer.admin_fee_bps, offer.currency, U256(nonce), expiry,
                                               wallet::to_hex(signature.view())});
            ++nonce;
        }
    }
    return {};
}

}  // namespace nftterm::protocols::devnet::detail
