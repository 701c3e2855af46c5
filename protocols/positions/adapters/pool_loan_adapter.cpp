#include "../adapter.hpp"
#include "../fixed_point.hpp"
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
constexpr const char* kReserveTypes = "(((uint256),uint128,uint128,uint128,uint128,uint40,address,address,address,uint8,uint256))";
constexpr std::uint64_t kStateActive = 2;
constexpr std::uint64_t kStateAuction = 3;

/// BendDAO v1 pool loans. Health is recomputed from the loan's scaled debt,
/// the reserve's borrow index and rate, the NFT oracle's floor and the
/// collection's liquidation threshold, exactly as GenericLogic does.
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
        eth::LogFilter filter;
        filter.addresses = {m_pool};
        filter.topics = {{event_topic(kBorrowEvent)}, {}, topics_of(accounts)};
        filter.from_block = from_block;
        filter.to_block = to_block;
        auto logs = eth::get_logs(client, filter);
        if (!logs) return std::unexpected(logs.error());
        std::vector<PositionKey> keys;
        std::set<std::uint64_t> seen;
        for (const auto& log : *logs) {
            // Data: user, amount, nftAsset, nftTokenId, borrowRate, loanId.
            auto data = outputs({true, log.data}, "(address,uint256,address,uint256,uint256,uint256)");
            if (!data || log.topics.size() < 3) continue;
            const std::uint64_t loan = u256((*data)[5]).to_u64().value_or(0);
            if (!seen.insert(loan).second) continue;
            PositionKey key{Protocol::BendDao, address_of_topic(log.topics[2]), m_pool, address((*data)[2]), u256((*data)[3]), loan, {}};
            key.asset = address_of_topic(log.topics[1]);
            keys.push_back(key);
        }
        return keys;
    }

    std::vector<eth::ReadCall> plan(const std::vector<PositionKey>& keys) const override
    {
        const Layout layout(keys);
        std::vector<eth::ReadCall> calls;
        for (const auto& reserve : layout.reserves) {
            calls.push_back(read_call(m_pool, "getReserveData(address)", {value(reserve)}));
            calls.push_back(read_call(m_reserve_oracle, "getAssetPrice(address)", {value(reserve)}));
        }
        for (const auto& nft : layout.collections) {
            calls.push_back(read_call(m_nft_oracle, "getAssetPrice(address)", {value(nft)}));
            calls.push_back(read_call(m_nft_oracle, "getLatestTimestamp(address)", {value(nft)}));
            calls.push_back(read_call(m_pool, "getNftConfiguration(address)", {value(nft)}));
        }
        calls.push_back(read_call(m_nft_oracle, "stalePeriod()"));
        for (const auto& key : keys) calls.push_back(read_call(m_loans, "getLoan(uint256)", {value(key.loan)}));
        return calls;
    }

    std::vector<Position> decode(const std::vector<PositionKey>& keys, std::span<const eth::ReadResult> results,
                                 const eth::BlockHeader& block) const override
    {
        const Layout layout(keys);
        std::size_t at = 0;
        struct ReserveState {
            std::optional<std::vector<abi::Value>> data, price;
        };
        std::map<Address, ReserveState> reserves;
        for (const auto& reserve : layout.reserves) {
            reserves[reserve] = {outputs(results[at], kReserveTypes), outputs(results[at + 1], "(uint256)")};
            at += 2;
        }
        struct CollectionState {
            std::optional<std::vector<abi::Value>> price, updated, config;
        };
        std::map<Address, CollectionState> collections;
        for (const auto& nft : layout.collections) {
            collections[nft] = {outputs(results[at], "(uint256)"), outputs(results[at + 1], "(uint256)"), outputs(results[at + 2], "((uint256))")};
            at += 3;
        }
        const auto stale_period = outputs(results[at++], "(uint256)");

        std::vector<Position> positions;
        for (const auto& key : keys) {
            const auto loan = outputs(results[at++], kPoolLoanTypes);
            Position position;
            position.key = key;
            position.collection = key.market;
            position.token_id = key.number;
            position.currency = key.asset;
            position.price_source = "NFTOracle";
            position.price_block = block.number;
            const auto& reserve = reserves[key.asset];
            const auto& collection = collections[key.market];
            if (!loan || !reserve.data || !reserve.price || !collection.price || !collection.updated || !collection.config) {
                position.readable = false;
                position.unreadable_reason = "a read of the pool, its oracles or the loan failed at block " + std::to_string(block.number);
                positions.push_back(std::move(position));
                continue;
            }
            const auto& fields = list((*loan)[0]);
            const std::uint64_t state = u256(fields[1]).to_u64().value_or(0);
            // Repaid or liquidated loans are over; a loan now owned by someone else is not ours.
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
            // BendDAO answers 0 for a loan in auction; so do we.
            position.health_factor = state != kStateActive ? U256(0)
                                     : debt == U256(0)      ? U256::max()
                                                            : fixed::wad_div(fixed::percent_mul(collateral, threshold), debt);
            // The floor at which the health factor reaches 1: debt / threshold, back in ETH.
            if (threshold > 0 && debt > U256(0))
                position.liquidation_price = *U256::mul_div(debt * U256(10000) / U256(threshold), reserve_price, unit);
            position.cost_per_day = fixed::signed_of(*U256::mul_div(debt, rate, fixed::ray()) / U256(365));
            const std::uint64_t updated = u256((*collection.updated)[0]).to_u64().value_or(0);
            position.price_age_seconds = block.timestamp > updated ? block.timestamp - updated : 0;
            position.price_stale = stale_period && U256(position.price_age_seconds) > u256((*stale_period)[0]);
            positions.push_back(std::move(position));
        }
        return positions;
    }

private:
    /// Which shared reads a set of keys needs, in a fixed order.
    struct Layout {
        explicit Layout(const std::vector<PositionKey>& keys)
        {
            std::set<Address> r, c;
            for (const auto& key : keys) {
                if (r.insert(key.asset).second) reserves.push_back(key.asset);
                if (c.insert(key.market).second) collections.push_back(key.market);
            }
        }
        std::vector<Address> reserves;
        std::vector<Address> collections;
    };

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
