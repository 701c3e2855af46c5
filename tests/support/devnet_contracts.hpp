#pragma once

#include <protocols/eth/abi/contract_abi.hpp>
#include <protocols/eth/rpc/eth_api.hpp>
#include <wallet/crypto/secp256k1.hpp>

#include <string>

namespace nftterm::tests {

/// anvil's first funded development account (its published test mnemonic).
inline constexpr const char* kDevKey0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
inline constexpr const char* kDevKey1 = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

wallet::PrivateKey dev_key(const char* hex);

/// A contract from the solc output the build wrote to NFTTERM_CONTRACTS_DIR.
protocols::Result<protocols::abi::CompiledContract> load_contract(const std::string& file, const std::string& source,
                                                                  const std::string& name);

/// Signs with `key` (nonce from the node), sends, and waits for the
/// receipt (anvil mines at once). Fails if the transaction reverts.
protocols::Result<protocols::eth::Receipt> send_and_wait(protocols::eth::RpcClient& client, const wallet::PrivateKey& key,
                                                         std::optional<wallet::Address> to, wallet::Bytes data,
                                                         wallet::U256 value = {});

/// Deploys creation code and returns the new address.
protocols::Result<wallet::Address> deploy(protocols::eth::RpcClient& client, const wallet::PrivateKey& key,
                                          const wallet::Bytes& bytecode);

/// Puts this project's Multicall3 runtime code at the canonical address (anvil_setCode).
protocols::Result<void> install_multicall3(protocols::eth::RpcClient& client);

/// Calldata: selector of `signature` + ABI-encoded `args_json`.
wallet::Bytes calldata(const std::string& signature, const std::string& args_json = "[]");

}  // namespace nftterm::tests
