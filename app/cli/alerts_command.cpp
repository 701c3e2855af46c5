#include "alerts_command.hpp"

#include "arguments.hpp"
#include "desktop_notify.hpp"
#include "node_options.hpp"
#include "position_setup.hpp"

#include <protocols/devnet/demo_world.hpp>
#include <protocols/eth/rpc/endpoint_url.hpp>
#include <protocols/eth/rpc/eth_api.hpp>
#include <protocols/positions/monitor.hpp>
#include <protocols/risk/alert_channels.hpp>
#include <protocols/risk/alert_rules_file.hpp>
#include <protocols/risk/alerts.hpp>
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
)") + kCacheUsage + "\n" + kNodeOptionsUsage;

std::atomic<bool> g_stop{false};

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
    const Arguments args(argc, argv, {"help", "json", "no-cache", "print-rules"});
    if (args.has("help")) {
        std::cout << kUsage;
        return 0;
    }
    if (args.has("print-rules")) {
        std::cout << risk::levels_to_json({}) << "\n";
        return 0;
    }
    auto parsed = position_setup(args, "alerts", {"account", "registry", "json", "interval-ms", "rules", "notify", "webhook", "exec", "print-rules"});
    if (auto* code = std::get_if<int>(&parsed)) return *code;
    auto& s = std::get<PositionSetup>(parsed);
    const std::string interval_text = args.value("interval-ms").value_or("500");
    const int interval_ms = std::atoi(interval_text.c_str());
    if (interval_ms <= 0 || std::to_string(interval_ms) != interval_text) {
        std::cerr << "nftterm-cli: --interval-ms is a positive whole number of milliseconds\n";
        return 2;
    }
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

    eth::RpcClient client(s.node);
    Monitor monitor(client, s.registry, s.accounts);
    risk::AlertEngine engine(levels, names_of(s));
    std::signal(SIGINT, [](int) { g_stop = true; });
    std::signal(SIGTERM, [](int) { g_stop = true; });
    if (s.state_file) {
        if (auto loaded = monitor.load_state(*s.state_file); !loaded) std::cerr << "nftterm-cli: warning: " << loaded.error().message() << "\n";
    }
    const auto emit = [&](const std::vector<risk::Alert>& events) {
        for (const auto& alert : events) {
            const std::string line = risk::alert_to_json(alert);
            if (args.has("json")) std::cout << line << std::endl;
            else std::cout << to_string(alert.severity) << (alert.state == risk::AlertState::Resolved ? " resolved: " : alert.escalation ? " again: " : ": ")
                           << alert.message << " (block " << alert.block << ")" << std::endl;
            for (const auto& channel : channels) channel->post(line);
        }
    };
    std::uint64_t last_block = 0, last_block_time = 0, refreshes = 0;
    std::optional<std::uint64_t> unreachable_since;
    while (!g_stop) {
        const std::uint64_t now = unix_now();
        auto head = eth::block_number(client);
        if (!head) {
            if (!unreachable_since) unreachable_since = now;
            std::cerr << "nftterm-cli: alerts: " << head.error().message() << "\n";
        } else {
            unreachable_since.reset();
            if (*head != last_block) {
                auto found = monitor.discover();
                auto snapshot = found ? monitor.refresh() : std::unexpected(found.error());
                if (!snapshot) {
                    std::cerr << "nftterm-cli: alerts: " << snapshot.error().message() << "\n";
                } else {
                    last_block = (*snapshot)->block.number;
                    last_block_time = (*snapshot)->block.timestamp;
                    if (s.state_file && ++refreshes % 50 == 1) (void)monitor.save_state(*s.state_file);
                    emit(engine.observe(**snapshot, now));
                }
            }
        }
        const std::uint64_t head_age = last_block_time > 0 && now > last_block_time ? now - last_block_time : 0;
        emit(engine.observe_node(unreachable_since ? now - *unreachable_since : 0, head_age, last_block, now));
        for (int slept = 0; slept < interval_ms && !g_stop; slept += 50) std::this_thread::sleep_for(std::chrono::milliseconds(std::min(50, interval_ms - slept)));
    }
    if (s.state_file) (void)monitor.save_state(*s.state_file);
    // What is queued goes out before the exit, within a few seconds.
    for (const auto& channel : channels) (void)channel->drain(std::chrono::seconds(3));
    return 0;
}

}  // namespace nftterm::cli
