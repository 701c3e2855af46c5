#include "devnet_contracts.hpp"

#include <protocols/eth/abi/abi_json.hpp>
#include <protocols/eth/multicall.hpp>
#include <wallet/tx/transaction.hpp>

#include <fstream>
#include <sstream>
#include <thread>

namespace nftterm::tests {

using namespace nftterm::protocols;

wallet::PrivateKey dev_key(const char* hex)
{
    return std::move(*wallet::PrivateKey::from_bytes(*wallet::bytes_from_hex(hex)));
}

Result<abi::CompiledContract> load_contract(const std::string& file, const std::string& source, const std::string& name)
{
    std::ifstream in(std::string(NFTTERM_CONTRACTS_DIR) + "/" + file);
    if (!in) return fail(Errc::Config, "no " + file + " in " NFTTERM_CONTRACTS_DIR " (build the contracts target)");
    std::stringstream text;
    text << in.rdbuf();
    return abi::read_solc_output(text.str(), source, name);
}

Result<eth::Receipt> send_and_wait(eth::RpcClient& client, const wallet::PrivateKey& key, std::optional<wallet::Address> to,
                                   wallet::Bytes data, wallet::U256 value)
{
    const auto from = wallet::address_of(wallet::public_key_of(key));
    auto nonce = eth::get_transaction_count(client, from, eth::BlockTag::pending());
    if (!nonce) return std::unexpected(nonce.error());
    auto chain = client.chain_id();
    if (!chain) return std::unexpected(chain.error());
    wallet::Transaction tx;
    tx.chain_id = wallet::ChainId{*chain};
    tx.nonce = *nonce;
    tx.to = to;
    tx.value = value;
    tx.data = std::move(data);
    tx.gas_limit = 5'000'000;
    tx.max_fee_per_gas = wallet::U256(100'000'000'000ULL);
    tx.max_priority_fee_per_gas = wallet::U256(1'000'000'000ULL);
    auto signed_tx = wallet::sign_transaction(tx, key);
    if (!signed_tx) return std::unexpected(from_wallet(signed_tx.error(), "signing"));
    auto hash = eth::send_raw_transaction(client, signed_tx->raw);
    if (!hash) return std::unexpected(hash.error());
    for (int i = 0; i < 200; ++i) {
        auto receipt = eth::get_receipt(client, *hash);
        if (!receipt) return std::unexpected(receipt.error());
        if (*receipt) {
            if (!(*receipt)->success) return fail(Errc::Revert, "the transaction reverted on chain");
            return std::move(**receipt);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return fail(Errc::Transport, "no receipt after 5 s");
}

Result<wallet::Address> deploy(eth::RpcClient& client, const wallet::PrivateKey& key, const wallet::Bytes& bytecode)
{
    auto receipt = send_and_wait(client, key, std::nullopt, bytecode);
    if (!receipt) return std::unexpected(receipt.error());
    if (!receipt->contract_address) return fail(Errc::Decode, "the deployment receipt has no contract address");
    return *receipt->contract_address;
}

Result<void> install_multicall3(eth::RpcClient& client)
{
    auto multicall = load_contract("nftterm_contracts.json", "Multicall3.sol", "Multicall3");
    if (!multicall) return std::unexpected(multicall.error());
    auto answer = client.call("anvil_setCode", "[\"" + eth::multicall3_address().to_hex() + "\",\""
                                                   + wallet::to_hex(multicall->deployed_bytecode) + "\"]");
    if (!answer) return std::unexpected(answer.error());
    return {};
}

wallet::Bytes calldata(const std::string& signature, const std::string& args_json)
{
    return abi::encode_call(signature, args_json).value();
}

}  // namespace nftterm::tests
