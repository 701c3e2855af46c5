#include "alerts_command.hpp"

#include "arguments.hpp"
#include "desktop_notify.hpp"
#include "signer_options.hpp"
#include "node_options.hpp"
#include "position_setup.hpp"

#include <protocols/devnet/demo_world.hpp>
#include <protocols/eth/rpc/endpoint_url.hpp>
#include <protocols/eth/rpc/eth_api.hpp>
#include <protocols/positions/monitor.hpp>
#include <protocols/positions/second_opinion.hpp>
#include <protocols/risk/alert_channels.hpp>
#include <protocols/risk/alert_rules_file.hpp>
#include <protocols/risk/alerts.hpp>
#include <protocols/risk/auto_top_up.hpp>
#include <protocols/risk/perp_triggers.hpp>
#include <protocols/actions/perp.hpp>
#include <protocols/eth/tx/receipt_tracker.hpp>
#include <protocols/eth/tx/sender.hpp>
#include <protocols/actions/topup.hpp>
#include <wallet/accounts/account_store.hpp>
#include <wallet/accounts/atomic_file.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <memory>
#include <thread>

namespace nftterm::cli {
namespace {

using namespace nftterm::protocols;
using namespace nftterm::protocols::positions;
using namespace nftterm::protocols::actions;

const std::string kUsage = std::string(R"(usage: nftterm-cli alerts --account ADDR [--account …] [--registry FILE] [--rules FILE]
                          [--notify desktop|none] [--webhook URL] [--exec CMD] [--json]
                          [--interval-ms M] [node options]

Watches the accounts' positions block by block and raises an alert when a
rule is crossed (health or margin below its levels, a loan due or overdue,
a pool loan in auction, cost per day above a limit, a stale oracle price, a
fast price move, the node unreachable), once, and again when it resolves.
Runs until interrupted (SIGINT/SIGTERM), then exits 0.

  --rules FILE     the levels (JSON; see `alerts --print-rules` for the keys
                   and their defaults)
  --print-rules    print the default rules file and exit
  --json           one JSON object per line for every alert event: id, rule,
                   severity (info|warning|critical), state (firing|resolved),
                   position (as `positions --json` names it, or null), account,
                   message, value, threshold, block, escalation
  --webhook URL    POST each event's JSON there (retried with backoff on a
                   thread of its own: a slow receiver never delays a block)
  --exec CMD       run CMD with /bin/sh for each event, its JSON on stdin
  --notify WHERE   desktop: a desktop notification per event (needs a
                   session D-Bus and a notification server); none (default)
  --interval-ms M  how often the head is polled (default 500)

Guarded auto top-up (opt-in per position, off unless --auto-top-up is given):
  --auto-top-up FILE  {"positions": [{"position": ID, "trigger": "1.1",
                   "target": "1.5", "maxPerAction": "5", "maxPerDay": "8"}]}:
                   below its trigger a listed position is topped up to its
                   target, planned as `topup` plans it, once per crossing,
                   never twice for one block, never past either cap (then
                   it alerts instead); each action is an alert event too
  --triggers FILE  {"triggers": [{"position": ID, "stopLoss": "25", "takeProfit":
                   "35", "maxSlippageBps": 100}]}: when a perp's mark crosses
                   a level (a long's stop at or below it, its take at or
                   above; a short's the other way) it is closed as `close`
                   closes it, once per crossing, never twice for one block
  --dry-run        plan and alert what would be done; sign nothing
  --keystore FILE --password-file P | --private-key-file F
                   the software key that pays (unlocked while this runs)
  --journal FILE   the transaction journal (default DATA_DIR/transactions.jsonl)
)") + kCacheUsage + "\n" + kNodeOptionsUsage + kSigningOptionsUsage;

std::atomic<bool> g_stop{false};

/// An auto top-up event for the alert stream.
risk::Alert top_up_event(const Position& position, risk::Severity severity, std::string message, const wallet::U256& amount,
                         const wallet::U256& target, std::uint64_t block)
{
    risk::Alert event;
    event.id = "auto-top-up:" + position.key.id();
    event.rule = "auto-top-up";
    event.severity = severity;
    event.position = position.key.id();
    event.account = position.key.account;
    event.message = std::move(message);
    event.value = amount.format_units(18);
    event.threshold = target.format_units(18);
    event.block = block;
    return event;
}

/// The guarded auto top-ups this snapshot calls for: planned as `topup`
/// plans, checked against the caps, signed (unless a dry run) and waited for.
std::vector<risk::Alert> auto_top_up(risk::AutoTopUpGuard& guard, eth::RpcClient& client, const Registry& registry, const Snapshot& snapshot,
                                     const risk::SecondOpinionSource& second, wallet::Signer* payer, eth::TxJournal* journal,
                                     const std::optional<eth::SendPolicy>& policy, bool dry_run, std::uint64_t now)
{
    std::vector<risk::Alert> events;
    const std::uint64_t block = snapshot.block.number;
    for (const Position& position : snapshot.positions) {
        const risk::AutoTopUpRule* rule = guard.wants(position, block);
        if (!rule) continue;
        const std::string health = risk::health_for_rules(position)->format_units(18).substr(0, 6);
        // Nothing is signed on one node's word when another endpoint sees the position above the trigger.
        std::string unconfirmed;
        if (second) {
            const auto witness = second();
            std::optional<wallet::U256> other;
            if (witness)
                for (const Position& seen : witness->snapshot->positions)
                    if (seen.readable && seen.key.id() == position.key.id()) other = risk::health_for_rules(seen);
            if (other && *other >= rule->trigger) {
                if (guard.hold(*rule, block))
                    events.push_back(top_up_event(position, risk::Severity::Warning, "auto top-up of " + position.key.id() + " held: this node reads health " +
                                                  health + " but " + witness->endpoint + " reads " + other->format_units(18).substr(0, 6) +
                                                  " at the same block; nothing is signed until the endpoints agree", {}, rule->trigger, block));
                continue;
            }
            if (!other) unconfirmed = witness ? " (not confirmed: " + witness->endpoint + " could not read it)" : " (not confirmed: " + witness.error().message() + ")";
        }
        auto plan = plan_top_up(client, registry, position, rule->target, payer ? std::optional(payer->address()) : std::nullopt);
        if (!plan) {
            guard.done(*rule, {}, block, now);
            events.push_back(top_up_event(position, risk::Severity::Warning, "auto top-up of " + position.key.id() + " at health " + health +
                                          " could not be planned: " + plan.error().message(), {}, rule->target, block));
            continue;
        }
        if (const auto why = guard.refuses(*rule, plan->amount, now)) {
            guard.done(*rule, {}, block, now);
            events.push_back(top_up_event(position, risk::Severity::Critical, "auto top-up of " + position.key.id() + " at health " + health +
                                          " refused: " + *why + "; top it up yourself", plan->amount, rule->target, block));
            continue;
        }
        if (dry_run || !payer || !journal || !policy) {
            guard.done(*rule, {}, block, now);
            events.push_back(top_up_event(position, risk::Severity::Info, "dry run: would top up " + position.key.id() + " from health " + health + " to " +
                                          rule->target.format_units(18) + ", paying " + plan->amount.format_units(18), plan->amount, rule->target, block));
            continue;
        }
        eth::NonceManager nonces(client);
        eth::Sender sender(client, *payer, *journal, nonces, *policy);
        eth::ReceiptTracker tracker(client, *journal);
        std::string failure;
        std::uint64_t landed = 0;
        for (const auto& call : plan->calls) {
            const eth::SendRequest request = call.send_request();
            auto sent = sender.send(request);
            if (!sent) {
                failure = "\"" + call.description + "\" was not sent: " + sent.error().message();
                break;
            }
            auto status = tracker.wait(sent->signed_tx.hash, {1, std::chrono::milliseconds(100), std::chrono::minutes(2), {}});
            if (!status || status->state != eth::TxState::Mined) {
                failure = "\"" + call.description + "\" did not land: " + (status ? status->reason : status.error().message());
                break;
            }
            landed = status->receipt->block_number;
        }
        // Whatever happened, this crossing has had its one try: nothing is signed twice for it.
        guard.done(*rule, failure.empty() ? plan->amount : wallet::U256(), block, now);
        if (!failure.empty())
            events.push_back(top_up_event(position, risk::Severity::Critical, "auto top-up of " + position.key.id() + " failed: " + failure, plan->amount,
                                          rule->target, block));
        else
            events.push_back(top_up_event(position, risk::Severity::Info, "auto top-up of " + position.key.id() + " landed in block " + std::to_string(landed) +
                                          ": paid " + plan->amount.format_units(18) + " to bring health " + health + " to " +
                                          plan->predicted_health.format_units(18).substr(0, 6) + unconfirmed, plan->amount, rule->target, block));
    }
    return events;
}

/// Sends a plan's calls in turn and waits for each: what went wrong, in words (empty: all landed), and the last block.
std::string send_calls(eth::RpcClient& client, wallet::Signer& payer, eth::TxJournal& journal, const eth::SendPolicy& policy,
                       const std::vector<actions::PlannedCall>& calls, std::uint64_t& landed)
{
    eth::NonceManager nonces(client);
    eth::Sender sender(client, payer, journal, nonces, policy);
    eth::ReceiptTracker tracker(client, journal);
    for (const auto& call : calls) {
        auto sent = sender.send(call.send_request());
        if (!sent) return "\"" + call.description + "\" was not sent: " + sent.error().message();
        auto status = tracker.wait(sent->signed_tx.hash, {1, std::chrono::milliseconds(100), std::chrono::minutes(2), {}});
        if (!status || status->state != eth::TxState::Mined)
            return "\"" + call.description + "\" did not land: " + (status ? status->reason : status.error().message());
        landed = status->receipt->block_number;
    }
    return {};
}

/// The stop-losses and take-profits this snapshot crosses: each closes its perp as `close` does.
std::vector<risk::Alert> perp_triggers(risk::PerpTriggerGuard& guard, eth::RpcClient& client, const Snapshot& snapshot, wallet::Signer* payer,
                                       eth::TxJournal* journal, const std::optional<eth::SendPolicy>& policy, bool dry_run)
{
    std::vector<risk::Alert> events;
    const std::uint64_t block = snapshot.block.number;
    for (const Position& position : snapshot.positions) {
        const auto wanted = guard.wants(position, block);
        if (!wanted) continue;
        const auto& [trigger, level] = *wanted;
        const std::string mark = position.price->format_units(18);
        const auto event = [&](risk::Severity severity, std::string message) {
            risk::Alert alert;
            alert.id = "trigger:" + position.key.id();
            alert.rule = level;
            alert.severity = severity;
            alert.position = position.key.id();
            alert.account = position.key.account;
            alert.message = std::move(message);
            alert.value = mark;
            alert.threshold = (level == "stop-loss" ? *trigger->stop_loss : *trigger->take_profit).format_units(18);
            alert.block = block;
            return alert;
        };
        // This crossing has its one try, whatever happens below.
        guard.done(*trigger, block);
        auto plan = actions::plan_close(client, position, trigger->max_slippage_bps);
        if (!plan) {
            events.push_back(event(risk::Severity::Critical, level + " of " + position.key.id() + " at mark " + mark + " could not be planned: " + plan.error().message()));
            continue;
        }
        if (dry_run || !payer || !journal || !policy) {
            events.push_back(event(risk::Severity::Info, "dry run: the " + level + " of " + position.key.id() + " would close it at mark " + mark));
            continue;
        }
        std::uint64_t landed = 0;
        const std::string failure = send_calls(client, *payer, *journal, *policy, plan->calls, landed);
        events.push_back(failure.empty() ? event(risk::Severity::Info, "the " + level + " of " + position.key.id() + " closed it at mark " + mark + " in block " + std::to_string(landed))
                                         : event(risk::Severity::Critical, "the " + level + " of " + position.key.id() + " failed: " + failure + "; close it yourself"));
    }
    return events;
}

std::uint64_t unix_now()
{
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

/// Names for the messages: the account store's labels (else none), the registry's symbols.
risk::AlertNames names_of(const PositionSetup& s)
{
    risk::AlertNames names;
    for (const auto& [symbol, unused] : s.registry.amms)
        if (auto address = s.registry.contract(symbol)) names.collections[*address] = symbol;
    for (const auto& [symbol, unused] : s.registry.feeds)
        if (auto address = s.registry.contract(symbol)) names.collections[*address] = symbol;
    // The devnet's actors by name; then the user's own labels, which win.
    if (auto text = wallet::read_small_file(s.registry_file))
        if (auto manifest = devnet::manifest_from_json(*text))
            for (const auto& account : manifest->accounts) names.accounts[account.address] = account.name;
    if (auto store = wallet::AccountStore::open(wallet::AccountStore::default_folder()))
        for (const auto& entry : store->accounts())
            if (!entry.label.empty()) names.accounts[entry.address] = entry.label;
    return names;
}

}  // namespace

int run_alerts_command(int argc, char** argv)
{
    const Arguments args(argc, argv, {"help", "json", "no-cache", "print-rules", "dry-run", "yes"});
    if (args.has("help")) {
        std::cout << kUsage;
        return 0;
    }
    if (args.has("print-rules")) {
        std::cout << risk::levels_to_json({}) << "\n";
        return 0;
    }
    std::vector<std::string> options{"account", "registry", "json", "interval-ms", "rules", "notify", "webhook", "exec", "print-rules",
                                     "auto-top-up", "triggers", "dry-run", "keystore", "password-file", "private-key-file", "journal"};
    options.insert(options.end(), kSigningOptions.begin(), kSigningOptions.end());
    auto parsed = position_setup(args, "alerts", options);
    if (auto* code = std::get_if<int>(&parsed)) return *code;
    auto& s = std::get<PositionSetup>(parsed);
    const auto interval_ms = interval_option(args);
    if (!interval_ms) return 2;
    risk::AlertLevels levels;
    if (s.registry.chain_id == 31337) levels.node_lagging_seconds = 0;  // anvil mines on demand: an idle devnet is not lagging
    if (const auto file = args.value("rules")) {
        auto text = wallet::read_small_file(*file);
        if (!text) {
            std::cerr << "nftterm-cli: cannot read the rules file " << *file << ": " << text.error().message() << "\n";
            return 2;
        }
        auto read = risk::levels_from_json(*text);
        if (!read) {
            std::cerr << "nftterm-cli: " << read.error().message() << " (" << *file << ")\n";
            return 2;
        }
        levels = *read;
    }
    const std::string notify = args.value("notify").value_or("none");
    if (notify != "none" && notify != "desktop") {
        std::cerr << "nftterm-cli: --notify is desktop or none\n";
        return 2;
    }

    const auto report = [](const std::string& why) { std::cerr << "nftterm-cli: alerts: " << why << std::endl; };
    std::vector<std::unique_ptr<risk::AlertChannel>> channels;
    if (const auto url = args.value("webhook")) {
        if (auto checked = eth::check_endpoint_url(*url, s.node.allow_insecure_http); !checked) {
            std::cerr << "nftterm-cli: --webhook: " << checked.error().message() << "\n";
            return 2;
        }
        channels.push_back(std::make_unique<risk::AlertChannel>("webhook", [url = *url](const std::string& line) { return risk::post_json(url, line); }, report));
    }
    if (const auto command = args.value("exec"))
        channels.push_back(std::make_unique<risk::AlertChannel>("--exec", [command = *command](const std::string& line) { return risk::run_with_stdin(command, line); },
                                                                report, 1));
    if (notify == "desktop")
        channels.push_back(std::make_unique<risk::AlertChannel>("desktop notification", [](const std::string& line) { return notify_desktop(line); }, report, 2));

    // The guarded auto top-up: its rules, and a software key when it may sign.
    std::optional<risk::AutoTopUpGuard> guard;
    std::optional<risk::PerpTriggerGuard> triggers;
    std::unique_ptr<wallet::Signer> payer;
    std::unique_ptr<eth::TxJournal> journal;
    std::optional<eth::SendPolicy> policy;
    if (const auto file = args.value("triggers")) {
        auto text = wallet::read_small_file(*file);
        auto read = text ? risk::perp_triggers_from_json(*text) : std::unexpected(Error{Errc::Io, "cannot read " + *file, {}, {}, false});
        if (!read) {
            std::cerr << "nftterm-cli: " << read.error().message() << "\n";
            return 2;
        }
        triggers.emplace(std::move(*read));
    }
    if (args.has("auto-top-up") || args.has("triggers")) {
        const auto file = args.value("auto-top-up");
        if (file) {
            auto text = wallet::read_small_file(*file);
            if (!text) {
                std::cerr << "nftterm-cli: cannot read " << *file << ": " << text.error().message() << "\n";
                return 2;
            }
            auto rules = risk::auto_top_up_rules_from_json(*text);
            if (!rules) {
                std::cerr << "nftterm-cli: " << rules.error().message() << "\n";
                return 2;
            }
            guard.emplace(std::move(*rules));
        }
        if (!args.has("dry-run")) {
            if (!args.has("keystore") && !args.has("private-key-file")) {
                std::cerr << "nftterm-cli: --auto-top-up and --triggers sign: give --keystore FILE with --password-file P, or --private-key-file F (or --dry-run)\n";
                return 2;
            }
            auto signer = signer_from_options(args);
            if (!signer) {
                std::cerr << "nftterm-cli: " << signer.error().message() << "\n";
                return 2;
            }
            payer = std::move(*signer);
            auto opened = eth::TxJournal::open(args.value("journal").value_or((wallet::AccountStore::default_folder() / "transactions.jsonl").string()));
            if (!opened) {
                std::cerr << "nftterm-cli: " << opened.error().message() << "\n";
                return 2;
            }
            journal = std::move(*opened);
            auto bounded = send_policy(args, s.registry.chain_id);
            if (!bounded) {
                std::cerr << "nftterm-cli: " << bounded.error().context << "\n";
                return 2;
            }
            policy = *bounded;
        }
    }

    eth::RpcClient client(s.node);
    Monitor monitor(client, s.registry, s.accounts);
    SecondOpinion second(s.node, s.registry.chain_id);
    risk::AlertEngine engine(levels, names_of(s));
    std::signal(SIGINT, [](int) { g_stop = true; });
    std::signal(SIGTERM, [](int) { g_stop = true; });
    prepare_discovery(monitor, client, s);
    const auto emit = [&](const std::vector<risk::Alert>& events) {
        for (const auto& alert : events) {
            const std::string line = risk::alert_to_json(alert);
            if (args.has("json")) std::cout << line << std::endl;
            else std::cout << to_string(alert.severity) << (alert.state == risk::AlertState::Resolved ? " resolved: " : alert.escalation ? " again: " : ": ")
                           << alert.message << " (block " << alert.block << ")" << std::endl;
            for (const auto& channel : channels) channel->post(line);
        }
    };
    std::uint64_t last_block = 0, last_block_time = 0, refreshes = 0, scanned_head = 0;
    std::optional<std::uint64_t> unreachable_since;
    while (!g_stop) {
        const std::uint64_t now = unix_now();
        auto head = eth::block_number(client);
        if (!head) {
            if (!unreachable_since) unreachable_since = now;
            std::cerr << "nftterm-cli: alerts: " << head.error().message() << "\n";
        } else {
            unreachable_since.reset();
            if (*head != scanned_head) {
                auto found = monitor.discover();
                auto snapshot = found ? monitor.refresh() : std::unexpected(found.error());
                if (!snapshot) {
                    std::cerr << "nftterm-cli: alerts: " << snapshot.error().message() << "\n";
                } else {
                    // Discovery scanned to *head; a block that landed before the refresh is scanned at the next turn.
                    scanned_head = *head;
                    last_block = (*snapshot)->block.number;
                    last_block_time = (*snapshot)->block.timestamp;
                    if (s.state_file && ++refreshes % 50 == 1) (void)monitor.save_state(*s.state_file);
                    // With several endpoints, what turns critical (or makes the watcher sign) is read again through another.
                    risk::SecondOpinionSource ask;
                    if (second.available()) ask = [&] { return second.read(monitor, **snapshot, client.active_endpoint()); };
                    emit(engine.observe(**snapshot, now, ask));
                    if (guard) emit(auto_top_up(*guard, client, s.registry, **snapshot, ask, payer.get(), journal.get(), policy, args.has("dry-run"), now));
                    if (triggers) emit(perp_triggers(*triggers, client, **snapshot, payer.get(), journal.get(), policy, args.has("dry-run")));
                }
            }
        }
        const std::uint64_t head_age = last_block_time > 0 && now > last_block_time ? now - last_block_time : 0;
        emit(engine.observe_node(unreachable_since ? now - *unreachable_since : 0, head_age, last_block, now));
        for (int slept = 0; slept < *interval_ms && !g_stop; slept += 50) std::this_thread::sleep_for(std::chrono::milliseconds(std::min(50, *interval_ms - slept)));
    }
    if (s.state_file) (void)monitor.save_state(*s.state_file);
    // What is queued goes out before the exit, within a few seconds.
    for (const auto& channel : channels) (void)channel->drain(std::chrono::seconds(3));
    return 0;
}

}  // namespace nftterm::cli
