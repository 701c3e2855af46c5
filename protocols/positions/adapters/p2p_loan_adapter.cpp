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

constexpr const char* kLoanStarted =
    "LoanStarted(uint32,address,address,(uint256,uint256,uint256,address,uint32,uint16,uint16,address,uint64,address,address),(address,uint16,uint16))";
constexpr const char* kP2pLoanTypes = "(uint256,uint256,uint256,address,uint32,uint16,uint16,address,uint64,address,address)";

/// NFTfi v2 fixed-term loans the account borrowed: the fixed payoff owed,
/// the maturity, and the collateral at the oracle floor where there is one.
class P2pLoanAdapter final : public Adapter {
public:
    P2pLoanAdapter(Address loans, std::optional<Address> nft_oracle, std::optional<Address> weth, std::map<Address, std::string> token_names)
        : m_loans(loans), m_nft_oracle(nft_oracle), m_weth(weth), m_token_names(std::move(token_names))
    {
    }

    Protocol protocol() const override { return Protocol::Nftfi; }
    bool owns(const PositionKey& key) const override { return key.protocol == Protocol::Nftfi && key.contract == m_loans; }

    Result<std::vector<PositionKey>> discover(eth::RpcClient& client, const std::vector<Address>& accounts, std::uint64_t from_block,
                                              std::uint64_t to_block) const override
    {
        // LoanStarted(loanId indexed, borrower indexed, …).
        auto logs = event_logs(client, m_loans, kLoanStarted, 2, accounts, from_block, to_block);
        if (!logs) return std::unexpected(logs.error());
        std::vector<PositionKey> keys;
        for (const auto& log : *logs) {
            auto id = U256::from_be(log.topics[1].view());
            if (id) keys.push_back({Protocol::Nftfi, address_of_topic(log.topics[2]), m_loans, {}, *id, 0, {}});
        }
        return keys;
    }

    PositionDecoder plan(const std::vector<PositionKey>& keys, ReadPlan& reads) const override
    {
        struct LoanReads {
            ReadSlot loan, over;
        };
        std::vector<LoanReads> loans;
        for (const auto& key : keys)
            loans.push_back({reads.add(m_loans, "loanIdToLoan(uint32)", {value(key.number)}),
                             reads.add(m_loans, "loanRepaidOrLiquidated(uint32)", {value(key.number)})});
        // The collection is only known from the loan itself, so every collection the oracle knows of is read (a handful).
        std::map<Address, std::pair<ReadSlot, ReadSlot>> floors;
        if (m_nft_oracle)
            for (const auto& collection : m_collections)
                floors[collection] = {reads.add(*m_nft_oracle, "getAssetPrice(address)", {value(collection)}),
                                      reads.add(*m_nft_oracle, "getLatestTimestamp(address)", {value(collection)})};
        // The decoder may outlive the adapter (a plan is kept and run later): it holds what it needs by value.
        return [weth = m_weth, names = m_token_names, keys, loans = std::move(loans), floors = std::move(floors)](const ReadResults& results,
                                                                                                                const eth::BlockHeader& block) {
            // A floor that cannot be read leaves its loans readable, without a collateral value.
            std::map<Address, Floor> floor_at;
            for (const auto& [collection, slots] : floors) {
                const auto price = results.get(slots.first, "(uint256)");
                const auto updated = results.get(slots.second, "(uint256)");
                if (price && updated) floor_at[collection] = {u256((*price)[0]), u256((*updated)[0]).to_u64().value_or(0)};
            }
            std::vector<Position> positions;
            for (std::size_t i = 0; i < keys.size(); ++i)
                if (auto position = decode_loan(keys[i], results, loans[i].loan, loans[i].over, floor_at, block)) {
                    mark_unpriced(*position, weth, names);
                    positions.push_back(std::move(*position));
                }
            return positions;
        };
    }

    void set_collections(std::vector<Address> collections) { m_collections = std::move(collections); }

private:
    struct Floor {
        U256 price;
        std::uint64_t updated = 0;
    };

