#pragma once

#include <protocols/eth/tx/sender.hpp>
#include <protocols/positions/position.hpp>
#include <protocols/positions/registry.hpp>
#include <wallet/primitives/bytes.hpp>

#include <optional>
#include <string>
#include <vector>

namespace nftterm::protocols::actions {

// The positions' vocabulary, which every plan speaks.
using positions::Position;
using positions::PositionState;
using positions::Protocol;
using positions::Registry;
using positions::SignedWad;

/// One transaction of a plan, with what it does in words.
struct PlannedCall {
    wallet::Address to;
    wallet::Bytes data;
    wallet::U256 value;
    std::string description;  // "approve 1.25 WETH to LendPool", "repay 1.25 WETH on loan #17"
    /// The most gas this call can reasonably take: an approve ~50,000, a repay
    /// or margin change ~150,000-300,000. A node estimating more is broken or
    /// hostile, and the sender refuses to sign.
    std::uint64_t gas_bound = 1'000'000;

    /// What the sender signs for it (the target, data, value, label and gas bound).
    eth::SendRequest send_request() const
    {
        eth::SendRequest request;
        request.to = to;
        request.data = data;
        request.value = value;
        request.label = description;
        request.gas_bound = gas_bound;
        return request;
    }
};

/// What the account signs to act on one position (top up, repay, close,
/// remove margin), with the outcome predicted by the contract's own math
/// at the block the position was read. Immutable once made.
struct PositionPlan {
    /// "topup", "repay", "close" or "removeMargin".
    std::string action;
    std::string position_id;
    /// Who signs and pays: the position's account, unless another account pays (a pool-loan repay).
    wallet::Address account;
    /// "healthFactor" (pool loans), "marginRatio" (perps), "payoff" (P2P loans), WAD.
    std::string measure;
    wallet::U256 health_before;
    /// The health asked for (top-up, remove margin); zero otherwise.
    wallet::U256 target;
    /// U256::max() when the plan closes the position.
    wallet::U256 predicted_health;
    bool closes_position = false;

    /// The token paid or received, in its own units.
    wallet::Address token;
    std::string token_symbol = "WETH";
    unsigned token_decimals = 18;
    /// Paid in (top-up, repay) or received (close, remove margin).
    wallet::U256 amount;
    bool pays_in = true;
    wallet::U256 balance_before;
    std::vector<PlannedCall> calls;

    /// Perp close: the quote limit sent with closePosition (the least
    /// received for a long, the most paid for a short), 18 decimals.
    std::optional<wallet::U256> quote_limit;

    // The inputs a pool-loan prediction was made from, so that it can be
    // redone for the block the calls land in.
    struct PoolLoanInputs {
        wallet::U256 scaled_debt, borrow_index, borrow_rate, collateral;
        std::uint64_t index_updated = 0, liquidation_threshold = 0;
    };
    std::optional<PoolLoanInputs> pool_loan;
    /// A redeem's bid fine: part of `amount`, paid to the first bidder, not to the debt.
    std::optional<wallet::U256> bid_fine;

    /// The token balance predicted after the plan lands.
    wallet::U256 balance_after() const;
};

/// LendPool's variable borrow index in a block with this timestamp.
wallet::U256 borrow_index_at(const PositionPlan::PoolLoanInputs& inputs, std::uint64_t timestamp);

/// The pool loan's debt in a block with this timestamp (LendPool's index math).
std::optional<wallet::U256> pool_loan_debt_at(const PositionPlan& plan, std::uint64_t timestamp);

/// The pool-loan health factor after the plan's repay lands in a block
/// with this timestamp, by the contract's own math (max when repaid).
std::optional<wallet::U256> predicted_health_at(const PositionPlan& plan, std::uint64_t timestamp);

/// An amount in the plan's token for people: "1.25 WETH" (at most 6 decimals).
std::string token_text(const PositionPlan& plan, const wallet::U256& amount);

/// "1.25 ETH".
std::string eth_text(const wallet::U256& wei);
/// A period for people: "8 h", "15 min", "90 s".
std::string period_text(std::uint64_t seconds);
/// Token ids as an ABI argument ("[\"12\",\"14\"]") and for people ("#12, #14").
std::string token_ids_json(const std::vector<wallet::U256>& ids);
std::string token_ids_text(const std::vector<wallet::U256>& ids);

}  // namespace nftterm::protocols::actions
