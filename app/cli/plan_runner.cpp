#include "plan_runner.hpp"

#include "node_options.hpp"
#include "position_setup.hpp"
#include "signer_options.hpp"

#include <protocols/eth/rpc/eth_api.hpp>
#include <protocols/eth/tx/receipt_tracker.hpp>
#include <protocols/eth/tx/sender.hpp>
#include <protocols/positions/monitor.hpp>
#include <wallet/accounts/account_store.hpp>

#include <nlohmann/json.hpp>

#include <iostream>
#include <unistd.h>

namespace nftterm::cli {
namespace {

using namespace nftterm::protocols;
using namespace nftterm::protocols::positions;
using namespace nftterm::protocols::actions;
using nlohmann::json;

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
    if (position.key.protocol == protocols::positions::Protocol::Nftfi) return position.debt;
    return {};
}

void show(const PositionPlan& plan, const std::string& title, const wallet::Address& account)
{
    std::cerr << title << " of " << plan.position_id << "\n  " << plan.measure << " " << wad_text(plan.health_before) << " -> "
              << (plan.closes_position ? std::string("closed") : wad_text(plan.predicted_health));
    if (plan.target != wallet::U256(0)) std::cerr << " (target " << wad_text(plan.target) << ")";
    std::cerr << "\n";
    for (std::size_t i = 0; i < plan.calls.size(); ++i)
        std::cerr << "  " << i + 1 << ". " << plan.calls[i].description << "  (to " << plan.calls[i].to.to_hex() << ")\n";
    std::cerr << "  " << (plan.pays_in ? "pays " : "receives ") << token_text(plan, plan.amount) << "; balance " << token_text(plan, plan.balance_before)
              << " -> " << token_text(plan, plan.balance_after()) << ", signed by " << account.to_hex() << "\n";
}


}  // namespace

bool confirmed(const Arguments& args, const char* name)
{
    if (args.has("yes")) return true;
    if (!::isatty(STDIN_FILENO)) {
        std::cerr << "nftterm-cli: " << name << ": not confirmed: pass --yes to sign without a prompt\n";
        return false;
    }
    std::cerr << "Sign and send? [y/N] ";
    std::string answer;
    std::getline(std::cin, answer);
    if (answer == "y" || answer == "Y" || answer == "yes") return true;
    std::cerr << "nftterm-cli: " << name << ": cancelled; nothing was signed\n";
    return false;
}

int run_plan_command(int argc, char** argv, const PlanCommand& command)
{
    const char* name = command.name.c_str();
    const auto report = [name](const std::string& message) {
        std::cerr << "nftterm-cli: " << name << ": " << message << "\n";
        return 1;
    };
    const Arguments args(argc, argv, {"help", "yes", "no-cache", "ledger"});
    if (args.has("help")) {
        std::cout << command.usage << kCacheUsage << "\n" << kNodeOptionsUsage << kSigningOptionsUsage << kLedgerOptionsUsage;
        return 0;
    }
    std::vector<std::string> options = {"position", "registry", "yes", "journal"};
    options.insert(options.end(), kSignerOptions.begin(), kSignerOptions.end());
    options.insert(options.end(), kSigningOptions.begin(), kSigningOptions.end());
    options.insert(options.end(), command.options.begin(), command.options.end());
    auto parsed = position_setup(args, name, options, false);
    if (auto* code = std::get_if<int>(&parsed)) return *code;
    auto& setup = std::get<PositionSetup>(parsed);
    const auto id = args.value("position");
    if (!id) {
        std::cerr << "nftterm-cli: " << name << " needs --position ID (see: nftterm-cli positions)\n";
        return 2;
    }
    auto planner = command.make_planner(args);
    if (auto* code = std::get_if<int>(&planner)) return *code;
    if (!has_signer(args)) {
        std::cerr << "nftterm-cli: " << name << " signs: " << kNoSigner << "\n";
        return 2;
    }
    auto signer = signer_from_options(args);
    if (!signer) return report(signer.error().message());
    const wallet::Address account = (*signer)->address();

    eth::RpcClient client(setup.node);
    Monitor monitor(client, setup.registry, std::vector<wallet::Address>{account});
    setup.accounts = {account};
    if (setup.state_file && !args.has("cache")) setup.state_file = default_state_file(setup.registry_file, setup.registry.chain_id, setup.accounts);
    if (auto found = discover_positions(monitor, client, setup); !found) return report(found.error().message());
    auto before = monitor.refresh();
    if (!before) return report(before.error().message());
    const auto position = find_position(**before, *id);
    if (!position) return report("no position " + *id + " for " + account.to_hex() + " (see: nftterm-cli positions --account " + account.to_hex() + ")");
    auto plan = std::get<Planner>(planner)(client, setup.registry, *position);
    if (!plan) return report(plan.error().message());
    show(*plan, command.title, account);
    if (!confirmed(args, name)) return 1;

    const auto journal_path = args.value("journal").value_or((wallet::AccountStore::default_folder() / "transactions.jsonl").string());
    auto journal = eth::TxJournal::open(journal_path);
    if (!journal) return report(journal.error().message());
    eth::NonceManager nonces(client);
    // Signed for the registry's chain only, within the fee ceilings.
    auto policy = send_policy(args, setup.registry.chain_id);
    if (!policy) return report(policy.error().context);
    eth::Sender sender(client, **signer, **journal, nonces, *policy);
    eth::ReceiptTracker tracker(client, **journal);
    json out = {{"position", plan->position_id}, {"action", plan->action}, {"measure", plan->measure}, {"before", plan->health_before.to_dec()},
                {"predicted", plan->closes_position ? json(nullptr) : json(plan->predicted_health.to_dec())}, {"amount", plan->amount.to_dec()},
                {"token", plan->token.to_hex()}, {"paysIn", plan->pays_in}, {"balanceBefore", plan->balance_before.to_dec()},
                {"balancePredicted", plan->balance_after().to_dec()}, {"transactions", json::array()}};
    if (plan->target != wallet::U256(0)) out["target"] = plan->target.to_dec();
    if (plan->quote_limit) out["quoteLimit"] = plan->quote_limit->to_dec();
    std::uint64_t landed_block = 0;
    for (const auto& call : plan->calls) {
        const eth::SendRequest request = call.send_request();
        // Simulated first: a call that would revert is never signed.
        auto sent = sender.send(request);
        if (!sent) {
            std::cout << out.dump(2) << "\n";
            return report("\"" + call.description + "\" was not sent: " + sent.error().message());
        }
        auto status = tracker.wait(sent->signed_tx.hash, {1, std::chrono::milliseconds(100), std::chrono::minutes(5), {}});
        json tx = {{"description", call.description}, {"hash", sent->signed_tx.hash.to_hex()}};
        if (!sent->warning.empty()) tx["warning"] = sent->warning;
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
    out["closed"] = !updated.has_value();
    if (auto landed = eth::get_block(client, eth::BlockTag::number(landed_block)); landed && plan->pool_loan && !plan->closes_position) {
        // The same prediction, made for the block the repay landed in.
        out["predictedAtLanding"] = predicted_health_at(*plan, landed->timestamp)->to_dec();
    }
    out["block"] = (*after)->block.number;
    std::cout << out.dump(2) << "\n";
    std::cerr << "  " << plan->measure << " now " << (updated ? wad_text(health_of(*updated)) : "closed") << "\n";
    return 0;
}

}  // namespace nftterm::cli
