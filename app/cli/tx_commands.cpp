#include "tx_commands.hpp"

#include "node_options.hpp"
#include "signer_options.hpp"

#include <protocols/eth/tx/receipt_tracker.hpp>
#include <protocols/eth/tx/sender.hpp>
#include <protocols/eth/tx/tx_summary.hpp>
#include <wallet/accounts/account_store.hpp>

#include <nlohmann/json.hpp>

#include <iostream>

namespace nftterm::cli {
namespace {

using namespace nftterm::protocols;
using nlohmann::json;

const std::string kUsage = std::string(R"(usage: nftterm-cli tx COMMAND [options]

  list                              every transaction in the journal
  status   HASH [--wait]            where it stands (mined, reverted, replaced, dropped, pending)
  speed-up HASH KEY                 same nonce and payload, fees +12.5 % or the market's, if higher
  cancel   HASH KEY                 same nonce, nothing sent to yourself, higher fees

  KEY is --keystore FILE --password-file P, or --private-key-file F.
  --journal FILE   the journal (default: DATA_DIR/transactions.jsonl)

)") + kNodeOptionsUsage;

int report(const std::string& message)
{
    std::cerr << "nftterm-cli: " << message << "\n";
    return 1;
}

json entry_json(const eth::JournalEntry& entry)
{
    json out = {{"hash", entry.hash.to_hex()}, {"from", entry.from.to_hex()}, {"chain_id", entry.chain_id},
                {"nonce", entry.nonce},        {"state", eth::to_string(entry.state)}, {"signed_at", entry.signed_at}};
    if (!entry.label.empty()) out["label"] = entry.label;
    if (entry.block_number) out["block_number"] = *entry.block_number;
    if (!entry.reason.empty()) out["reason"] = entry.reason;
    if (entry.replaces) out["replaces"] = entry.replaces->to_hex();
    if (entry.replaced_by) out["replaced_by"] = entry.replaced_by->to_hex();
    return out;
}

json status_json(const wallet::TxHash& hash, const eth::TxStatus& status)
{
    json out = {{"hash", hash.to_hex()}, {"status", eth::to_string(status.state)}};
    if (status.receipt) {
        out["block_number"] = status.receipt->block_number;
        out["gas_used"] = status.receipt->gas_used;
        out["confirmations"] = status.confirmations;
    }
    if (!status.reason.empty()) out["reason"] = status.reason;
    if (status.replaced_by) out["replaced_by"] = status.replaced_by->to_hex();
    return out;
}

}  // namespace

int run_tx_command(int argc, char** argv)
{
    const Arguments args(argc, argv, {"help", "wait", "yes", "ledger"});
    if (auto stop = args.stop_for_help_or_error(kUsage.c_str())) return *stop;
    auto allowed = kNodeOptions;
    allowed.insert(allowed.end(), kSignerOptions.begin(), kSignerOptions.end());
    allowed.insert(allowed.end(), {"journal", "wait"});
    allowed.insert(allowed.end(), kSigningOptions.begin(), kSigningOptions.end());
    if (auto unknown = args.unknown(allowed); !unknown.empty()) {
        std::cerr << "nftterm-cli: tx does not take " << unknown.front() << "\n";
        return 2;
    }
    const auto& words = args.positionals();
    const std::string& command = words[1];
    const auto journal_path = args.value("journal").value_or((wallet::AccountStore::default_folder() / "transactions.jsonl").string());
    auto journal = eth::TxJournal::open(journal_path);
    if (!journal) return report(journal.error().message());
    if (command == "list") {
        json out = json::array();
        for (const auto& entry : (*journal)->entries()) out.push_back(entry_json(entry));
        std::cout << out.dump(2) << "\n";
        return 0;
    }
    if (command != "status" && command != "speed-up" && command != "cancel") {
        std::cerr << "nftterm-cli: unknown tx command '" << command << "' (see: nftterm-cli tx --help)\n";
        return 2;
    }
    if (words.size() != 3) {
        std::cerr << "nftterm-cli: tx " << command << " takes one transaction hash\n";
        return 2;
    }
    const auto hash = wallet::TxHash::from_hex(words[2]);
    if (!hash) {
        std::cerr << "nftterm-cli: '" << words[2] << "' is not a transaction hash\n";
        return 2;
    }
    auto options = node_options(args);
    if (!options) {
        std::cerr << "nftterm-cli: " << options.error().message() << "\n";
        return 2;
    }
    eth::RpcClient client(std::move(*options));
    eth::ReceiptTracker tracker(client, **journal);
    if (command == "status") {
        eth::WaitOptions wait;
        if (!args.has("wait")) wait.timeout = std::chrono::milliseconds(0);
        auto status = tracker.wait(*hash, wait);
        if (!status) return report(status.error().message());
        std::cout << status_json(*hash, *status).dump(2) << "\n";
        return 0;
    }
    if (!has_signer(args)) {
        std::cerr << "nftterm-cli: tx " << command << " signs: " << kNoSigner << "\n";
        return 2;
    }
    auto signer = signer_from_options(args);
    if (!signer) return report(signer.error().message());
    // A replacement goes to the chain the original was signed for, whatever the node says.
    const auto original = (*journal)->find(*hash);
    auto policy = send_policy(args, original ? std::optional<std::uint64_t>(original->chain_id) : std::nullopt);
    if (!policy) {
        std::cerr << "nftterm-cli: " << policy.error().context << "\n";
        return 2;
    }
    eth::NonceManager nonces(client);
    eth::Sender sender(client, **signer, **journal, nonces, *policy);
    const wallet::Address from = (*signer)->address();
    sender.set_confirmation([&](const wallet::Transaction& tx, const std::string& label) {
        return ask_on_terminal(args, eth::signing_summary(tx, from, label));
    });
    auto sent = command == "cancel" ? sender.cancel(*hash) : sender.speed_up(*hash);
    if (!sent) return report(sent.error().message());
    const auto& tx = sent->signed_tx.tx;
    json out = {{"hash", sent->signed_tx.hash.to_hex()},
                {"replaces", hash->to_hex()},
                {"nonce", tx.nonce},
                {"status", sent->accepted ? "pending" : "signed"}};
    if (!sent->warning.empty()) out["warning"] = sent->warning;
    if (tx.type == wallet::TxType::Eip1559) {
        out["max_fee_per_gas"] = tx.max_fee_per_gas.to_dec();
        out["max_priority_fee_per_gas"] = tx.max_priority_fee_per_gas.to_dec();
    } else {
        out["gas_price"] = tx.gas_price.to_dec();
    }
    std::cout << out.dump(2) << "\n";
    return 0;
}

}  // namespace nftterm::cli
