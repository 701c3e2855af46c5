#include "plan_reads.hpp"

#include <protocols/positions/read_helpers.hpp>

#include <protocols/eth/rpc/eth_api.hpp>

namespace nftterm::protocols::actions::detail {

using namespace positions::detail;
using wallet::Address;
using wallet::U256;

Result<std::vector<abi::Value>> view_at(eth::RpcClient& client, const Address& target, const std::string& signature, std::vector<abi::Value> args,
                                        const std::string& types, std::uint64_t block)
{
    const auto call = read_call(target, signature, std::move(args));
    eth::CallRequest request;
    request.to = call.target;
    request.data = call.call_data;
    auto output = eth::call(client, request, eth::BlockTag::number(block));
    if (!output) return std::unexpected(output.error());
    auto values = outputs({true, *output}, types);
    if (!values) return fail(Errc::Decode, "unexpected return data from " + signature + " on " + target.to_hex());
    return *values;
}

Result<void> read_token(eth::RpcClient& client, PositionPlan& plan, const Address& token, std::uint64_t block)
{
    plan.token = token;
    auto symbol = view_at(client, token, "symbol()", {}, "(string)", block);
    auto decimals = view_at(client, token, "decimals()", {}, "(uint8)", block);
    auto balance = view_at(client, token, "balanceOf(address)", {value(plan.account)}, "(uint256)", block);
    if (!balance) return std::unexpected(balance.error());
    if (symbol) plan.token_symbol = std::get<std::string>((*symbol)[0].data);
    if (decimals) plan.token_decimals = static_cast<unsigned>(u256((*decimals)[0]).to_u64().value_or(18));
    plan.balance_before = u256((*balance)[0]);
    return {};
}

Result<void> require_balance(const PositionPlan& plan)
{
    if (!plan.pays_in || plan.balance_before >= plan.amount) return {};
    return fail(Errc::Refused, "the account holds " + token_text(plan, plan.balance_before) + ", the " + plan.action + " needs " + token_text(plan, plan.amount));
}

Result<void> add_approval(eth::RpcClient& client, PositionPlan& plan, const Address& spender, const std::string& spender_name, const U256& amount,
                          std::uint64_t block)
{
    auto allowance = view_at(client, plan.token, "allowance(address,address)", {value(plan.account), value(spender)}, "(uint256)", block);
    if (!allowance) return std::unexpected(allowance.error());
    if (u256((*allowance)[0]) >= amount) return {};
    const auto call = read_call(plan.token, "approve(address,uint256)", {value(spender), value(amount)});
    plan.calls.push_back({plan.token, call.call_data, {}, "approve " + token_text(plan, amount) + " to " + spender_name});
    return {};
}

PositionPlan plan_for(const Position& position, std::string action, std::string measure)
{
    PositionPlan plan;
    plan.action = std::move(action);
    plan.position_id = position.key.id();
    plan.account = position.key.account;
    plan.measure = std::move(measure);
    return plan;
}

Result<PoolLoanRead> read_pool_loan(eth::RpcClient& client, const Registry& registry, const Position& position)
{
    const std::uint64_t block = position.price_block;
    const Address pool = position.key.contract;
    // Mainnet keeps loan records in LendPoolLoan; the devnet pool answers itself.
    auto loan = view_at(client, registry.contract("BendLendPoolLoan").value_or(pool), "getLoan(uint256)", {value(position.key.loan)},
                        "((uint256,uint8,address,address,uint256,address,uint256,uint256,address,uint256,uint256,address))", block);
    auto reserve = view_at(client, pool, "getReserveData(address)", {value(position.key.asset)},
                           kBendReserveDataTypes, block);
    auto config = view_at(client, pool, "getNftConfiguration(address)", {value(position.collection)}, "((uint256))", block);
    auto head = eth::get_block(client, eth::BlockTag::number(block));
    if (!loan || !reserve || !config || !head) return fail(Errc::Rpc, "cannot read the loan at block " + std::to_string(block));
    PoolLoanRead read;
    auto& in = read.inputs;
    in.scaled_debt = u256(list((*loan)[0])[6]);
    const auto& fields = list((*reserve)[0]);
    in.borrow_index = u256(fields[2]);
    in.borrow_rate = u256(fields[4]);
    in.index_updated = u256(fields[5]).to_u64().value_or(0);
    in.collateral = position.collateral_value;
    // NftConfiguration bits 16-31: the liquidation threshold in basis points.
    in.liquidation_threshold = ((u256(list((*config)[0])[0]) / U256(65536)) % U256(65536)).to_u64().value_or(0);
    read.timestamp = head->timestamp;
    return read;
}

}  // namespace nftterm::protocols::actions::detail
