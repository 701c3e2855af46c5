#include "seeding.hpp"

namespace nftterm::protocols::devnet::detail {

using wallet::U256;

namespace {

/// Per-collection risk parameters (basis points): the first two collections
/// lend aggressively, the third at BendDAO's deployment defaults.
struct NftRisk {
    std::uint32_t ltv;
    std::uint32_t liquidation_threshold;
};
constexpr NftRisk kRisk[] = {{7000, 7500}, {6000, 7500}, {4000, 9000}};
constexpr std::uint64_t kBorrowedShare[] = {100, 85, 65, 100};

std::string nft_configuration(const std::string& collection, const NftRisk& risk)
{
    // bonus 100 % (no first-bid discount), redeem and auction 4 h, redeem fine 5 %,
    // redeem threshold 50 %, min bid fine 0.2 ETH: BendDAO's 2022 defaults.
    return "[" + collection + ",\"" + std::to_string(risk.ltv) + "\",\"" + std::to_string(risk.liquidation_threshold)
           + "\",\"10000\",\"4\",\"4\",\"500\",\"5000\",\"2000\"]";
}

}  // namespace

/// The pool, its WETH reserve (BendDAO's 2022 WETH rate strategy), lenders'
/// deposits, and each trader's loan against one NFT per collection from 62 % to
/// 100 % of the allowed loan-to-value.
Result<void> seed_bend(SeedContext& context)
{
    auto& world = context.world;
    const auto& deployer = actor_named(context.actors, "deployer");
    NFTTERM_SEED_TRY(reserve_oracle_code, context.contract("ReserveOracle.sol", "ReserveOracle"));
    NFTTERM_SEED_TRY(pool_code, context.contract("LendPool.sol", "LendPool"));
    NFTTERM_SEED_TRY(reserve_oracle, world.deploy(deployer, *reserve_oracle_code));
    NFTTERM_SEED_TRY(weth_priced, world.call(deployer, *reserve_oracle, "setAssetPrice(address,uint256)", "[" + q(context.weth) + "," + q(ether(1)) + "]"));
    NFTTERM_SEED_TRY(pool, world.deploy(deployer, *pool_code, "(address,address)", "[" + q(context.nft_oracle) + "," + q(*reserve_oracle) + "]"));
    context.manifest.contracts["BendReserveOracle"] = *reserve_oracle;
    context.manifest.contracts["BendLendPool"] = *pool;
    // The loan getters of BendDAO's LendPoolLoan are served by the pool itself.
    context.manifest.contracts["BendLendPoolLoan"] = *pool;

    const std::string ray = "000000000";  // ×1e9 turns a WAD into a RAY
    NFTTERM_SEED_TRY(reserve, world.call(deployer, *pool, "initReserve(address,uint256,(uint256,uint256,uint256,uint256))",
                                         "[" + q(context.weth) + ",\"3000\",[\"" + ether(65, 100).to_dec() + ray + "\",\""
                                             + ether(3, 100).to_dec() + ray + "\",\"" + ether(8, 100).to_dec() + ray + "\",\""
                                             + ether(1).to_dec() + ray + "\"]]"));
    for (std::size_t c = 0; c < context.collections.size(); ++c) {
        NFTTERM_SEED_TRY(configured, world.call(deployer, *pool, "configureNft(address,uint256,uint256,uint256,uint256,uint256,uint256,uint256,uint256)",
                                                nft_configuration(q(context.collections[c].address), kRisk[c % 3])));
    }
    for (const Actor* lender : actors_with_role(context.actors, "lender")) {
        NFTTERM_SEED_TRY(allowed, world.call(*lender, context.weth, "approve(address,uint256)", "[" + q(*pool) + "," + q(U256::max()) + "]"));
        NFTTERM_SEED_TRY(deposited, world.call(*lender, *pool, "deposit(address,uint256,address,uint16)",
                                               "[" + q(context.weth) + "," + q(ether(600)) + "," + q(lender->account.address) + ",\"0\"]"));
    }
    // Down-payment longs: an Aave v2-style flash lender with 500 WETH, and the contract that buys with it.
    NFTTERM_SEED_TRY(lender_code, context.contract("FlashLender.sol", "FlashLender"));
    NFTTERM_SEED_TRY(down_payment_code, context.contract("DownPayment.sol", "DownPayment"));
    NFTTERM_SEED_TRY(flash_lender, world.deploy(deployer, *lender_code));
    NFTTERM_SEED_TRY(wrapped, world.call(deployer, context.weth, "deposit()", "[]", ether(500)));
    NFTTERM_SEED_TRY(funded, world.call(deployer, context.weth, "transfer(address,uint256)", "[" + q(*flash_lender) + "," + q(ether(500)) + "]"));
    NFTTERM_SEED_TRY(down_payment, world.deploy(deployer, *down_payment_code, "(address,address,address)",
                                                "[" + q(context.weth) + "," + q(*flash_lender) + "," + q(*pool) + "]"));
    context.manifest.contracts["FlashLender"] = *flash_lender;
    context.manifest.contracts["DownPayment"] = *down_payment;

    std::size_t position = 0;
    for (const Actor* trader : actors_with_role(context.actors, "trader")) {
        NFTTERM_SEED_TRY(allowed, world.call(*trader, context.weth, "approve(address,uint256)", "[" + q(*pool) + "," + q(U256::max()) + "]"));
        for (std::size_t c = 0; c < context.collections.size(); ++c) {
            const auto& collection = context.collections[c];
            NFTTERM_SEED_TRY(approved, world.call(*trader, collection.address, "setApprovalForAll(address,bool)", "[" + q(*pool) + ",true]"));
            const std::uint64_t token_id = trader->account.index * 100 + 1;
            const U256 allowed_borrow = *U256::mul_div(collection.price, U256(kRisk[c % 3].ltv), U256(10000));
            // Borrowed share of the allowed amount: near the limit, comfortable, or light, in turn.
            const std::uint64_t share = kBorrowedShare[position++ % std::size(kBorrowedShare)] - context.random() % 4;
            const U256 amount = *U256::mul_div(allowed_borrow, U256(share), U256(100));
            NFTTERM_SEED_TRY(borrowed, world.call(*trader, *pool, "borrow(address,uint256,address,uint256,address,uint16)",
                                                  "[" + q(context.weth) + "," + q(amount) + "," + q(collection.address) + ",\""
                                                      + std::to_string(token_id) + "\"," + q(trader->account.address) + ",\"0\"]"));
            NFTTERM_SEED_TRY(loan, world.read(*pool, "getCollateralLoanId(address,uint256)",
                                              "[" + q(collection.address) + ",\"" + std::to_string(token_id) + "\"]", "(uint256)"));
            context.manifest.loans.push_back({positions::Protocol::BendDao, static_cast<std::uint32_t>(std::stoul((*loan)[0].get<std::string>())),
                                              trader->account.address, *pool, collection.address, token_id, 0});
        }
    }
    return {};
}

}  // namespace nftterm::protocols::devnet::detail
