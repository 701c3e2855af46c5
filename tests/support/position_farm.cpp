#include "position_farm.hpp"

#include <protocols/eth/abi/abi_json.hpp>
#include <protocols/eth/multicall.hpp>
#include <protocols/nftfi/offer_signing.hpp>
#include <wallet/messages/eip191.hpp>

#include <fstream>
#include <sstream>

namespace nftterm::tests {

using namespace nftterm::protocols;
using wallet::Address;
using wallet::U256;

namespace {

std::string q(const Address& address)
{
    return "\"" + address.to_hex() + "\"";
}

Result<abi::CompiledContract> compiled(const std::string& file, const std::string& source, const std::string& name)
{
    std::ifstream in(std::string(NFTTERM_CONTRACTS_DIR) + "/" + file);
    std::stringstream text;
    text << in.rdbuf();
    return abi::read_solc_output(text.str(), source, name);
}

#define FARM_TRY(name, expression)  \
    auto name = (expression);       \
    if (!name) return std::unexpected(name.error())

}  // namespace

Result<FarmedPositions> farm_positions(DemoWorldFixture& world, std::size_t n)
{
    auto& seeding = world.world();
    const auto& deployer = world.actor("deployer");
    FARM_TRY(farm_code, compiled("test_contracts.json", "PositionFarm.sol", "PositionFarm"));
    FARM_TRY(collection_code, compiled("nftterm_contracts.json", "DemoCollection.sol", "DemoCollection"));
    FARM_TRY(farm, seeding.deploy(deployer, *farm_code));
    // A collection of the farm's own, priced by the oracle and accepted by the pool.
    FARM_TRY(collection, seeding.deploy(deployer, *collection_code, "(string,string,string)", "[\"Farm\",\"FARM\",\"ipfs://farm/\"]"));
    FARM_TRY(owned, seeding.call(deployer, *collection, "transferOwnership(address)", "[" + q(*farm) + "]"));
    FARM_TRY(listed, seeding.call(deployer, world.contract("NFTOracle"), "addAsset(address)", "[" + q(*collection) + "]"));
    FARM_TRY(priced, seeding.call(deployer, world.contract("NFTOracle"), "setAssetData(address,uint256)", "[" + q(*collection) + "," + dec(wad("10")) + "]"));
    FARM_TRY(configured, seeding.call(deployer, world.contract("BendLendPool"),
                                      "configureNft(address,uint256,uint256,uint256,uint256,uint256,uint256,uint256,uint256)",
                                      "[" + q(*collection) + ",\"5000\",\"8000\",\"10000\",\"4\",\"4\",\"500\",\"5000\",\"2000\"]"));
    const std::size_t chunk_pairs = 10, chunk_loans = 40, chunk_perps = 20;
    // AMM pools.
    for (std::size_t done = 0; done < n; done += chunk_pairs) {
        FARM_TRY(made, seeding.call(deployer, *farm, "makePairs(address,address,address,uint256)",
                                    "[" + q(world.contract("SudoPairFactory")) + "," + q(world.contract("DAPE")) + "," + q(world.contract("SudoLinearCurve"))
                                        + ",\"" + std::to_string(std::min(chunk_pairs, n - done)) + "\"]"));
    }
    // Pool loans: 0.1 WETH against each of the farm's NFTs 1…n.
    for (std::size_t done = 0; done < n; done += chunk_loans) {
        FARM_TRY(borrowed, seeding.call(deployer, *farm, "borrowMany(address,address,address,uint256,uint256,uint256)",
                                        "[" + q(world.contract("BendLendPool")) + "," + q(*collection) + "," + q(world.contract("WETH9")) + ",\""
                                            + std::to_string(1 + done) + "\",\"" + std::to_string(std::min(chunk_loans, n - done)) + "\"," + dec(wad("0.1")) + "]"));
    }
    // P2P loans: lender-1 offers 0.01 WETH on each of the farm's NFTs 100001…
    const Address loans = world.contract("NFTfiDirectLoanFixedOffer");
    auto chain = world.client().chain_id();
    if (!chain) return std::unexpected(chain.error());
    const auto& lender = world.actor("lender-1");
    for (std::size_t done = 0; done < n; done += chunk_loans) {
        const std::size_t count = std::min(chunk_loans, n - done);
        FARM_TRY(minted, seeding.call(deployer, *farm, "mintTo(address,uint256,uint256,address)",
                                      "[" + q(*collection) + ",\"" + std::to_string(100001 + done) + "\",\"" + std::to_string(count) + "\"," + q(loans) + "]"));
        std::string offers = "[", signatures = "[";
        for (std::size_t i = 0; i < count; ++i) {
            nftfi::Offer offer;
            offer.principal = wad("0.01");
            offer.maximum_repayment = wad("0.011");
            offer.nft_id = U256(100001 + done + i);
            offer.nft_contract = *collection;
            offer.duration_seconds = 30 * 86400;
            offer.admin_fee_bps = 25;
            offer.currency = world.contract("WETH9");
            // Lender nonces are single-use: a process-wide counter keeps farms apart.
            static std::uint64_t next_nonce = 1000000;
            const U256 nonce(next_nonce++), expiry(4000000000ULL);
            const auto message = nftfi::offer_message(offer, lender.account.address, nonce, expiry, loans, *chain);
            const auto signature = wallet::sign_digest(lender.key, wallet::personal_message_digest(message.view())).to_rsv();
            offers += std::string(i ? "," : "") + "[" + dec(offer.principal) + "," + dec(offer.maximum_repayment) + "," + dec(offer.nft_id) + ","
                      + q(offer.nft_contract) + ",\"" + std::to_string(offer.duration_seconds) + "\",\"25\"," + q(offer.currency) + "," + q(Address()) + "]";
            signatures += std::string(i ? "," : "") + "[" + dec(nonce) + "," + dec(expiry) + "," + q(lender.account.address) + ",\""
                          + wallet::to_hex(signature.view()) + "\"]";
        }
        FARM_TRY(accepted, seeding.call(deployer, *farm,
                                        "acceptMany(address,(uint256,uint256,uint256,address,uint32,uint16,address,address)[],(uint256,uint256,address,bytes)[])",
                                        "[" + q(loans) + "," + offers + "]," + signatures + "]]"));
    }
    // Perps: n longs of 0.1 WETH margin at 2×, spread over the Amms.
    FARM_TRY(wrapped, seeding.call(deployer, world.contract("WETH9"), "deposit()", "[]", wad("0.2") * U256(n) + wad("1")));
    FARM_TRY(funded, seeding.call(deployer, world.contract("WETH9"), "transfer(address,uint256)", "[" + q(*farm) + "," + dec(wad("0.2") * U256(n)) + "]"));
    std::vector<Address> amms;
    for (const auto& [symbol, amm] : world.manifest().amms) amms.push_back(amm);
    for (std::size_t done = 0, turn = 0; done < n; done += chunk_perps, ++turn) {
        FARM_TRY(opened, seeding.call(deployer, *farm, "openMany(address,address,address,uint256,uint256,uint256)",
                                      "[" + q(world.contract("PerpClearingHouse")) + "," + q(amms[turn % amms.size()]) + "," + q(world.contract("WETH9")) + ",\""
                                          + std::to_string(std::min(chunk_perps, n - done)) + "\"," + dec(wad("0.1")) + "," + dec(wad("2")) + "]"));
    }
    FarmedPositions out;
    out.accounts.push_back(*farm);
    std::vector<eth::ReadCall> calls;
    for (std::size_t i = 0; i < n; ++i) calls.push_back({*farm, abi::encode_call("traders(uint256)", "[\"" + std::to_string(i) + "\"]").value(), true});
    FARM_TRY(traders, eth::multicall(world.client(), calls, eth::BlockTag::latest()));
    for (const auto& result : *traders) {
        if (!result.success || result.return_data.size() != 32) return fail(Errc::Decode, "farm: a trader is missing");
        out.accounts.push_back(Address(*wallet::FixedBytes<20>::from_view(wallet::ByteView(result.return_data).subspan(12))));
    }
    out.count = 4 * n;
    return out;
}

}  // namespace nftterm::tests
