// A full refresh of a growing book (by default 252, 1,000, 4,000 and 10,000
// positions: PER_FAMILY of each family) against the seeded devnet, beside
// two others reading the same calls at the same block:
//  - the floor: the refresh's own aggregate3 chunks, pre-encoded, sent raw
//    (in the same HTTP requests, together) and the answers not decoded: the
//    node's execution plus the round trip;
//  - the peer: the same reads through viem's multicall, as a bot author would
//    write them (typed calls from the contracts' ABIs, allowFailure, one block),
//    run by node from tests/bench/viem_peer (installed there on first use).
// Prints each, the ratios and the requests a refresh costs.
//
//   positions_bench [PER_FAMILY[,PER_FAMILY…]] [ROUNDS]
#include "../support/demo_world_fixture.hpp"
#include "../support/position_farm.hpp"

#include <protocols/eth/rpc/transport.hpp>
#include <protocols/positions/monitor.hpp>

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <future>
#include <sstream>

using namespace nftterm;
using namespace nftterm::protocols;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

namespace {

double median_ms(std::vector<double> samples)
{
    std::sort(samples.begin(), samples.end());
    return samples[samples.size() / 2];
}

struct Row {
    std::size_t positions = 0, reads = 0, chunks = 0, requests = 0, failed_reads = 0;
    double refresh_ms = 0, floor_ms = 0, viem_ms = 0, encode_ms = 0;
    std::size_t viem_failed_reads = 0;
    std::string viem_error;
};

/// The refresh's chunks as raw JSON-RPC batches, cut at the same request size.
std::vector<std::string> floor_bodies(const eth::PreparedReads& reads)
{
    std::vector<std::string> bodies;
    std::string body;
    std::size_t id = 1;
    for (const auto& params : reads.chunk_params(eth::BlockTag::latest())) {
        std::string request = R"({"jsonrpc":"2.0","id":)" + std::to_string(id++) + R"(,"method":"eth_call","params":)" + params + "}";
        if (!body.empty() && body.size() + request.size() > reads.options().max_request_bytes) {
            bodies.push_back(body + "]");
            body.clear();
        }
        body += (body.empty() ? "[" : ",") + request;
    }
    bodies.push_back(body + "]");
    return bodies;
}

std::string run_command(const std::string& command)
{
    std::string out;
    if (FILE* pipe = ::popen(command.c_str(), "r")) {
        char buffer[4096];
        while (std::fgets(buffer, sizeof buffer, pipe)) out += buffer;
        if (::pclose(pipe) != 0) out = "failed: " + out;
    }
    return out;
}

/// viem's multicall over the same calls, `rounds` times after a warm-up; fills the viem_ fields.
void run_viem_peer(const std::string& url, const eth::PreparedReads& reads, int rounds, Row& row)
{
    const std::string peer = NFTTERM_VIEM_PEER_DIR;
    if (::access((peer + "/node_modules/viem/package.json").c_str(), R_OK) != 0) {
        std::fprintf(stderr, "installing the viem peer (npm ci in %s)\n", peer.c_str());
        if (std::system(("cd '" + peer + "' && npm ci --no-audit --no-fund --loglevel=error >&2").c_str()) != 0) {
            row.viem_error = "npm ci failed in " + peer;
            return;
        }
    }
    // viem cuts chunks by calldata bytes: as many bytes as the refresh's chunks hold on average.
    std::size_t calldata_bytes = 0;
    json calls = json::array();
    for (const auto& call : reads.calls()) {
        calldata_bytes += call.call_data.size();
        calls.push_back({{"target", call.target.to_hex()}, {"data", wallet::to_hex(call.call_data)}});
    }
    const std::size_t chunks = std::max<std::size_t>(1, reads.chunk_params(eth::BlockTag::latest()).size());
    const json plan = {{"url", url},
                       {"multicall", eth::multicall3_address().to_hex()},
                       {"batchSize", calldata_bytes / chunks + 1},
                       {"rounds", rounds},
                       {"abiFiles", {std::string(NFTTERM_CONTRACTS_DIR) + "/nftterm_contracts.json", std::string(NFTTERM_CONTRACTS_DIR) + "/test_contracts.json"}},
                       {"calls", calls}};
    const auto file = std::filesystem::temp_directory_path() / ("nftterm-viem-plan-" + std::to_string(::getpid()) + ".json");
    std::ofstream(file) << plan.dump();
    const std::string out = run_command(std::string(NFTTERM_NODE) + " '" + peer + "/multicall.mjs' '" + file.string() + "'");
    std::filesystem::remove(file);
    const auto answer = json::parse(out, nullptr, false);
    if (answer.is_discarded() || !answer.contains("medianMs")) {
        row.viem_error = out.substr(0, 300);
        return;
    }
    row.viem_ms = answer["medianMs"].get<double>();
    row.viem_failed_reads = answer["failedReads"].get<std::size_t>();
}

std::optional<Row> measure(std::size_t per_family, int rounds)
{
    tests::DemoWorldFixture world;
    if (!world.ready()) {
        std::fprintf(stderr, "devnet: %s\n", world.error().c_str());
        return std::nullopt;
    }
    auto farmed = tests::farm_positions(world, per_family);
    if (!farmed) {
        std::fprintf(stderr, "farm: %s\n", farmed.error().message().c_str());
        return std::nullopt;
    }
    auto registry = positions::registry_from_json(devnet::manifest_to_json(world.manifest()));
    positions::Monitor monitor(world.client(), *registry, farmed->accounts);
    if (auto found = monitor.discover(); !found) {
        std::fprintf(stderr, "discover: %s\n", found.error().message().c_str());
        return std::nullopt;
    }
    // The first refresh finds how many calls a chunk may hold within the node's call gas; the
    // floor and the peer then send what every later refresh sends.
    if (auto first = monitor.refresh(); !first) {
        std::fprintf(stderr, "refresh: %s\n", first.error().message().c_str());
        return std::nullopt;
    }
    const eth::PreparedReads& reads = monitor.prepared_reads();
    const auto bodies = floor_bodies(reads);
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
            if (const auto at = answer->body.find("\"error\""); at != std::string::npos)
                return "the floor's request failed: " + answer->body.substr(at < 200 ? 0 : at - 200, 500);
        }
        return std::nullopt;
    };

    Row row;
    std::vector<double> refresh_ms, floor_ms;
    for (int i = 0; i < rounds + 3; ++i) {
        const auto t0 = Clock::now();
        auto snapshot = monitor.refresh();
        const auto t1 = Clock::now();
        auto floor_error = send_floor();
        const auto t2 = Clock::now();
        if (floor_error) {
            std::fprintf(stderr, "floor: %s\n", floor_error->c_str());
            return std::nullopt;
        }
        if (!snapshot) {
            std::fprintf(stderr, "refresh: %s\n", snapshot.error().message().c_str());
            return std::nullopt;
        }
        if (i < 3) continue;  // warm-up: connections, caches
        refresh_ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
        floor_ms.push_back(std::chrono::duration<double, std::milli>(t2 - t1).count());
        row.positions = (*snapshot)->positions.size();
        row.requests = (*snapshot)->http_requests;  // the head goes with the reads
        row.reads = (*snapshot)->reads;
        row.chunks = (*snapshot)->chunks;
    }
    // Encoding the plan happens once per change of positions, not per refresh.
    std::vector<double> encode_ms;
    for (int i = 0; i < 3; ++i) {
        const auto t0 = Clock::now();
        const eth::PreparedReads prepared(reads.calls(), reads.options());
        encode_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    }
    if (auto results = reads.run(world.client(), eth::BlockTag::latest()))
        row.failed_reads = static_cast<std::size_t>(std::count_if(results->begin(), results->end(), [](const auto& r) { return !r.success; }));
    row.refresh_ms = median_ms(refresh_ms);
    row.floor_ms = median_ms(floor_ms);
    row.encode_ms = median_ms(encode_ms);
    run_viem_peer(world.url(), reads, rounds, row);
    return row;
}

}  // namespace

