#include "simulator_state.hpp"

#include <protocols/eth/rpc/eth_api.hpp>

// The AMM pools' flow: an arbitrageur buys every ask under the floor and
// sells into every bid over it (minting what it sells when it holds none:
// the wider market), then trades some noise near the floor. Without it the
// pools' curves drift away from the oracle and exit values stop meaning
// anything.

namespace nftterm::protocols::devnet {

using wallet::Address;
using wallet::U256;
using namespace detail;
using namespace simulator;

namespace {

/// Arbitrage once the best quote is this far through the floor (the pools'
/// fees and the protocol's 0.5 % sit inside it).
constexpr double kArbitrageBand = 0.03;
constexpr int kArbitrageTradesPerStep = 6;
/// Noise trades per collection and hour, buying at most this far over the
/// floor and selling at most this far under it (the pools' bids sit a few
/// percent under it: a narrower band would let noise only buy).
constexpr double kNoiseTradesPerHour = 60;
constexpr double kNoiseBuyBand = 0.05;
constexpr double kNoiseSellBand = 0.08;
const char* const kQuoteTypes = "(uint8,uint256,uint256,uint256,uint256)";

}  // namespace

void MarketSimulator::State::quote_pair(PairQuote& quote)
{
    const SeededPair& pair = *quote.pair;
    quote.ask.reset();
    quote.bid.reset();
    if (pair.pool_type != "TOKEN") {
        auto held = world.read(pair.collection, "balanceOf(address)", "[" + q(pair.pair) + "]", "(uint256)");
        auto ask = world.read(pair.pair, "getBuyNFTQuote(uint256)", "[\"1\"]", kQuoteTypes);
        if (held && ask && u((*held)[0]) > U256(0) && (*ask)[0].get<std::string>() == "0") quote.ask = u((*ask)[3]);
    }
    if (pair.pool_type != "NFT") {
        auto bid = world.read(pair.pair, "getSellNFTQuote(uint256)", "[\"1\"]", kQuoteTypes);
        auto cash = eth::get_balance(world.client(), pair.pair, eth::BlockTag::latest());
        if (bid && cash && (*bid)[0].get<std::string>() == "0" && u((*bid)[3]) + u((*bid)[4]) <= *cash) quote.bid = u((*bid)[3]);
    }
}

std::vector<PairQuote> MarketSimulator::State::quote_pairs(std::size_t collection)
{
    std::vector<PairQuote> quotes;
    for (const auto& pair : pairs) {
        if (pair.collection != collections[collection].second) continue;
        quotes.push_back({&pair, std::nullopt, std::nullopt});
        quote_pair(quotes.back());
    }
    return quotes;
}

bool MarketSimulator::State::buy_from(StepReport& report, std::size_t collection, PairQuote& quote)
{
    const Actor& flow = who("flow");
    const U256 input = *quote.ask;
    auto bought = world.call(flow, quote.pair->pair, "swapTokenForAnyNFTs(uint256,uint256,address,bool,address)",
                             "[\"1\"," + q(input) + "," + q(flow.account.address) + ",false," + q(Address()) + "]", input);
    attempt(report, "buy " + collections[collection].first, bought);
    quote_pair(quote);
    if (bought) ++report.pool_trades;
    return bool(bought);
}

bool MarketSimulator::State::sell_to(StepReport& report, std::size_t collection, PairQuote& quote)
{
    const Actor& flow = who("flow");
    const Address nft = collections[collection].second;
    auto held = world.read(nft, "balanceOf(address)", "[" + q(flow.account.address) + "]", "(uint256)");
    if (!held) return false;
    std::string token;
    if (u((*held)[0]) == U256(0)) {
        auto minted = mint(report, collection, flow);
        if (!minted) return false;
        token = std::to_string(*minted);
    } else {
        auto first = world.read(nft, "tokenOfOwnerByIndex(address,uint256)", "[" + q(flow.account.address) + ",\"0\"]", "(uint256)");
        if (!first) return false;
        token = (*first)[0].get<std::string>();
    }
    approve_nfts(report, flow, nft, quote.pair->pair);
    auto sold = world.call(flow, quote.pair->pair, "swapNFTsForToken(uint256[],uint256,address,bool,address)",
                           "[[\"" + token + "\"]," + q(*quote.bid) + "," + q(flow.account.address) + ",false," + q(Address()) + "]");
    attempt(report, "sell " + collections[collection].first, sold);
    quote_pair(quote);
    if (sold) ++report.pool_trades;
    return bool(sold);
}

void MarketSimulator::State::trade_pools(StepReport& report)
{
    keep_eth(report, who("flow"), 3000, 10000);
    for (std::size_t c = 0; c < collections.size(); ++c) {
        auto quotes = quote_pairs(c);
        if (quotes.empty()) continue;
        const double floor = paths[c].price();
        auto best_ask = [&]() -> PairQuote* {
            PairQuote* best = nullptr;
            for (auto& quote : quotes)
                if (quote.ask && (!best || *quote.ask < *best->ask)) best = &quote;
            return best;
        };
        auto best_bid = [&]() -> PairQuote* {
            PairQuote* best = nullptr;
            for (auto& quote : quotes)
                if (quote.bid && (!best || *quote.bid > *best->bid)) best = &quote;
            return best;
        };
        for (int round = 0; round < kArbitrageTradesPerStep; ++round) {
            PairQuote* ask = best_ask();
            PairQuote* bid = best_bid();
            if (ask && to_eth(*ask->ask) < floor * (1.0 - kArbitrageBand)) {
                if (buy_from(report, c, *ask)) continue;
            } else if (bid && to_eth(*bid->bid) > floor * (1.0 + kArbitrageBand)) {
                if (sell_to(report, c, *bid)) continue;
            }
            break;
        }
        if (uniform() < chance(kNoiseTradesPerHour)) {
            const bool buy = uniform() < 0.5;
            PairQuote* ask = best_ask();
            PairQuote* bid = best_bid();
            if (buy && ask && to_eth(*ask->ask) <= floor * (1.0 + kNoiseBuyBand)) buy_from(report, c, *ask);
            if (!buy && bid && to_eth(*bid->bid) >= floor * (1.0 - kNoiseSellBand)) sell_to(report, c, *bid);
        }
        const PairQuote* ask = best_ask();
        const PairQuote* bid = best_bid();
        report.quotes[collections[c].first] = {bid ? bid->bid->to_dec() : "", ask ? ask->ask->to_dec() : ""};
    }
}

}  // namespace nftterm::protocols::devnet
