#include "../support/demo_world_fixture.hpp"
#include "../support/verify_ok.hpp"

#include <protocols/devnet/market_simulator.hpp>
#include <protocols/eth/multicall.hpp>
#include <protocols/eth/rpc/eth_api.hpp>
#include <protocols/positions/curve_math.hpp>
#include <protocols/positions/fixed_point.hpp>
#include <protocols/positions/monitor.hpp>
#include <protocols/positions/position_json.hpp>
#include <protocols/positions/snapshot_diff.hpp>
#include <protocols/risk/stress.hpp>
#include <protocols/nftfi/offer_signing.hpp>
#include <wallet/crypto/secp256k1.hpp>
#include <wallet/messages/eip191.hpp>

#include <QTest>

#include "../support/test_registry.hpp"

#include <unistd.h>

using namespace nftterm;
using namespace nftterm::protocols;
using namespace nftterm::protocols::positions;
using wallet::Address;
using wallet::U256;

namespace {

std::string q(const Address& address)
{
    return "\"" + address.to_hex() + "\"";
}

U256 u(const nlohmann::json& value)
{
    return *U256::from_dec(value.get<std::string>());
}

}  // namespace

/// The adapters against the contracts' own views: for randomized devnet
/// states (several seeds, after simulator steps and time passing), every
/// figure the terminal computes equals what the contract answers.
class PositionsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        m_world = std::make_unique<tests::DemoWorldFixture>();
        QVERIFY2(m_world->ready(), m_world->error().c_str());
        m_registry = m_world->registry();
        m_dir = std::filesystem::temp_directory_path() / ("nftterm-positions-test-" + std::to_string(::getpid()));
        std::filesystem::create_directories(m_dir);
    }
    void cleanupTestCase() { std::filesystem::remove_all(m_dir); }
    void init() { m_world->snapshot(); }
    void cleanup() { m_world->revert(); }

    void discoversEveryFamily()
    {
        Monitor monitor(m_world->client(), m_registry, traders());
        VERIFY_OK(monitor.discover());
        auto snapshot = monitor.refresh();
        VERIFY_OK(snapshot);
        std::map<std::string, int> per_protocol;
        for (const auto& position : (*snapshot)->positions) {
            QVERIFY2(position.readable, position.unreadable_reason.c_str());
            ++per_protocol[std::string(to_string(position.key.protocol))];
        }
        QCOMPARE(per_protocol["nftfi"], 9);
        QCOMPARE(per_protocol["benddao"], 9);
        QCOMPARE(per_protocol["sudoswap"], 9);
        QCOMPARE(per_protocol["perp"], 9);
        // One read of everything: a single HTTP request carries the head and the whole Multicall3 batch.
        QCOMPARE((*snapshot)->http_requests, std::size_t(1));
    }

    void diffListsWhatChanged()
    {
        Monitor monitor(m_world->client(), m_registry, traders());
        VERIFY_OK(monitor.discover());
        auto first = monitor.refresh();
        VERIFY_OK(first);
        const auto all = diff_snapshots(nullptr, **first);
        QCOMPARE(all.size(), (*first)->positions.size());
        for (const auto& change : all) QVERIFY(change.kind == PositionChange::Kind::Added);
        auto same = monitor.refresh();  // the same block: nothing moved
        VERIFY_OK(same);
        QVERIFY(diff_snapshots(first->get(), **same).empty());

        // DAPE falls 10 %: its pool loans are worth less; the other collections are not.
        const Address dape = m_world->contract("DAPE");
        const U256 price = m_world->read_u256(m_world->contract("NFTOracle"), "getAssetPrice(address)", "[" + q(dape) + "]");
        VERIFY_OK(m_world->send("deployer", m_world->contract("NFTOracle"), "setAssetData(address,uint256)",
                                "[" + q(dape) + ",\"" + (price / U256(10) * U256(9)).to_dec() + "\"]"));
        auto moved = monitor.refresh();
        VERIFY_OK(moved);
        const auto changes = diff_snapshots(same->get(), **moved);
        int dape_loans = 0;
        for (const auto& change : changes) {
            QVERIFY(change.kind == PositionChange::Kind::Changed);
            const auto& position = (*moved)->positions[*change.after_index];
            QCOMPARE(position.key.id(), change.id);
            const bool value_moved = change.fields.contains(PositionField::CollateralValue);
            if (position.key.protocol == Protocol::BendDao) {
                QCOMPARE(value_moved, position.collection == dape);
                if (position.collection == dape) {
                    QVERIFY(change.fields.contains(PositionField::HealthFactor));
                    ++dape_loans;
                }
            }
        }
        QCOMPARE(dape_loans, 3);

        // The JSON names each changed figure as its position objects do, from the one table.
        const auto document = nlohmann::json::parse(snapshot_to_json(**moved, m_registry, -1, &changes));
        QVERIFY(!document["changes"].empty());
        for (const auto& position : document["positions"])
            for (std::size_t i = 0; i < kPositionFieldCount; ++i)
                QVERIFY2(position.contains(std::string(json_name(static_cast<PositionField>(i)))), json_name(static_cast<PositionField>(i)).data());
        for (const auto& change : document["changes"])
            for (const auto& name : change["fields"]) QVERIFY(parse_position_field(name.get<std::string>()));

        // A position that is gone is listed as removed.
        Snapshot fewer = **moved;
        const std::string last = fewer.positions.back().key.id();
        fewer.positions.pop_back();
        const auto gone = diff_snapshots(moved->get(), fewer);
        QCOMPARE(gone.size(), std::size_t(1));
        QVERIFY(gone.front().kind == PositionChange::Kind::Removed);
        QCOMPARE(gone.front().id, last);
        QVERIFY(!gone.front().after_index.has_value());
    }

    void aFailingReadMarksOnlyItsPosition()
    {
        Monitor monitor(m_world->client(), m_registry, traders());
        VERIFY_OK(monitor.discover());
        // One of alice's pools now reverts every call.
        const auto& pairs = m_world->manifest().pairs;
        const auto broken = std::find_if(pairs.begin(), pairs.end(), [&](const auto& p) { return p.owner == m_world->address_of("alice"); });
        QVERIFY(broken != pairs.end());
        QVERIFY(m_world->client().call("anvil_setCode", "[" + q(broken->pair) + ",\"0x60006000fd\"]").has_value());
        auto snapshot = monitor.refresh();
        VERIFY_OK(snapshot);
        int unreadable = 0, readable = 0;
        for (const auto& position : (*snapshot)->positions) {
            if (position.readable) {
                ++readable;
                continue;
            }
            ++unreadable;
            QCOMPARE(position.key.contract, broken->pair);
            // In words: which read, on which contract, what happened, at which block.
            QVERIFY2(position.unreadable_reason.find("spotPrice() on " + broken->pair.to_hex() + " reverted at block ") == 0,
                     position.unreadable_reason.c_str());
        }
        QCOMPARE(unreadable, 1);
        QCOMPARE(readable, 35);
    }

    void aShortAnswerMarksOnlyThePositionsItLacks()
    {
        // The adapters' reads, answered by the node, then cut short as a node that drops the end of its answer would.
        const auto head = eth::get_block(m_world->client(), eth::BlockTag::latest());
        VERIFY_OK(head);
        ReadPlan reads;
        std::vector<PositionDecoder> decoders;
        for (const auto& adapter : make_adapters(m_registry)) {
            auto keys = adapter->discover(m_world->client(), traders(), m_registry.start_block, head->number);
            VERIFY_OK(keys);
            decoders.push_back(adapter->plan(*keys, reads));
        }
        QVERIFY(reads.requested() > reads.size());  // shared reads (oracles, reserves) went out once
        auto answered = eth::multicall(m_world->client(), reads.calls(), eth::BlockTag::number(head->number));
        VERIFY_OK(answered);
        QCOMPARE(answered->size(), reads.size());
        const auto decode_all = [&](std::span<const eth::ReadResult> answer) {
            const ReadResults results(reads, answer, head->number);
            std::vector<Position> out;
            for (const auto& decode : decoders)
                for (auto& position : decode(results, *head)) out.push_back(std::move(position));
            return out;
        };
        const auto full = decode_all(*answered);
        QCOMPARE(full.size(), std::size_t(36));
        for (const auto& position : full) QVERIFY2(position.readable, position.unreadable_reason.c_str());

        // The last reads are the perps' own (three each): losing seven loses three perps, nothing else.
        const auto cut = decode_all(std::span<const eth::ReadResult>(answered->data(), answered->size() - 7));
        QCOMPARE(cut.size(), full.size());
        int unreadable = 0;
        for (std::size_t i = 0; i < cut.size(); ++i) {
            QCOMPARE(cut[i].key, full[i].key);
            if (cut[i].readable) {
                QVERIFY(cut[i].collateral_value == full[i].collateral_value && cut[i].debt == full[i].debt
                        && cut[i].health_factor == full[i].health_factor && cut[i].margin_ratio == full[i].margin_ratio);
                continue;
            }
            ++unreadable;
            QVERIFY(cut[i].key.protocol == Protocol::Perp);
            QVERIFY2(cut[i].unreadable_reason.find("the node's answer has no result for ") == 0, cut[i].unreadable_reason.c_str());
            QVERIFY2(cut[i].unreadable_reason.find(" reads answered)") != std::string::npos, cut[i].unreadable_reason.c_str());
        }
        QCOMPARE(unreadable, 3);
    }

    void aReadPlanSendsEachCallOnceAndChecksTheCount()
    {
        ReadPlan reads;
        const Address pool = m_world->contract("BendLendPool");
        const auto first = reads.add(pool, "getReserveData(address)", {abi::Value{m_world->contract("WETH9")}});
        const auto again = reads.add(pool, "getReserveData(address)", {abi::Value{m_world->contract("WETH9")}});
        const auto other = reads.add(m_world->contract("NFTOracle"), "twapInterval()");
        QVERIFY(first == again);
        QVERIFY(!(first == other));
        QCOMPARE(reads.size(), std::size_t(2));
        QCOMPARE(reads.requested(), std::size_t(3));
        const std::vector<eth::ReadResult> one{{true, wallet::Bytes(32, 0)}};
        const ReadResults results(reads, one, 7);
        QVERIFY(!results.complete());
        QVERIFY(results.get(first, "(uint256)").has_value());
        const auto missing = results.get(other, "(uint256)");
        QVERIFY(!missing);
        QCOMPARE(missing.error().context, "the node's answer has no result for twapInterval() on " + m_world->contract("NFTOracle").to_hex() +
                                              " at block 7 (1 of 2 reads answered)");
        const auto wrong = results.get(first, "(uint256,uint256)");
        QVERIFY(!wrong);
        QVERIFY2(wrong.error().context.find("answered 32 bytes that are not (uint256,uint256) at block 7") != std::string::npos, wrong.error().context.c_str());
    }

    void aPriceTheOracleFlagsStaleIsMarkedStaleWhateverItsAge()
    {
        // BendDAO's NFTOracle has no stale period: its admin flags a price (isPriceStale), and borrowing stops.
        Monitor monitor(m_world->client(), m_registry, traders());
        VERIFY_OK(monitor.discover());
        m_world->advance(2 * 24 * 3600);
        auto old = monitor.refresh();
        VERIFY_OK(old);
        int bend = 0;
        for (const auto& position : (*old)->positions) {
            if (position.key.protocol != Protocol::BendDao) continue;
            QVERIFY2(!position.price_stale, "two days old but not flagged: not stale");
            QVERIFY(position.price_age_seconds >= 2 * 24 * 3600);
            ++bend;
        }
        QCOMPARE(bend, 9);
        const Address dape = m_world->contract("DAPE");
        VERIFY_OK(m_world->send("deployer", m_world->contract("NFTOracle"), "setPriceStale(address[],bool)", "[[" + q(dape) + "],true]"));
        auto flagged = monitor.refresh();
        VERIFY_OK(flagged);
        int stale = 0;
        for (const auto& position : (*flagged)->positions) {
            if (position.key.protocol != Protocol::BendDao) continue;
            QCOMPARE(position.price_stale, position.collection == dape);
            stale += position.price_stale;
        }
        QVERIFY(stale > 0);
        // A collection the oracle does not list has no price, and says why.
        const auto unlisted = m_world->read(m_world->contract("NFTOracle"), "getAssetPrice(address)", "[" + q(m_world->address_of("keeper")) + "]", "(uint256)");
        QVERIFY(!unlisted);
        QVERIFY2(unlisted.error().message().find("NFTOracle: key not existed") != std::string::npos, unlisted.error().message().c_str());
    }

    void collectionOfferLoansAreFoundAndAStablecoinLoanIsUnpriced()
    {
        // NFTfi v2.3 collection offers: signed for nftCollateralId 0, accepted for a named NFT, in their own contract.
        const Address loans = m_world->contract("NFTfiDirectLoanFixedCollectionOffer");
        const Address dape = m_world->contract("DAPE");
        const Address alice = m_world->address_of("alice");
        for (const char* id : {"901", "902"})
            VERIFY_OK(m_world->send("deployer", dape, "mint(address,uint256)", "[" + q(alice) + ",\"" + id + "\"]"));
        VERIFY_OK(m_world->send("alice", dape, "setApprovalForAll(address,bool)", "[" + q(loans) + ",true]"));
        const auto accept = [&](const Address& currency, const U256& principal, std::uint64_t nonce, std::uint64_t nft_id, const char* function) {
            nftfi::Offer offer;
            offer.principal = principal;
            offer.maximum_repayment = principal / U256(100) * U256(105);
            offer.nft_contract = dape;
            offer.duration_seconds = 7 * 86400;
            offer.admin_fee_bps = 25;
            offer.currency = currency;
            const auto& lender = m_world->actor("lender-1");
            const U256 expiry(4000000000ULL);
            const auto message = nftfi::offer_message(offer, lender.account.address, U256(nonce), expiry, loans, m_world->manifest().chain_id);
            const auto signature = wallet::sign_digest(lender.key, wallet::personal_message_digest(message.view())).to_rsv();
            return m_world->send("alice", loans, std::string(function) + "((uint256,uint256,uint256,address,uint32,uint16,address,address),(uint256,uint256,address,bytes),(address,uint16))",
                                 "[[\"" + offer.principal.to_dec() + "\",\"" + offer.maximum_repayment.to_dec() + "\",\"" + std::to_string(nft_id) + "\"," + q(dape) +
                                     ",\"604800\",\"25\"," + q(currency) + "," + q(Address()) + "],[\"" + std::to_string(nonce) + "\",\"4000000000\"," +
                                     q(lender.account.address) + ",\"" + wallet::to_hex(signature.view()) + "\"],[" + q(Address()) + ",\"0\"]]");
        };
        const auto only_collection = accept(m_world->contract("WETH9"), tests::wad("1"), 1, 901, "acceptOffer");
        QVERIFY(!only_collection);
        QVERIFY2(only_collection.error().message().find("not implemented") != std::string::npos, only_collection.error().message().c_str());
        VERIFY_OK(accept(m_world->contract("WETH9"), tests::wad("1"), 1, 901, "acceptCollectionOffer"));
        VERIFY_OK(accept(m_world->contract("dUSD"), U256(1000000000), 2, 902, "acceptCollectionOffer"));  // 1,000 dUSD (6 decimals)

        Monitor monitor(m_world->client(), m_registry, traders());
        VERIFY_OK(monitor.discover());
        auto snapshot = monitor.refresh();
        VERIFY_OK(snapshot);
        const U256 floor = m_world->read_u256(m_world->contract("NFTOracle"), "getAssetPrice(address)", "[" + q(dape) + "]");
        int found = 0;
        for (const auto& position : (*snapshot)->positions) {
            if (position.key.contract != loans) continue;
            ++found;
            auto loan = m_world->read(loans, "loanIdToLoan(uint32)", "[\"" + position.key.number.to_dec() + "\"]",
                                      "(uint256,uint256,uint256,address,uint32,uint16,uint16,address,uint64,address,address)");
            VERIFY_OK(loan);
            QCOMPARE(position.debt, u((*loan)[1]));
            QCOMPARE(position.key.account, alice);
            if (*position.token_id == U256(901)) {
                QVERIFY(position.unpriced.empty());
                QCOMPARE(position.collateral_value, floor);
            } else {
                QCOMPARE(*position.token_id, U256(902));
                QCOMPARE(position.currency, m_world->contract("dUSD"));
                QVERIFY2(position.unpriced.find("dUSD") != std::string::npos, position.unpriced.c_str());
                QCOMPARE(position.collateral_value, U256());
                QCOMPARE(*position.price, floor);  // the floor is still shown, in ETH
            }
        }
        QCOMPARE(found, 2);
        // The portfolio's ETH totals leave the dUSD loan out, and say so.
        const auto summary = risk::summarize(**snapshot);
        QCOMPARE(summary.unpriced, std::size_t(1));
    }

    void erc20PairsAreReadInTheirToken()
    {
        // sudoswap v1 ERC-20 pairs come from the same factory and NewPair event as ETH pairs.
        const Address factory = m_world->contract("SudoPairFactory"), dape = m_world->contract("DAPE");
        const Address weth = m_world->contract("WETH9"), usd = m_world->contract("dUSD");
        const Address alice = m_world->address_of("alice");
        for (const char* id : {"911", "912"})
            VERIFY_OK(m_world->send("deployer", dape, "mint(address,uint256)", "[" + q(alice) + ",\"" + id + "\"]"));
        VERIFY_OK(m_world->send("deployer", usd, "mint(address,uint256)", "[" + q(alice) + ",\"5000000000\"]"));
        VERIFY_OK(m_world->send("alice", dape, "setApprovalForAll(address,bool)", "[" + q(factory) + ",true]"));
        for (const auto& token : {weth, usd})
            VERIFY_OK(m_world->send("alice", token, "approve(address,uint256)", "[" + q(factory) + ",\"" + U256::max().to_dec() + "\"]"));
        const auto create = [&](const Address& token, const char* id, const char* balance) {
            return m_world->send("alice", factory,
                                 "createPairERC20((address,address,address,address,uint8,uint128,uint96,uint128,uint256[],uint256))",
                                 "[[" + q(token) + "," + q(dape) + "," + q(m_world->contract("SudoLinearCurve")) + "," + q(Address()) +
                                     ",\"2\",\"10000000000000000\",\"0\",\"1000000000000000000\",[\"" + id + "\"],\"" + balance + "\"]]");
        };
        VERIFY_OK(create(weth, "911", "2000000000000000000"));  // 2 WETH
        VERIFY_OK(create(usd, "912", "3000000000"));            // 3,000 dUSD

        Monitor monitor(m_world->client(), m_registry, traders());
        VERIFY_OK(monitor.discover());
        auto snapshot = monitor.refresh();
        VERIFY_OK(snapshot);
        const U256 floor = m_world->read_u256(m_world->contract("NFTOracle"), "getAssetPrice(address)", "[" + q(dape) + "]");
        int found = 0;
        for (const auto& position : (*snapshot)->positions) {
            if (position.key.protocol != Protocol::Sudoswap || position.key.asset == Address()) continue;
            ++found;
            QCOMPARE(position.key.account, alice);
            QCOMPARE(position.currency, position.key.asset);
            QCOMPARE(m_world->read(position.key.contract, "token()", "[]", "(address)")->at(0).get<std::string>(), position.key.asset.to_hex());
            const U256 balance = m_world->read_u256(position.key.asset, "balanceOf(address)", "[" + q(position.key.contract) + "]");
            if (position.key.asset == weth) {
                // WETH is ETH: the pool's token plus its NFT at the floor.
                QCOMPARE(balance, tests::wad("2"));
                QVERIFY(position.unpriced.empty());
                QCOMPARE(position.collateral_value, balance + floor);
            } else {
                QCOMPARE(position.key.asset, usd);
                QCOMPARE(balance, U256(3000000000ULL));
                QVERIFY2(position.unpriced.find("dUSD") != std::string::npos, position.unpriced.c_str());
                QCOMPARE(position.collateral_value, U256());
            }
            QVERIFY(!position.pnl);  // the ledgers follow ETH only
        }
        QCOMPARE(found, 2);
        // Neither quotes in ETH: the market's order book and tape leave them out.
        for (const auto& pair : monitor.market().tape()->pairs())
            for (const auto& position : (*snapshot)->positions)
                if (position.key.asset != Address()) QVERIFY(pair.pair != position.key.contract);
    }

    void anUnknownAccountHasNoPositions()
    {
        Monitor monitor(m_world->client(), m_registry, {m_world->address_of("keeper")});
        VERIFY_OK(monitor.discover());
        auto snapshot = monitor.refresh();
        VERIFY_OK(snapshot);
        QCOMPARE((*snapshot)->positions.size(), std::size_t(0));
    }

    void stressTableMatchesTheChainUnderTheShock()
    {
        Monitor monitor(m_world->client(), m_registry, traders());
        VERIFY_OK(monitor.discover());
        auto snapshot = monitor.refresh();
        VERIFY_OK(snapshot);
        const auto rows = risk::stress(**snapshot);
        QCOMPARE(rows.size(), std::size_t(3));
        for (std::size_t r = 0; r < rows.size(); ++r) {
            const auto& row = rows[r];
            QVERIFY(!row.loss.negative && row.loss.magnitude > U256(0));
            if (r > 0) {
                QVERIFY(rows[r - 1].loss.magnitude < row.loss.magnitude);
                QVERIFY(rows[r - 1].liquidated.size() <= row.liquidated.size());
            }
            // Put the shock on chain: every floor down by the shock. A pool loan is in the table's
            // liquidated list exactly when the pool itself then reports a health factor below 1.
            m_world->snapshot();
            for (const auto& [symbol, amm] : m_world->manifest().amms) {
                const Address collection = m_world->contract(symbol);
                const U256 price = m_world->read_u256(m_world->contract("NFTOracle"), "getAssetPrice(address)", "[" + q(collection) + "]");
                VERIFY_OK(m_world->send("deployer", m_world->contract("NFTOracle"), "setAssetData(address,uint256)",
                                        "[" + q(collection) + "," + tests::dec(price * U256(100 - row.shock_percent) / U256(100)) + "]"));
            }
            int liquidatable = 0;
            for (const auto& position : (*snapshot)->positions) {
                if (position.key.protocol != Protocol::BendDao || position.state != PositionState::Active) continue;
                auto view = m_world->read(position.key.contract, "getNftDebtData(address,uint256)",
                                          "[" + q(position.collection) + "," + tests::dec(*position.token_id) + "]",
                                          "(uint256,address,uint256,uint256,uint256,uint256)");
                VERIFY_OK(view);
                const bool below_one = u((*view)[5]) < fixed::wad();
                const bool listed = std::find(row.liquidated.begin(), row.liquidated.end(), position.key.id()) != row.liquidated.end();
                QVERIFY2(below_one == listed, (position.key.id() + " at -" + std::to_string(row.shock_percent) + "%").c_str());
                liquidatable += below_one;
            }
            m_world->revert();
            if (row.shock_percent == 50) QVERIFY(liquidatable > 0);
        }
        const auto summary = risk::summarize(**snapshot);
        QVERIFY(summary.worst_health_factor.has_value() && *summary.worst_health_factor < *summary.weighted_health_factor);
        QVERIFY(summary.total_debt > U256(0) && summary.total_collateral > summary.total_debt);
    }

    void figuresEqualTheContractsViewsAcrossRandomStates()
    {
        for (std::uint64_t seed : {1u, 2u, 3u, 4u}) {
            m_world->snapshot();
            auto simulator = devnet::MarketSimulator::create(m_world->client(), m_world->manifest(), seed, m_dir / ("sim-" + std::to_string(seed) + ".jsonl"));
            VERIFY_OK(simulator);
            for (std::uint64_t step = 0; step < 4 + seed; ++step) {
                VERIFY_OK((*simulator)->step());
                m_world->advance(600 * seed + 37 * step);  // interest accrues, TWAPs move, funding comes due
            }
            Monitor monitor(m_world->client(), m_registry, traders());
            VERIFY_OK(monitor.discover());
            auto snapshot = monitor.refresh();
            VERIFY_OK(snapshot);
            auto head = eth::block_number(m_world->client());
            QCOMPARE(*head, (*snapshot)->block.number);  // the views below read the same block
            m_checked = 0;
            for (const auto& position : (*snapshot)->positions) {
                QVERIFY2(position.readable, position.unreadable_reason.c_str());
                if (position.key.protocol == Protocol::BendDao) check_pool_loan(position);
                if (position.key.protocol == Protocol::Perp) check_perp(position);
                if (position.key.protocol == Protocol::Nftfi) check_p2p_loan(position);
                if (position.key.protocol == Protocol::Sudoswap) check_amm_pool(position);
                if (QTest::currentTestFailed()) return;
            }
            QVERIFY2(m_checked >= 30, std::to_string(m_checked).c_str());
            m_world->revert();
        }
    }

