#include "trade_support.hpp"

#include "plan_runner.hpp"
#include "signer_options.hpp"

#include <protocols/eth/rpc/eth_api.hpp>
#include <protocols/eth/tx/nonce_manager.hpp>
#include <protocols/eth/tx/receipt_tracker.hpp>
#include <protocols/eth/tx/sender.hpp>
#include <protocols/eth/tx/tx_journal.hpp>
#include <wallet/accounts/account_store.hpp>

namespace nftterm::cli {

using nlohmann::json;
using namespace nftterm::protocols;

std::optional<wallet::Address> collection_of(const positions::Registry& registry, const std::string& text)
{
    if (auto address = wallet::Address::from_hex(text)) return address;
    if (auto listed = registry.contract(text); listed && registry.symbol_of(*listed) == text) return listed;
    return std::nullopt;
}

std::optional<wallet::U256> eth_amount(const std::string& text)
{
    if (auto plain = wallet::U256::parse_units(text, 18)) return *plain;
    if (auto with_unit = wallet::U256::parse_with_unit(text)) return *with_unit;
    return std::nullopt;
}

bool send_trade(eth::RpcClient& client, wallet::Signer& signer, const Arguments& args, std::uint64_t chain_id, const std::vector<actions::PlannedCall>& calls,
                json& out, std::string& failure, std::vector<eth::Receipt>* receipts)
{
    const auto journal_path = args.value("journal").value_or((wallet::AccountStore::default_folder() / "transactions.jsonl").string());
    auto journal = eth::TxJournal::open(journal_path);
    if (!journal) return failure = journal.error().message(), false;
    auto policy = send_policy(args, chain_id);
    if (!policy) return failure = policy.error().context, false;
    eth::NonceManager nonces(client);
    eth::Sender sender(client, signer, **journal, nonces, *policy);
    eth::ReceiptTracker tracker(client, **journal);
    out["transactions"] = json::array();
    for (const auto& call : calls) {
        auto sent = sender.send(call.send_request());
        if (!sent) return failure = "\"" + call.description + "\" was not sent: " + sent.error().message(), false;
        auto status = tracker.wait(sent->signed_tx.hash, {1, std::chrono::milliseconds(100), std::chrono::minutes(5), {}});
        json tx = {{"description", call.description}, {"hash", sent->signed_tx.hash.to_hex()}};
        if (status) tx["status"] = eth::to_string(status->state);
        out["transactions"].push_back(tx);
        if (!status || status->state != eth::TxState::Mined)
            return failure = "\"" + call.description + "\" did not land" + (status ? ": " + status->reason : ": " + status.error().message()), false;
        if (receipts && status->receipt) receipts->push_back(*status->receipt);
    }
    return true;
}

}  // namespace nftterm::cli
