#pragma once

#include <wallet/tx/transaction.hpp>

#include <string>
#include <string_view>

namespace nftterm::wallet {

/// Reads a transaction in JSON-RPC field names: type, chainId, nonce, to,
/// value, data (or input), gas, gasPrice or maxFeePerGas and
/// maxPriorityFeePerGas, accessList. Quantities are 0x hex or decimal
/// strings (or JSON integers). Without "type", a gasPrice means legacy and
/// fee caps mean EIP-1559. Unknown fields are errors (a typo must not be
/// signed away silently).
Result<Transaction> transaction_from_json(std::string_view json_text);

/// The fields of a signed transaction and its `from`, `hash`, `v`, `r`, `s`
/// in JSON-RPC names, quantities as 0x hex.
std::string signed_transaction_to_json(const SignedTransaction& signed_tx, int indent = 2);

}  // namespace nftterm::wallet