private:
    std::vector<Address> traders() const
    {
        return {m_world->address_of("alice"), m_world->address_of("bob"), m_world->address_of("carol")};
    }

    void check_pool_loan(const Position& position)
    {
        auto view = m_world->read(m_world->contract("BendLendPool"), "getNftDebtData(address,uint256)",
                                  "[" + q(position.collection) + "," + tests::dec(*position.token_id) + "]",
                                  "(uint256,address,uint256,uint256,uint256,uint256)");
        VERIFY_OK(view);
        const std::string what = position.key.id();
        QVERIFY2(u((*view)[2]) == position.collateral_value, what.c_str());
        QVERIFY2(u((*view)[3]) == position.debt, (what + " debt " + position.debt.to_dec() + " vs " + (*view)[3].get<std::string>()).c_str());
        QVERIFY2(u((*view)[5]) == *position.health_factor,
                 (what + " HF " + position.health_factor->to_dec() + " vs " + (*view)[5].get<std::string>()).c_str());
        ++m_checked;
    }

    void check_perp(const Position& position)
    {
        auto view = m_world->read(m_world->contract("PerpClearingHouse"), "getMarginRatio(address,address)",
                                  "[" + q(position.key.market) + "," + q(position.key.account) + "]", "((int256))");
        VERIFY_OK(view);
        const std::string expected = (*view)[0][0].get<std::string>();
        QVERIFY2(fixed::to_string(*position.margin_ratio) == expected,
                 (position.key.id() + " MR " + fixed::to_string(*position.margin_ratio) + " vs " + expected).c_str());
        ++m_checked;
    }

    void check_p2p_loan(const Position& position)
    {
        auto view = m_world->read(position.key.contract, "loanIdToLoan(uint32)", "[" + tests::dec(position.key.number) + "]",
                                  "(uint256,uint256,uint256,address,uint32,uint16,uint16,address,uint64,address,address)");
        VERIFY_OK(view);
        QVERIFY(u((*view)[1]) == position.debt);
        QCOMPARE(*position.maturity, std::stoull((*view)[8].get<std::string>()) + std::stoull((*view)[4].get<std::string>()));
        ++m_checked;
    }

    void check_amm_pool(const Position& position)
    {
        // The pool's own bid and ask, recomputed from its curve, for 1-3 NFTs.
        const Address pair = position.key.contract;
        const Address curve_address = *Address::parse(m_world->read(pair, "bondingCurve()", "[]", "(address)")->at(0).get<std::string>());
        const Curve curve = curve_address == m_world->contract("SudoLinearCurve")        ? Curve::Linear
                            : curve_address == m_world->contract("SudoExponentialCurve") ? Curve::Exponential
                                                                                         : Curve::Xyk;
        const U256 spot = m_world->read_u256(pair, "spotPrice()"), delta = m_world->read_u256(pair, "delta()"), fee = m_world->read_u256(pair, "fee()");
        const U256 protocol_fee = m_world->read_u256(m_world->contract("SudoPairFactory"), "protocolFeeMultiplier()");
        for (std::uint64_t n = 1; n <= 3; ++n) {
            for (bool buy : {true, false}) {
                auto view = m_world->read(pair, buy ? "getBuyNFTQuote(uint256)" : "getSellNFTQuote(uint256)", "[\"" + std::to_string(n) + "\"]",
                                          "(uint8,uint256,uint256,uint256,uint256)");
                VERIFY_OK(view);
                const auto mine = buy ? buy_quote(curve, spot, delta, n, fee, protocol_fee) : sell_quote(curve, spot, delta, n, fee, protocol_fee);
                QCOMPARE(std::to_string(mine.error), (*view)[0].get<std::string>());
                if (mine.error != 0) continue;
                QVERIFY2(mine.amount == u((*view)[3]), (position.key.id() + " amount " + mine.amount.to_dec() + " vs " + (*view)[3].get<std::string>()).c_str());
                QVERIFY(mine.new_spot_price == u((*view)[1]));
                QVERIFY(mine.new_delta == u((*view)[2]));
                QVERIFY(mine.protocol_fee == u((*view)[4]));
            }
        }
        ++m_checked;
    }

    std::unique_ptr<tests::DemoWorldFixture> m_world;
    Registry m_registry;
    std::filesystem::path m_dir;
    int m_checked = 0;
};

NFTTERM_TEST_GUILESS(PositionsTest)
#include "positions_test.moc"
