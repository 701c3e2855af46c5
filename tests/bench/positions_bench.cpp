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
#include <future>

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

    // The floor's payload: aggregate3 of exactly the refresh's calls, cut the same way (at most 2,000
    // calls or 512 KiB of calldata per eth_call, at most 1.9 MB of JSON per HTTP request; one eth_call
    // of all reads runs out of anvil's call gas, and anvil refuses bodies over 2 MiB), pre-encoded.
    const auto calls = monitor.plan();
    const eth::MulticallOptions limits;
    std::vector<std::string> bodies;
    std::string body;
    std::size_t payload_bytes = 0, id = 1;
    for (std::size_t first = 0; first < calls.size();) {
        std::string tuples = "[";
        std::size_t bytes = 0, count = 0;
        while (first + count < calls.size() && count < limits.max_calls_per_chunk) {
            const auto& call = calls[first + count];
            const std::size_t size = 5 * 32 + (call.call_data.size() + 31) / 32 * 32;
            if (count > 0 && bytes + size > limits.max_calldata_bytes) break;
            tuples += std::string(count ? "," : "") + "[\"" + call.target.to_hex() + "\",true,\"" + wallet::to_hex(call.call_data) + "\"]";
            bytes += size;
            ++count;
        }
        first += count;
        tuples += "]";
        auto calldata = abi::encode_call("aggregate3((address,bool,bytes)[])", "[" + tuples + "]");
        payload_bytes += calldata->size();
        const std::string request = R"({"jsonrpc":"2.0","id":)" + std::to_string(id++) + R"(,"method":"eth_call","params":[{"to":")" +
                                    eth::multicall3_address().to_hex() + R"(","input":")" + wallet::to_hex(*calldata) + R"("},"latest"]})";
        if (!body.empty() && body.size() + request.size() > limits.max_request_bytes) {
            bodies.push_back(body + "]");
            body.clear();
        }
        body += (body.empty() ? "[" : ",") + request;
    }
    bodies.push_back(body + "]");
    std::vector<std::unique_ptr<eth::Transport>> transports;
    for (std::size_t i = 0; i < bodies.size(); ++i) transports.push_back(eth::make_http_transport(world.url()));
    // The floor sends its requests together, as a refresh does.
    const auto send_floor = [&]() -> std::optional<std::string> {
        std::vector<std::future<Result<eth::HttpResponse>>> others;
        for (std::size_t i = 1; i < bodies.size(); ++i)
            others.push_back(std::async(std::launch::async, [&, i] { return transports[i]->post(bodies[i]); }));
        std::vector<Result<eth::HttpResponse>> answers;
        answers.push_back(transports[0]->post(bodies[0]));
        for (auto& other : others) answers.push_back(other.get());
        for (auto& answer : answers) {
            if (!answer) return answer.error().message();
            if (answer->body.find("\"error\"") != std::string::npos) return "the floor's request failed: " + answer->body.substr(0, 300);
        }
        return std::nullopt;
    };

    std::vector<double> refresh_ms, floor_ms;
    std::size_t positions = 0, requests = 0, reads = 0;
    for (int i = 0; i < rounds + 3; ++i) {
        const auto t0 = Clock::now();
        auto snapshot = monitor.refresh();
        const auto t1 = Clock::now();
        auto floor_error = send_floor();
        const auto t2 = Clock::now();
        if (floor_error) {
            std::fprintf(stderr, "floor: %s\n", floor_error->c_str());
            return 1;
        }
        if (!snapshot) {
            std::fprintf(stderr, "refresh: %s\n", snapshot.error().message().c_str());
            return 1;
        }
        if (i < 3) continue;  // warm-up: connections, caches
        refresh_ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
        floor_ms.push_back(std::chrono::duration<double, std::milli>(t2 - t1).count());
        positions = (*snapshot)->positions.size();
        requests = (*snapshot)->http_requests + 1;  // + the head block
        reads = (*snapshot)->reads;
    }
    // Where the time goes: encoding the plan (once, while the positions stay the same), and the
    // Multicall3 round trip alone (send + split into results, no adapter decoding).
    std::vector<double> encode_ms, multicall_ms;
    for (int i = 0; i < rounds; ++i) {
        const auto t0 = Clock::now();
        const eth::PreparedReads prepared(calls);
        const auto t1 = Clock::now();
        auto results = prepared.run(world.client(), eth::BlockTag::latest());
        const auto t2 = Clock::now();
        if (!results) return 1;
        encode_ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
        multicall_ms.push_back(std::chrono::duration<double, std::milli>(t2 - t1).count());
    }
    std::printf("of which: encoding the plan %.2f ms (once per change of positions); Multicall3 send + split %.2f ms\n", median_ms(encode_ms),
                median_ms(multicall_ms));
    const double refresh = median_ms(refresh_ms), floor = median_ms(floor_ms);
    std::printf("positions %zu, reads %zu, payload %zu bytes in %zu HTTP request(s) + the head block: %zu per refresh\n", positions, reads, payload_bytes,
                bodies.size(), requests);
    std::printf("full refresh (head + encode + send + decode + value + compute + snapshot): median %.2f ms over %d rounds\n", refresh, rounds);
    std::printf("floor (the same chunks pre-encoded, one raw batch, answer not decoded): median %.2f ms\n", floor);
    std::printf("ratio refresh / floor: %.2f (target <= 1.3)\n", refresh / floor);
    return 0;
}
