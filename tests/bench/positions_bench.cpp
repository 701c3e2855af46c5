// A full refresh of 1,000 positions (250 per family) against the seeded
// devnet, beside its floor: the same Multicall3 chunks, pre-encoded, sent raw
// as one JSON-RPC batch and the answer not decoded (the node's own execution
// plus the round trip). Prints both, their ratio and the request count.
#include "../support/demo_world_fixture.hpp"
#include "../support/position_farm.hpp"

#include <protocols/eth/abi/abi_json.hpp>
#include <protocols/eth/rpc/transport.hpp>
#include <protocols/positions/monitor.hpp>

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

using namespace nftterm;
using namespace nftterm::protocols;
using Clock = std::chrono::steady_clock;

namespace {

double median_ms(std::vector<double> samples)
{
    std::sort(samples.begin(), samples.end());
    return samples[samples.size() / 2];
}

}  // namespace

int main(int argc, char** argv)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const std::size_t per_family = argc > 1 ? std::stoul(argv[1]) : 250;
    const int rounds = argc > 2 ? std::stoi(argv[2]) : 30;
    tests::DemoWorldFixture world;
    if (!world.ready()) {
        std::fprintf(stderr, "devnet: %s\n", world.error().c_str());
        return 1;
    }
    auto farmed = tests::farm_positions(world, per_family);
    if (!farmed) {
        std::fprintf(stderr, "farm: %s\n", farmed.error().message().c_str());
        return 1;
    }
    auto registry = positions::registry_from_json(devnet::manifest_to_json(world.manifest()));
    positions::Monitor monitor(world.client(), *registry, farmed->accounts);
    if (auto found = monitor.discover(); !found) {
        std::fprintf(stderr, "discover: %s\n", found.error().message().c_str());
        return 1;
    }

    // The floor's payload: aggregate3 of exactly the refresh's calls, in the same chunks (2,000 calls:
    // one eth_call of all 3,500 runs out of anvil's call gas), pre-encoded, as one JSON-RPC batch.
    const auto calls = monitor.plan();
    const std::size_t per_chunk = eth::MulticallOptions{}.max_calls_per_chunk;
    std::string body = "[";
    std::size_t payload_bytes = 0;
    for (std::size_t first = 0, id = 1; first < calls.size(); first += per_chunk, ++id) {
        std::string tuples = "[";
        for (std::size_t i = first; i < std::min(calls.size(), first + per_chunk); ++i)
            tuples += std::string(i > first ? "," : "") + "[\"" + calls[i].target.to_hex() + "\",true,\"" + wallet::to_hex(calls[i].call_data) + "\"]";
        tuples += "]";
        auto calldata = abi::encode_call("aggregate3((address,bool,bytes)[])", "[" + tuples + "]");
        payload_bytes += calldata->size();
        body += std::string(id > 1 ? "," : "") + R"({"jsonrpc":"2.0","id":)" + std::to_string(id) + R"(,"method":"eth_call","params":[{"to":")" +
                eth::multicall3_address().to_hex() + R"(","input":")" + wallet::to_hex(*calldata) + R"("},"latest"]})";
    }
    body += "]";
    auto transport = eth::make_http_transport(world.url());

    std::vector<double> refresh_ms, floor_ms;
    std::size_t positions = 0, requests = 0, reads = 0;
    for (int i = 0; i < rounds + 3; ++i) {
        const auto t0 = Clock::now();
        auto snapshot = monitor.refresh();
        const auto t1 = Clock::now();
        auto raw = transport->post(body);
        const auto t2 = Clock::now();
        if (raw && raw->body.find("\"error\"") != std::string::npos) {
            std::fprintf(stderr, "the floor's request failed: %.300s\n", raw->body.c_str());
            return 1;
        }
        if (!snapshot || !raw) {
            std::fprintf(stderr, "refresh: %s\n", snapshot ? raw.error().message().c_str() : snapshot.error().message().c_str());
            return 1;
        }
        if (i < 3) continue;  // warm-up: connections, caches
        refresh_ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
        floor_ms.push_back(std::chrono::duration<double, std::milli>(t2 - t1).count());
        positions = (*snapshot)->positions.size();
        requests = (*snapshot)->http_requests + 1;  // + the head block
        reads = (*snapshot)->reads;
    }
    // Where the time goes: building the plan, and the Multicall3 round trip alone (encode + send + split, no decode).
    std::vector<double> plan_ms, multicall_ms;
    for (int i = 0; i < rounds; ++i) {
        const auto t0 = Clock::now();
        auto plan = monitor.plan();
        const auto t1 = Clock::now();
        auto results = eth::multicall(world.client(), plan, eth::BlockTag::latest());
        const auto t2 = Clock::now();
        if (!results) return 1;
        plan_ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
        multicall_ms.push_back(std::chrono::duration<double, std::milli>(t2 - t1).count());
    }
    std::printf("of which: building the plan %.2f ms; Multicall3 encode + round trip + split %.2f ms\n", median_ms(plan_ms), median_ms(multicall_ms));
    const double refresh = median_ms(refresh_ms), floor = median_ms(floor_ms);
    std::printf("positions %zu, reads %zu, payload %zu bytes, HTTP requests per refresh %zu\n", positions, reads, payload_bytes, requests);
    std::printf("full refresh (head + encode + send + decode + value + compute + snapshot): median %.2f ms over %d rounds\n", refresh, rounds);
    std::printf("floor (the same chunks pre-encoded, one raw batch, answer not decoded): median %.2f ms\n", floor);
    std::printf("ratio refresh / floor: %.2f (target <= 1.3)\n", refresh / floor);
    return 0;
}
