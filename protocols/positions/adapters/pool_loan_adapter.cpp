#include "../adapter.hpp"
#include "../fixed_point.hpp"
#include "../pool_loan_math.hpp"
#include "../read_helpers.hpp"

#include <protocols/eth/rpc/eth_api.hpp>

#include <map>
#include <set>

namespace nftterm::protocols::positions {
namespace {

using namespace detail;
using wallet::Address;
using wallet::U256;

constexpr const char* kBorrowEvent = "Borrow(address,address,uint256,address,uint256,address,uint256,uint256,uint16)";
constexpr const char* kPoolLoanTypes = "((uint256,uint8,address,address,uint256,address,uint256,uint256,address,uint256,uint256,address))";
constexpr std::uint64_t kStateActive = 2;
constexpr std::uint64_t kStateAuction = 3;
constexpr std::uint64_t kStateRepaid = 4;
constexpr std::uint64_t kStateDefaulted = 5;

/// BendDAO v1 pool loans. Health is recomputed from the loan's scaled debt,
/// the reserve's borrow index and rate, the NFT oracle's floor and the
/// collection's liquidation threshold, exactly as GenericLogic does. The
/// floor is NFTOracle.getAssetPrice: on mainnet the TWAP the oracle stored at
/// its last push, reverting "NFTOracle: key not existed" for a collection it
/// does not list (the loan is then unreadable, with that reason).
class PoolLoanAdapter final : public Adapter {
public:
    PoolLoanAdapter(Address pool, Address loans, Address nft_oracle, Address reserve_oracle)
        : m_pool(pool), m_loans(loans), m_nft_oracle(nft_oracle), m_reserve_oracle(reserve_oracle)
    {
    }

    Protocol protocol() const override { return Protocol::BendDao; }

    Result<std::vector<PositionKey>> discover(eth::RpcClient& client, const std::vector<Address>& accounts, std::uint64_t from_block,
                                              std::uint64_t to_block) const override
    {
        // Borrow(user, reserve indexed, amount, nftAsset, nftTokenId, onBehalfOf indexed, …): the borrower is onBehalfOf.
        auto logs = event_logs(client, m_pool, kBorrowEvent, 2, accounts, from_block, to_block);
        if (!logs) return std::unexpected(logs.error());
        std::vector<PositionKey> keys;
        std::set<std::uint64_t> seen;
        for (const auto& log : *logs) {
            // Data: user, amount, nftAsset, nftTokenId, borrowRate, loanId.
            auto data = outputs({true, log.data}, "(address,uint256,address,uint256,uint256,uint256)");
            if (!data) continue;
            const std::uint64_t loan = u256((*data)[5]).to_u64().value_or(0);
            if (!seen.insert(loan).second) continue;
            PositionKey key{Protocol::BendDao, address_of_topic(log.topics[2]), m_pool, address((*data)[2]), u256((*data)[3]), loan, {}};
            key.asset = address_of_topic(log.topics[1]);
            keys.push_back(key);
        }
        return keys;
    }

    PositionDecoder plan(const std::vector<PositionKey>& keys, ReadPlan& reads) const override
    {
        Slots slots;
        for (const auto& key : keys) {
            if (!slots.reserves.contains(key.asset))
                slots.reserves[key.asset] = {reads.add(m_pool, "getReserveData(address)", {value(key.asset)}),
                                             reads.add(m_reserve_oracle, "getAssetPrice(address)", {value(key.asset)})};
            if (!slots.collections.contains(key.market))
                slots.collections[key.market] = {reads.add(m_nft_oracle, "getAssetPrice(address)", {value(key.market)}),
                                                 reads.add(m_nft_oracle, "getLatestTimestamp(address)", {value(key.market)}),
                                                 reads.add(m_nft_oracle, "isPriceStale(address)", {value(key.market)}),
                                                 reads.add(m_pool, "getNftConfiguration(address)", {value(key.market)})};
        }
        for (const auto& key : keys) slots.loans.push_back(reads.add(m_loans, "getLoan(uint256)", {value(key.loan)}));
        // The decoder may outlive the adapter (a plan is kept and run later): it needs nothing of it.
        return [keys, slots = std::move(slots)](const ReadResults& results, const eth::BlockHeader& block) { return decode(keys, slots, results, block); };
    }

private:
    struct ReserveSlots {
        ReadSlot data, price;
    };
    struct CollectionSlots {
        ReadSlot price, updated, stale, config;
    };
    struct Slots {
        std::map<Address, ReserveSlots> reserves;
        std::map<Address, CollectionSlots> collections;
        std::vector<ReadSlot> loans;
    };
    using Outputs = Result<std::vector<abi::Value>>;

