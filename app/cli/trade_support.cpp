#include "trade_support.hpp"

#include "plan_runner.hpp"
#include "signer_options.hpp"

#include <protocols/eth/rpc/eth_api.hpp>
#include <protocols/eth/tx/nonce_manager.hpp>
#include <protocols/eth/tx/receipt_tracker.hpp>
#include <protocols/eth/tx/sender.hpp>
#include <protocols/eth/tx/tx_journal.hpp>
#include <wallet/accounts/account_store.hpp>

#include <iostream>

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

std::string short_wad(const wallet::U256& value, std::size_t places)
{
    std::string text = value.format_units(18);
    if (const auto dot = text.find('.'); dot != std::string::npos && text.size() > dot + places + 1) text.resize(dot + places + 1);
    return text;
}

int say_failed(const char* name, int code, const std::string& why)
{
    std::cerr << "nftterm-cli: " << name << ": " << why << "\n";
    return code;
}

std::variant<SigningSession, int> signing_session(const Arguments& args, const char* name, std::vector<std::string> options)
{
    options.insert(options.end(), kSignerOptions.begin(), kSignerOptions.end());
    options.insert(options.end(), kSigningOptions.begin(), kSigningOptions.end());
    auto parsed = position_setup(args, name, options, false);
    if (auto* code = std::get_if<int>(&parsed)) return *code;
    SigningSession session;
    session.setup = std::move(std::get<PositionSetup>(parsed));
    if (!has_signer(args)) {
        // Appended in place: GCC 12 reports a false -Warray-bounds on the inlined `std::string + const char*`.
        std::string why;
        why.reserve(80);
        why.append("signs: ").append(kNoSigner);
        return say_failed(name, 2, why);
    }
    auto signer = signer_from_options(args);
    if (!signer) return say_failed(name, 1, signer.error().message());
    session.signer = std::move(*signer);
    session.client = std::make_unique<eth::RpcClient>(session.setup.node);
    auto head = eth::block_number(*session.client);
    if (!head) return say_failed(name, 1, head.error().message());
    session.head = *head;
    return session;
}

}  // namespace nftterm::cli
