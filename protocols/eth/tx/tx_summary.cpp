#include "tx_summary.hpp"

#include "sender.hpp"

namespace nftterm::protocols::eth {
namespace {

std::string chain_name(std::uint64_t chain)
{
    switch (chain) {
    case 1: return "Ethereum mainnet";
    case 11155111: return "Sepolia";
    case 31337: return "the local devnet";
    default: return "chain " + std::to_string(chain);
    }
}

/// Calldata as a person can check it against a block explorer: the selector, the size, the bytes (long data shortened in the middle).
std::string calldata_text(const wallet::Bytes& data)
{
    if (data.empty()) return "none (a plain transfer)";
    const std::string hex = wallet::to_hex(data);
    std::string text = data.size() >= 4 ? "selector " + hex.substr(0, 10) + ", " : std::string();
    text += std::to_string(data.size()) + " bytes: ";
    text += hex.size() <= 266 ? hex : hex.substr(0, 202) + "…" + hex.substr(hex.size() - 64);
    return text;
}

}  // namespace

std::string signing_summary(const wallet::Transaction& tx, const wallet::Address& from, std::string_view what)
{
    const auto chain = wallet::to_u64(tx.chain_id);
    std::string out = "Sign: " + std::string(what.empty() ? "a transaction" : what) + "\n";
    out += "  chain       " + std::to_string(chain) + " (" + chain_name(chain) + ")\n";
    out += "  from        " + from.to_hex() + "\n";
    out += "  to          " + (tx.to ? tx.to->to_hex() : std::string("nobody: it creates a contract")) + "\n";
    out += "  value       " + tx.value.format_units(18) + " ETH\n";
    out += "  calldata    " + calldata_text(tx.data) + "\n";
    out += "  nonce       " + std::to_string(tx.nonce) + "\n";
    out += "  gas limit   " + std::to_string(tx.gas_limit) + "\n";
    if (tx.type == wallet::TxType::Eip1559)
        out += "  fees        at most " + tx.max_fee_per_gas.format_units(9) + " gwei per gas, tip " + tx.max_priority_fee_per_gas.format_units(9) + " gwei\n";
    else
        out += "  gas price   " + tx.gas_price.format_units(9) + " gwei\n";
    out += "  fee         at most " + max_fee(tx).format_units(18) + " ETH\n";
    out += "  in all      at most " + max_cost(tx).format_units(18) + " ETH leaves " + from.to_hex() + "\n";
    return out;
}

}  // namespace nftterm::protocols::eth