    static std::vector<Position> decode(const std::vector<PositionKey>& keys, const Slots& slots, const ReadResults& results, const eth::BlockHeader& block)
    {
        // Shared reads decoded once per block; a failed one marks only the loans that need it.
        struct ReserveState {
            Outputs data, price;
        };
        std::map<Address, ReserveState> reserves;
        for (const auto& [reserve, slot] : slots.reserves) reserves.emplace(reserve, ReserveState{results.get(slot.data, kBendReserveDataTypes), results.get(slot.price, "(uint256)")});
        struct CollectionState {
            Outputs price, updated, stale, config;
        };
        std::map<Address, CollectionState> collections;
        for (const auto& [nft, slot] : slots.collections)
            collections.emplace(nft, CollectionState{results.get(slot.price, "(uint256)"), results.get(slot.updated, "(uint256)"),
                                                     results.get(slot.stale, "(bool)"), results.get(slot.config, "((uint256))")});

        std::vector<Position> positions;
        for (std::size_t i = 0; i < keys.size(); ++i) {
            const auto& key = keys[i];
            const auto loan = results.get(slots.loans[i], kPoolLoanTypes);
            Position position;
            position.key = key;
            position.collection = key.market;
            position.token_id = key.number;
            position.currency = key.asset;
            position.price_source = "NFTOracle";
            position.price_block = block.number;
            const auto& reserve = reserves.at(key.asset);
            const auto& collection = collections.at(key.market);
            if (auto why = first_failure(loan, reserve.data, reserve.price, collection.price, collection.updated, collection.stale, collection.config); !why.empty()) {
                position.readable = false;
                position.unreadable_reason = std::move(why);
                positions.push_back(std::move(position));
                continue;
            }
            const auto& fields = list((*loan)[0]);
            const std::uint64_t state = u256(fields[1]).to_u64().value_or(0);
            // Repaid or liquidated loans are over (and say which); a loan now owned by someone else is not ours.
            if (state == kStateRepaid || state == kStateDefaulted) {
                position.ended = state == kStateRepaid ? PositionEnd::Repaid : PositionEnd::Liquidated;
                positions.push_back(std::move(position));
                continue;
            }
            if ((state != kStateActive && state != kStateAuction) || address(fields[2]) != key.account) continue;
            const U256 scaled = u256(fields[6]);

            const auto& reserve_fields = list((*reserve.data)[0]);
            const U256 config = u256(list(reserve_fields[0])[0]);
            const U256 index = u256(reserve_fields[2]);
            const U256 rate = u256(reserve_fields[4]);
            const std::uint64_t last_update = u256(reserve_fields[5]).to_u64().value_or(0);
            const unsigned decimals = static_cast<unsigned>(((config / pow2(48)) % U256(256)).to_u64().value_or(18));
            const U256 normalized = block.timestamp == last_update
                                        ? index
                                        : fixed::ray_mul(fixed::compounded_interest(rate, block.timestamp - last_update), index);
            const U256 debt = fixed::ray_mul(scaled, normalized);

            const U256 nft_price = u256((*collection.price)[0]);
            const U256 reserve_price = u256((*reserve.price)[0]);
            const U256 nft_config = u256(list((*collection.config)[0])[0]);
            const std::uint64_t threshold = ((nft_config / pow2(16)) % U256(65536)).to_u64().value_or(0);
            const U256 unit = pow10(decimals);
            const U256 collateral = nft_price * unit / reserve_price;

            position.collateral_value = collateral;
            position.price = nft_price;
            position.debt = debt;
            position.state = state == kStateActive ? PositionState::Active : PositionState::Auction;
            if (state == kStateAuction) {
                // getNftAuctionEndTime's arithmetic: the first bid's time plus the hours in the NFT configuration.
                const std::uint64_t bid_start = u256(fields[7]).to_u64().value_or(0);
                const std::uint64_t redeem_hours = ((nft_config / pow2(64)) % U256(256)).to_u64().value_or(0);
                const std::uint64_t auction_hours = ((nft_config / pow2(72)) % U256(256)).to_u64().value_or(0);
                position.redeem_ends_at = bid_start + redeem_hours * 3600;
                position.auction_ends_at = bid_start + auction_hours * 3600;
            }
            // BendDAO answers 0 for a loan in auction; so do we.
            position.health_factor = state != kStateActive ? U256(0) : pool_loan_health(collateral, threshold, debt);
            // The floor at which the health factor reaches 1: debt / threshold, back in ETH.
            position.liquidation_price = pool_loan_liquidation_price(debt, threshold, reserve_price, unit);
            position.cost_per_day = fixed::signed_of(pool_loan_cost_per_day(debt, rate));
            const std::uint64_t updated = u256((*collection.updated)[0]).to_u64().value_or(0);
            position.price_age_seconds = block.timestamp > updated ? block.timestamp - updated : 0;
            // BendDAO's staleness is a flag its admin raises (borrowing stops), not an age: the age is shown beside it.
            position.price_stale = boolean((*collection.stale)[0]);
            positions.push_back(std::move(position));
        }
        return positions;
    }

    static U256 pow2(unsigned bits) { return *U256::from_hex("0x1" + std::string(bits / 4, '0')); }
    static U256 pow10(unsigned digits) { return *U256::from_dec("1" + std::string(digits, '0')); }

    /// LendPoolLoan (on the devnet the pool answers its getters itself).
    Address m_pool, m_loans, m_nft_oracle, m_reserve_oracle;
};

}  // namespace

std::unique_ptr<Adapter> make_pool_loan_adapter(const Registry& registry)
{
    auto pool = registry.contract("BendLendPool");
    auto nft_oracle = registry.contract("NFTOracle");
    auto reserve_oracle = registry.contract("BendReserveOracle");
    if (!pool || !nft_oracle || !reserve_oracle) return nullptr;
    return std::make_unique<PoolLoanAdapter>(*pool, registry.contract("BendLendPoolLoan").value_or(*pool), *nft_oracle, *reserve_oracle);
}

}  // namespace nftterm::protocols::positions
