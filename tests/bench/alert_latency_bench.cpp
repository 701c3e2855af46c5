// alert_latency_bench: from the block in which a position's health crosses
// the critical level to the desktop notification handed to D-Bus, through
// the window's real path (node monitor on its worker thread, the rules, the
// bridge, AlertNotifier, a notification server on a session bus).
// Run under a session bus of its own:
//   dbus-run-session -- build/tests/bench/alert_latency_bench [ROUNDS]
// Target: one refresh plus under 250 ms.

#include "../support/demo_world_fixture.hpp"
#include "../support/notification_server.hpp"

#include <app/alert_notifier.hpp>
#include <app/monitor_bridge.hpp>

#include <curl/curl.h>

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace nftterm;
using wallet::U256;

namespace {

double median(std::vector<double> values)
{
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

}  // namespace

int main(int argc, char** argv)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    QCoreApplication app(argc, argv);
    const int rounds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
    tests::NotificationServer server;
    if (!server.start()) {
        std::fprintf(stderr, "no session bus or org.freedesktop.Notifications is taken: run under dbus-run-session\n");
        return 1;
    }
    tests::DemoWorldFixture world;
    if (!world.ready()) {
        std::fprintf(stderr, "devnet: %s\n", world.error().c_str());
        return 1;
    }
    app::MonitorConfig config;
    config.registry = *protocols::positions::registry_from_json(protocols::devnet::manifest_to_json(world.manifest()));
    config.accounts = {world.address_of("alice"), world.address_of("bob"), world.address_of("carol")};
    config.node.urls = {world.url()};
    config.node.chain_id = config.registry.chain_id;
    config.poll_ms = 50;
    config.alert_levels.node_lagging_seconds = 0;
    app::MonitorBridge bridge(config);
    app::AlertNotifier notifier;
    double last_refresh_ms = 0;
    QObject::connect(&bridge, &app::MonitorBridge::snapshotReady, &notifier, [&](const app::SnapshotUpdate& update) { last_refresh_ms = update.refresh_ms; });
    QObject::connect(&bridge, &app::MonitorBridge::alertsRaised, &notifier, [&](const app::AlertEvents& events) {
        for (const auto& alert : events.alerts) notifier.deliver(alert, QDateTime::currentSecsSinceEpoch());
    });
    const auto wait_for = [&](const std::function<bool()>& done, int limit_ms) {
        QElapsedTimer clock;
        clock.start();
        while (!done() && clock.elapsed() < limit_ms) QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        return done();
    };
    bridge.start();
    // The first block's alerts (the demo world starts with weak loans), then quiet.
    wait_for([&] { return !server.shown().isEmpty(); }, 30000);
    wait_for([] { return false; }, 1000);

    const wallet::Address oracle = world.contract("NFTOracle");
    const wallet::Address dape = world.contract("DAPE");
    const U256 price = world.read_u256(oracle, "getAssetPrice(address)", "[\"" + dape.to_hex() + "\"]");
    std::vector<double> latency, refresh;
    for (int round = 0; round < rounds; ++round) {
        const auto before = server.shown().size();
        const auto urgent_after = [&] {
            for (auto i = before; i < server.shown().size(); ++i)
                if (server.shown()[i].urgency == 2 && server.shown()[i].body.contains(QStringLiteral("pool loan: health"))) return true;
            return false;
        };
        // The crossing block: DAPE's floor halves; the send returns once it is mined.
        (void)world.send("deployer", oracle, "setAssetData(address,uint256)", "[\"" + dape.to_hex() + "\",\"" + (price / U256(2)).to_dec() + "\"]");
        const qint64 mined = QDateTime::currentMSecsSinceEpoch();
        if (!wait_for(urgent_after, 30000)) {
            std::fprintf(stderr, "round %d: no critical notification within 30 s\n", round);
            return 1;
        }
        latency.push_back(double(QDateTime::currentMSecsSinceEpoch() - mined));
        refresh.push_back(last_refresh_ms);
        // Back to the old price: the alerts resolve before the next round.
        (void)world.send("deployer", oracle, "setAssetData(address,uint256)", "[\"" + dape.to_hex() + "\",\"" + price.to_dec() + "\"]");
        wait_for([] { return false; }, 1500);
    }
    std::vector<double> rest;
    for (std::size_t i = 0; i < latency.size(); ++i) rest.push_back(latency[i] - refresh[i]);
    std::printf("alert latency, %d rounds (block mined -> critical notification handed to D-Bus and received), poll every %d ms\n", rounds,
                config.poll_ms);
    std::printf("  latency        median %7.1f ms  max %7.1f ms\n", median(latency), *std::max_element(latency.begin(), latency.end()));
    std::printf("  of which the refresh  median %7.1f ms\n", median(refresh));
    std::printf("  the rest (poll wait, rules, queue, D-Bus)  median %7.1f ms  max %7.1f ms  (target < 250 ms)\n", median(rest),
                *std::max_element(rest.begin(), rest.end()));
    return 0;
}