int main(int argc, char** argv)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    std::vector<std::size_t> sizes;
    std::stringstream list(argc > 1 ? argv[1] : "63,250,1000,2500");
    for (std::string item; std::getline(list, item, ',');) sizes.push_back(std::stoul(item));
    const int rounds = argc > 2 ? std::stoi(argv[2]) : 10;

    std::vector<Row> rows;
    for (const auto per_family : sizes) {
        std::fprintf(stderr, "farming %zu positions per family…\n", per_family);
        auto row = measure(per_family, rounds);
        if (!row) return 1;
        rows.push_back(*row);
    }
    std::printf("Median of %d refreshes per size (after 3 warm-up rounds); ms.\n", rounds);
    std::printf("refresh: head + send + decode + value + compute + snapshot; floor: the same chunks pre-encoded, sent raw, not decoded;\n"
                "viem: the same calls through viem's multicall at the head block (node, decoded by viem).\n\n");
    std::printf("%9s %7s %6s %8s %10s %9s %9s %14s %12s %10s\n", "positions", "reads", "chunks", "requests", "refresh", "floor", "viem",
                "refresh/floor", "viem/floor", "encode");
    for (const auto& row : rows) {
        std::printf("%9zu %7zu %6zu %8zu %10.2f %9.2f %9.2f %14.2f %12.2f %10.2f\n", row.positions, row.reads, row.chunks, row.requests,
                    row.refresh_ms, row.floor_ms, row.viem_ms, row.refresh_ms / row.floor_ms, row.viem_ms / row.floor_ms, row.encode_ms);
        if (!row.viem_error.empty()) std::printf("          viem peer failed: %s\n", row.viem_error.c_str());
        else if (row.viem_failed_reads != row.failed_reads)
            std::printf("          note: %zu reads failed through viem, %zu through the refresh\n", row.viem_failed_reads, row.failed_reads);
    }
    std::printf("\ntarget: refresh / floor <= 1.3 at every size\n");
    return 0;
}
