#pragma once

#include <wallet/primitives/address.hpp>
#include <wallet/tx/transaction.hpp>

#include <string>
#include <string_view>

namespace nftterm::protocols::eth {

/// What a transaction does, in lines a person reads before signing: what it
/// is for, the chain, from, to (or "creates a contract"), the value, the
/// calldata (its selector and raw bytes), the nonce, the gas limit, the
/// fees offered, the most the fee can be and the most it can cost in all.
std::string signing_summary(const wallet::Transaction& tx, const wallet::Address& from, std::string_view what);

}  // namespace nftterm::protocols::eth
