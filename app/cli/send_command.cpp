#include "send_command.hpp"

#include "node_options.hpp"
#include "signer_options.hpp"

#include <protocols/eth/tx/receipt_tracker.hpp>
#include <protocols/eth/tx/sender.hpp>
#include <protocols/eth/tx/tx_summary.hpp>
#include <wallet/accounts/account_store.hpp>

#include <nlohmann/json.hpp>

#include <charconv>
#include <iostream>

namespace nftterm::cli {
namespace {

using namespace nftterm::protocols;
using nlohmann::json;

const std::string kUsage = std::string(R"(usage: nftterm-cli send [node options] KEY --to ADDR [--value V] [--data 0x…] [--wait]

Simulates the transaction (eth_call; a revert stops it before signing),
estimates gas (+20 %), prices it from eth_feeHistory, signs, writes it to the
transaction journal, sends it and prints JSON. With --wait it then waits for
the receipt. Exit status 1 if it fails, reverts or is dropped.

  KEY                --keystore FILE --password-file P, or --private-key-file F
  --to ADDR          recipient or contract
  --value V          amount: wei, or with a unit ("0.5 ether", "20gwei")
  --data 0x…         calldata
  --wait             wait for the receipt
  --confirmations N  blocks to wait for with --wait (default 1)
  --speed S          slow, normal (default) or fast
  --gas-limit N      skip the estimate
  --no-simulate      send even if a simulation reverts (the revert is then paid for)
  --journal FILE     transaction journal (default: DATA_DIR/transactions.jsonl)

)") + kNodeOptionsUsage + kSigningOptionsUsage + kLedgerOptionsUsage;

std::optional<std::uint64_t> parse_u64(const std::string& text)
{
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

int usage_error(const std::string& message)
{
    std::cerr << "nftterm-cli: send: " << message << " (see: nftterm-cli send --help)\n";
    return 2;
}

int report(const std::string& message)
{
    std::cerr << "nftterm-cli: " << message << "\n";
    return 1;
}

json describe(const wallet::SignedTransaction& sent, eth::TxState state)
{
    const auto& tx = sent.tx;
    json out = {{"hash", sent.hash.to_hex()},
                {"from", sent.from.to_hex()},
                {"to", tx.to ? json(tx.to->to_hex()) : json(nullptr)},
                {"nonce", tx.nonce},
                {"chain_id", wallet::to_u64(tx.chain_id)},
                {"value", tx.value.to_dec()},
                {"gas_limit", tx.gas_limit},
                {"status", eth::to_string(state)}};
    if (tx.type == wallet::TxType::Eip1559) {
        out["type"] = "eip1559";
        out["max_fee_per_gas"] = tx.max_fee_per_gas.to_dec();
        out["max_priority_fee_per_gas"] = tx.max_priority_fee_per_gas.to_dec();
    } else {
        out["type"] = "legacy";
        out["gas_price"] = tx.gas_price.to_dec();
    }
    return out;
}

}  // namespace

int run_send_command(int argc, char** argv)
{
    const Arguments args(argc, argv, {"help", "wait", "no-simulate", "yes", "ledger"});
    if (args.has("help")) {
        std::cout << kUsage;
        return 0;
    }
    if (!args.error().empty()) return usage_error(args.error());
    auto allowed = kNodeOptions;
    allowed.insert(allowed.end(), kSignerOptions.begin(), kSignerOptions.end());
    allowed.insert(allowed.end(), {"to", "value", "data", "wait", "confirmations",
                                   "speed", "gas-limit", "no-simulate", "journal"});
    allowed.insert(allowed.end(), kSigningOptions.begin(), kSigningOptions.end());
    if (auto unknown = args.unknown(allowed); !unknown.empty()) return usage_error("unknown option " + unknown.front());
    if (args.positionals().size() > 1) return usage_error("unexpected '" + args.positionals()[1] + "'");

    eth::SendRequest request;
    auto to = args.value("to");
    if (!to) return usage_error("--to ADDR is required");
    auto address = wallet::Address::parse(*to);
    if (!address) return usage_error("--to: " + address.error().message());
    request.to = *address;
    if (auto value = args.value("value")) {
        auto amount = wallet::U256::parse_with_unit(*value);
        if (!amount) return usage_error("--value: " + amount.error().message());
        request.value = *amount;
    }
    if (auto data = args.value("data")) {
        auto bytes = wallet::bytes_from_hex(*data);
        if (!bytes) return usage_error("--data: " + bytes.error().message());
        request.data = std::move(*bytes);
    }
    if (auto speed = args.value("speed")) {
        if (*speed == "slow") request.speed = eth::FeeSpeed::Slow;
        else if (*speed == "fast") request.speed = eth::FeeSpeed::Fast;
        else if (*speed != "normal") return usage_error("--speed is slow, normal or fast");
    }
    if (auto gas = args.value("gas-limit")) {
        auto limit = parse_u64(*gas);
        if (!limit || *limit < 21000) return usage_error("--gas-limit must be a whole number of at least 21000");
        request.gas_limit = *limit;
    }
    request.simulate = !args.has("no-simulate");
    eth::WaitOptions wait;
    if (auto confirmations = args.value("confirmations")) {
        auto n = parse_u64(*confirmations);
        if (!n || *n == 0) return usage_error("--confirmations must be a positive whole number");
        wait.confirmations = *n;
    }
    auto options = node_options(args);
    if (!options) return usage_error(options.error().message());
    if (!has_signer(args)) return usage_error(kNoSigner);

    auto signer = signer_from_options(args);
    if (!signer) return report(signer.error().message());
    const auto journal_path = args.value("journal").value_or((wallet::AccountStore::default_folder() / "transactions.jsonl").string());
    auto journal = eth::TxJournal::open(journal_path);
    if (!journal) return report(journal.error().message());

    // The chain the user named with --chain-id; without it, the node's answer (shown before signing).
    auto policy = send_policy(args, options->chain_id);
    if (!policy) return usage_error(policy.error().context);
    eth::RpcClient client(std::move(*options));
    eth::NonceManager nonces(client);
    eth::Sender sender(client, **signer, **journal, nonces, *policy);
    const wallet::Address from = (*signer)->address();
    sender.set_confirmation([&](const wallet::Transaction& tx, const std::string& label) {
        return ask_on_terminal(args, eth::signing_summary(tx, from, label.empty() ? "send" : label));
    });
    auto sent = sender.send(request);
    if (!sent) return report(sent.error().message());
    json out = describe(sent->signed_tx, sent->accepted ? eth::TxState::Pending : eth::TxState::Signed);
    out["journal"] = journal_path;
    if (!sent->accepted) out["note"] = "no node confirmed it got the transaction; it is in the journal and will be sent again";
    if (!sent->warning.empty()) out["warning"] = sent->warning;
    if (!args.has("wait")) {
        std::cout << out.dump(2) << "\n";
        return 0;
    }
    eth::ReceiptTracker tracker(client, **journal);
    auto status = tracker.wait(sent->signed_tx.hash, wait);
    if (!status) {
        std::cout << out.dump(2) << "\n";
        return report("sent, but waiting for the receipt failed: " + status.error().message());
    }
    out["status"] = eth::to_string(status->state);
    if (status->receipt) {
        out["block_number"] = status->receipt->block_number;
        out["block_hash"] = status->receipt->block_hash.to_hex();
        out["gas_used"] = status->receipt->gas_used;
        out["effective_gas_price"] = status->receipt->effective_gas_price.to_dec();
        out["confirmations"] = status->confirmations;
        if (status->receipt->contract_address) out["contract_address"] = status->receipt->contract_address->to_hex();
    }
    if (!status->reason.empty()) out["reason"] = status->reason;
    if (status->replaced_by) out["replaced_by"] = status->replaced_by->to_hex();
    std::cout << out.dump(2) << "\n";
    return status->state == eth::TxState::Mined || status->state == eth::TxState::Pending ? 0 : 1;
}

}  // namespace nftterm::cli