    /// The loan as the block shows it; nothing once it is repaid or foreclosed.
    static std::optional<Position> decode_loan(const PositionKey& key, const ReadResults& results, ReadSlot loan_slot, ReadSlot over_slot,
                                               const std::map<Address, Floor>& floors, const eth::BlockHeader& block)
    {
        const auto loan = results.get(loan_slot, kP2pLoanTypes);
        const auto over = results.get(over_slot, "(bool)");
        Position position;
        position.key = key;
        position.price_block = block.number;
        if (auto why = first_failure(loan, over); !why.empty()) {
            position.readable = false;
            position.unreadable_reason = std::move(why);
            return position;
        }
        if (boolean((*over)[0])) return std::nullopt;  // repaid or foreclosed
        const U256 principal = u256((*loan)[0]);
        const U256 payoff = u256((*loan)[1]);
        const std::uint64_t duration = u256((*loan)[4]).to_u64().value_or(0);
        const std::uint64_t start = u256((*loan)[8]).to_u64().value_or(0);
        position.collection = address((*loan)[9]);
        position.token_id = u256((*loan)[2]);
        position.currency = address((*loan)[3]);
        position.debt = payoff;
        position.maturity = start + duration;
        position.state = block.timestamp > *position.maturity ? PositionState::Overdue : PositionState::Active;
        if (duration > 0) position.cost_per_day = fixed::signed_of(*U256::mul_div(payoff - principal, U256(86400), U256(duration)));
        if (const auto floor = floors.find(position.collection); floor != floors.end()) {
            position.collateral_value = floor->second.price;
            position.price = floor->second.price;
            position.price_source = "NFTOracle";
            position.price_age_seconds = block.timestamp > floor->second.updated ? block.timestamp - floor->second.updated : 0;
        }
        return position;
    }

    /// The floor is in ETH: a loan in another currency (DAI, USDC) cannot be
    /// set against it without a price the registry does not name.
    static void mark_unpriced(Position& position, const std::optional<Address>& weth, const std::map<Address, std::string>& token_names)
    {
        if (!position.readable || !weth || position.currency == *weth) return;
        const auto name = token_names.find(position.currency);
        const std::string currency = name != token_names.end() ? name->second : position.currency.to_hex();
        position.unpriced = "the loan is in " + currency + " and the registry names no " + currency +
                            "/ETH price: its collateral (an NFT priced in ETH) is not valued against the debt";
        position.collateral_value = U256();
    }

    Address m_loans;
    std::optional<Address> m_nft_oracle;
    std::optional<Address> m_weth;
    std::map<Address, std::string> m_token_names;
    std::vector<Address> m_collections;
};

}  // namespace

std::vector<std::unique_ptr<Adapter>> make_p2p_loan_adapters(const Registry& registry)
{
    // Every NFTfi loan contract the registry lists (v2.3 offers and collection offers, v2.0 with its
    // loans still open…): they share LoanStarted, loanIdToLoan and the loan's fields.
    std::vector<std::unique_ptr<Adapter>> adapters;
    std::map<Address, std::string> token_names;
    for (const auto& [name, address] : registry.contracts) token_names.emplace(address, name);
    std::vector<Address> collections;
    for (const auto& [symbol, amm] : registry.amms)
        if (auto address = registry.contract(symbol)) collections.push_back(*address);
    for (const auto& [name, loans] : registry.contracts) {
        if (!name.starts_with("NFTfiDirectLoan")) continue;
        auto adapter = std::make_unique<P2pLoanAdapter>(loans, registry.contract("NFTOracle"), registry.contract("WETH9"), token_names);
        adapter->set_collections(collections);
        adapters.push_back(std::move(adapter));
    }
    return adapters;
}

std::vector<std::unique_ptr<Adapter>> make_adapters(const Registry& registry)
{
    auto adapters = make_p2p_loan_adapters(registry);
    for (auto make : {&make_pool_loan_adapter, &make_amm_pool_adapter, &make_perp_adapter})
        if (auto adapter = make(registry)) adapters.push_back(std::move(adapter));
    return adapters;
}

}  // namespace nftterm::protocols::positions
