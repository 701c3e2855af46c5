#include "topup_command.hpp"

#include "node_options.hpp"
#include "position_setup.hpp"
#include "signer_options.hpp"

#include <protocols/eth/rpc/eth_api.hpp>
#include <protocols/eth/tx/receipt_tracker.hpp>
#include <protocols/eth/tx/sender.hpp>
#include <protocols/positions/fixed_point.hpp>
#include <protocols/positions/monitor.hpp>
#include <protocols/positions/topup.hpp>
#include <wallet/accounts/account_store.hpp>

#include <nlohmann/json.hpp>

#include <iostream>
#include <unistd.h>

namespace nftterm::cli {
namespace {

using namespace nftterm::protocols;
using namespace nftterm::protocols::positions;
using nlohmann::json;

const std::string kUsage = std::string(R"(usage: nftterm-cli topup --position ID --target-health H (--keystore FILE --password-file P | --private-key-file F)
                         [--registry FILE] [--yes] [--journal FILE] [node options]

Restores a position to a target health: a partial repay for a pool loan
(health factor), added margin for a perp (margin ratio). Plans the amount,
shows every call in words with the predicted health and the balance after,
asks (unless --yes), simulates, signs, sends, waits, and prints the health
before and after as JSON. ID is the position's id from `nftterm-cli
positions`; H a decimal (1.5 = health factor 1.5; 0.2 = margin ratio 20 %).

)") + kCacheUsage + "\n" + kNodeOptionsUsage;

int report(const std::string& message)
{
    std::cerr << "nftterm-cli: topup: " << message << "\n";
    return 1;
}

std::string wad_text(const wallet::U256& value)
{
    if (value == wallet::U256::max()) return "inf";
    std::string text = value.format_units(18);
    if (const auto dot = text.find('.'); dot != std::string::npos && text.size() > dot + 5) text.resize(dot + 5);
    return text;
}

std::optional<Position> find_position(const Snapshot& snapshot, const std::string& id)
{
    for (const auto& position : snapshot.positions)
        if (position.key.id() == id) return position;
    return std::nullopt;
}

wallet::U256 health_of(const Position& position)
{
    if (position.health_factor) return *position.health_factor;
    if (position.margin_ratio && !position.margin_ratio->negative) return position.margin_ratio->magnitude;
    return {};
}

}  // namespace

int run_topup_command(int argc, char** argv)
{
    const Arguments args(argc, argv, {"help", "yes", "no-cache"});
    if (args.has("help")) {
        std::cout << kUsage;
        return 0;
    }
    auto parsed = position_setup(args, "topup", {"position", "target-health", "registry", "yes", "journal", "keystore", "password-file", "private-key-file"},
                                 false);
    if (auto* code = std::get_if<int>(&parsed)) return *code;
    auto& setup = std::get<PositionSetup>(parsed);
    const auto id = args.value("position");
    const auto target_text = args.value("target-health");
    if (!id || !target_text) {
        std::cerr << "nftterm-cli: topup needs --position ID and --target-health H\n";
        return 2;
    }
    auto target = wallet::U256::parse_units(*target_text, 18);
    if (!target || *target == wallet::U256(0)) {
        std::cerr << "nftterm-cli: --target-health is a positive decimal such as 1.5\n";
        return 2;
    }
    if (!args.has("keystore") && !args.has("private-key-file")) {
        std::cerr << "nftterm-cli: topup signs: give --keystore FILE with --password-file P, or --private-key-file F\n";
        return 2;
    }
    auto signer = signer_from_options(args);
    if (!signer) return report(signer.error().message());
    const auto account = std::optional<wallet::Address>((*signer)->address());

    eth::RpcClient client(setup.node);
    Monitor monitor(client, setup.registry, std::vector<wallet::Address>{*account});
    setup.accounts = {*account};
    if (setup.state_file && !args.has("cache")) setup.state_file = default_state_file(setup.registry_file, setup.registry.chain_id, setup.accounts);
    if (auto found = discover_positions(monitor, setup); !found) return report(found.error().message());
    auto before = monitor.refresh();
    if (!before) return report(before.error().message());
    const auto position = find_position(**before, *id);
    if (!position) return report("no position " + *id + " for " + account->to_hex() + " (see: nftterm-cli positions --account " + account->to_hex() + ")");
    auto plan = plan_top_up(client, setup.registry, *position, *target);
    if (!plan) return report(plan.error().message());

    std::cerr << "Top-up of " << plan->position_id << "\n  " << plan->measure << " " << wad_text(plan->health_before) << " -> "
              << wad_text(plan->predicted_health) << " (target " << wad_text(*target) << ")\n";
    for (std::size_t i = 0; i < plan->calls.size(); ++i)
        std::cerr << "  " << i + 1 << ". " << plan->calls[i].description << "  (to " << plan->calls[i].to.to_hex() << ")\n";
    std::cerr << "  balance " << wad_text(plan->balance_before) << " -> " << wad_text(plan->balance_before - plan->amount) << " WETH, signed by "
              << account->to_hex() << "\n";
    if (!args.has("yes")) {
        if (!::isatty(STDIN_FILENO)) return report("not confirmed: pass --yes to sign without a prompt");
        std::cerr << "Sign and send? [y/N] ";
        std::string answer;
        std::getline(std::cin, answer);
        if (answer != "y" && answer != "Y" && answer != "yes") return report("cancelled; nothing was signed");
    }

    const auto journal_path = args.value("journal").value_or((wallet::AccountStore::default_folder() / "transactions.jsonl").string());
    auto journal = eth::TxJournal::open(journal_path);
    if (!journal) return report(journal.error().message());
    eth::NonceManager nonces(client);
    eth::Sender sender(client, **signer, **journal, nonces);
    eth::ReceiptTracker tracker(client, **journal);
    json out = {{"position", plan->position_id}, {"measure", plan->measure}, {"before", plan->health_before.to_dec()},
                {"target", target->to_dec()}, {"predicted", plan->predicted_health.to_dec()}, {"amount", plan->amount.to_dec()},
                {"transactions", json::array()}};
    std::uint64_t landed_block = 0;
    for (const auto& call : plan->calls) {
        eth::SendRequest request;
        request.to = call.to;
        request.data = call.data;
        request.value = call.value;
        request.label = call.description;
        // Simulated first: a call that would revert is never signed.
        auto sent = sender.send(request);
        if (!sent) {
            std::cout << out.dump(2) << "\n";
            return report("\"" + call.description + "\" was not sent: " + sent.error().message());
        }
        auto status = tracker.wait(sent->signed_tx.hash, {1, std::chrono::milliseconds(100), std::chrono::minutes(5), {}});
        json tx = {{"description", call.description}, {"hash", sent->signed_tx.hash.to_hex()}};
        if (status) tx["status"] = eth::to_string(status->state);
        out["transactions"].push_back(tx);
        if (!status || status->state != eth::TxState::Mined) {
            std::cout << out.dump(2) << "\n";
            return report("\"" + call.description + "\" did not land" + (status ? ": " + status->reason : ": " + status.error().message()));
        }
        landed_block = status->receipt->block_number;
    }
    auto after = monitor.refresh();
    if (!after) return report("sent, but reading the position afterwards failed: " + after.error().message());
    const auto updated = find_position(**after, *id);
    out["after"] = updated ? health_of(*updated).to_dec() : "0";
    if (auto landed = eth::get_block(client, eth::BlockTag::number(landed_block)); landed && plan->pool_loan) {
        // The same prediction, made for the block the repay landed in.
        out["predictedAtLanding"] = predicted_health_at(*plan, landed->timestamp)->to_dec();
    }
    out["block"] = (*after)->block.number;
    std::cout << out.dump(2) << "\n";
    std::cerr << "  " << plan->measure << " now " << (updated ? wad_text(health_of(*updated)) : "closed") << "\n";
    return 0;
}

}  // namespace nftterm::cli
