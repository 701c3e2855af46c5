#include "rpc_client.hpp"

#include "endpoint_url.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <thread>

namespace nftterm::protocols::eth {
namespace {

using Clock = std::chrono::steady_clock;

/// A failure that says nothing about the call, only about the endpoint: try another.
bool is_endpoint_fault(const Error& error) noexcept
{
    return error.code == Errc::Transport || error.code == Errc::Http || error.code == Errc::Json
           || error.code == Errc::ChainId;
}

Result<std::uint64_t> parse_quantity(const std::string& json_text)
{
    try {
        const auto value = nlohmann::json::parse(json_text);
        if (value.is_string()) {
            const auto text = value.get<std::string>();
            if (text.size() > 2 && text.size() <= 18 && text.starts_with("0x"))
                return std::stoull(text.substr(2), nullptr, 16);
        }
    } catch (const std::exception&) {
    }
    return fail(Errc::Json, "expected a hex quantity, got " + json_text.substr(0, 80));
}

/// "http://a:1: connection refused" → "connection refused" (the caller names the endpoint).
std::string without_endpoint(const std::string& text, const std::string& url)
{
    return text.starts_with(url + ": ") ? text.substr(url.size() + 2) : text;
}

/// "a: refused (3 times); b: HTTP 500" — each distinct failure once, in order.
std::string summarize(const std::vector<std::string>& failures)
{
    std::vector<std::pair<std::string, int>> distinct;
    for (const auto& failure : failures) {
        auto same = std::find_if(distinct.begin(), distinct.end(), [&](const auto& seen) { return seen.first == failure; });
        if (same == distinct.end()) distinct.emplace_back(failure, 1);
        else ++same->second;
    }
    std::string text;
    for (const auto& [failure, count] : distinct) {
        if (!text.empty()) text += "; ";
        text += failure;
        if (count > 1) text += " (" + std::to_string(count) + " times)";
    }
    return text;
}

}  // namespace

struct Endpoint {
    explicit Endpoint(std::string url) : address(std::move(url)) { health.url = redact_url(address); }

    /// The address as given (it may hold an API key); health.url is what may be shown.
    const std::string address;
    mutable std::mutex mutex;
    std::vector<std::unique_ptr<Transport>> idle;
    EndpointHealth health;
    bool verified = false;
    Clock::time_point cooldown_until{};
};

struct RpcClient::Impl {
    enum class Policy { Read, SendToEachOnce, Once };

    explicit Impl(RpcClientOptions opts) : options(std::move(opts)), pinned_chain(options.chain_id)
    {
        for (const auto& url : options.urls) {
            if (auto allowed = check_endpoint_url(url, options.allow_insecure_http); !allowed && !refused) refused = allowed.error();
            endpoints.push_back(std::make_unique<Endpoint>(url));
        }
    }

    /// The first endpoint the options may not use: every call fails with it, before anything is sent.
    std::optional<Error> refused;

    RpcClientOptions options;
    std::vector<std::unique_ptr<Endpoint>> endpoints;
    std::atomic<std::uint64_t> next_id{1};
    mutable std::mutex chain_mutex;
    std::optional<std::uint64_t> pinned_chain;
    mutable std::mutex active_mutex;
    std::string active;
    std::atomic<std::uint64_t> log_span{0};
    std::atomic<std::uint64_t> log_hint{0};
    std::atomic<std::uint64_t> log_requests{0};
    std::atomic<std::uint64_t> log_refusals{0};

    Result<HttpResponse> post(Endpoint& endpoint, const std::string& body)
    {
        std::unique_ptr<Transport> transport;
        {
            std::lock_guard lock(endpoint.mutex);
            if (!endpoint.idle.empty()) {
                transport = std::move(endpoint.idle.back());
                endpoint.idle.pop_back();
            }
        }
        if (!transport) transport = make_http_transport(endpoint.address, options.transport);
        auto response = transport->post(body);
        // A transport that failed may hold a broken connection: let it go.
        if (response) {
            std::lock_guard lock(endpoint.mutex);
            endpoint.idle.push_back(std::move(transport));
        }
        return response;
    }

    void record_success(Endpoint& endpoint, std::chrono::microseconds elapsed)
    {
        {
            std::lock_guard lock(endpoint.mutex);
            auto& health = endpoint.health;
            const double ms = static_cast<double>(elapsed.count()) / 1000.0;
            health.latency_ms = health.requests == 0 ? ms : 0.8 * health.latency_ms + 0.2 * ms;
            ++health.requests;
            health.failures_in_a_row = 0;
            endpoint.cooldown_until = {};
        }
        std::lock_guard lock(active_mutex);
        active = endpoint.health.url;
    }

    void record_failure(Endpoint& endpoint, const Error& error)
    {
        std::lock_guard lock(endpoint.mutex);
        auto& health = endpoint.health;
        ++health.requests;
        ++health.failures;
        ++health.failures_in_a_row;
        health.last_error = error.message();
        if (error.code == Errc::ChainId) health.on_chain = false;
        // Whatever answers next time may be another node: check its chain again.
        if (error.code == Errc::Transport || error.code == Errc::Http) endpoint.verified = false;
        if (health.failures_in_a_row >= options.failures_before_cooldown)
            endpoint.cooldown_until = Clock::now() + options.cooldown;
    }

    /// eth_chainId on first use and after a failure; pins the chain if nobody set it.
    Result<void> verify(Endpoint& endpoint)
    {
        {
            std::lock_guard lock(endpoint.mutex);
            if (endpoint.verified) return {};
        }
        const std::uint64_t id = next_id++;
        auto body = make_request(id, {"eth_chainId", "[]"});
        auto response = post(endpoint, *body);
        if (!response) return std::unexpected(response.error());
        auto result = parse_response(response->body, id);
        if (!result) return std::unexpected(result.error());
        auto chain = parse_quantity(*result);
        if (!chain) return std::unexpected(chain.error());
        {
            std::lock_guard lock(chain_mutex);
            if (!pinned_chain) pinned_chain = *chain;
            if (*pinned_chain != *chain)
                return fail(Errc::ChainId, "the endpoint is on chain " + std::to_string(*chain) + ", not chain "
                                               + std::to_string(*pinned_chain) + " (check --rpc-url)");
        }
        std::lock_guard lock(endpoint.mutex);
        endpoint.health.chain_id = *chain;
        endpoint.verified = true;
        return {};
    }

    /// Endpoints to try, best first: on the right chain, then not cooling
    /// down and not lagging before those that are.
    std::vector<Endpoint*> candidates()
    {
        std::vector<Endpoint*> good;
        std::vector<Endpoint*> doubtful;
        const auto now = Clock::now();
        for (auto& endpoint : endpoints) {
            std::lock_guard lock(endpoint->mutex);
            if (!endpoint->health.on_chain) continue;
            const bool cooling = endpoint->cooldown_until > now;
            endpoint->health.cooling_down = cooling;
            (cooling || endpoint->health.lag > options.max_block_lag ? doubtful : good).push_back(endpoint.get());
        }
        good.insert(good.end(), doubtful.begin(), doubtful.end());
        return good;
    }

    template <typename T>
    Result<T> run(const std::string& what, Policy policy, const std::function<Result<T>(Endpoint&)>& attempt)
    {
        if (endpoints.empty())
            return fail(Errc::Config, what + ": no RPC endpoint (give --rpc-url or set ETH_RPC_URL)");
        if (refused) return std::unexpected(*refused);
        std::vector<std::string> failures;
        Errc last_code = Errc::Transport;
        const int rounds = policy == Policy::Read ? std::max(1, options.read_rounds) : 1;
        for (int round = 0; round < rounds; ++round) {
            if (round > 0) std::this_thread::sleep_for(options.backoff * (1 << (round - 1)));
            auto order = candidates();
            if (order.empty()) break;
            if (policy == Policy::Once) order.resize(1);
            for (Endpoint* endpoint : order) {
                const auto started = Clock::now();
                Result<T> outcome = [&]() -> Result<T> {
                    if (auto checked = verify(*endpoint); !checked) return std::unexpected(checked.error());
                    return attempt(*endpoint);
                }();
                if (outcome || !is_endpoint_fault(outcome.error())) {
                    record_success(*endpoint, std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started));
                    if (!outcome) {
                        outcome.error().context = what + " via " + endpoint->health.url + ": " + outcome.error().context;
                        outcome.error().earlier_attempt_unanswered = !failures.empty();
                    }
                    return outcome;
                }
                record_failure(*endpoint, outcome.error());
                last_code = outcome.error().code;
                std::string failure = endpoint->health.url + ": " + without_endpoint(outcome.error().context, endpoint->health.url);
                if (outcome.error().cause) failure += " (" + outcome.error().cause->message() + ")";
                failures.push_back(std::move(failure));
            }
        }
        if (failures.empty()) return fail(Errc::ChainId, what + ": every endpoint is on another chain");
        return fail(last_code, what + ": no endpoint answered (" + summarize(failures) + ")");
    }
};

RpcClient::RpcClient(RpcClientOptions options) : m_impl(std::make_unique<Impl>(std::move(options))) {}
RpcClient::~RpcClient() = default;

Result<std::string> RpcClient::call(std::string_view method, std::string_view params_json)
{
    const RpcCall request{std::string(method), std::string(params_json)};
    const auto policy = is_read_method(method)            ? Impl::Policy::Read
                        : method == "eth_sendRawTransaction" ? Impl::Policy::SendToEachOnce
                                                             : Impl::Policy::Once;
    // Malformed params are the caller's mistake: say so before any endpoint is bothered.
    if (auto checked = make_request(0, request); !checked) return std::unexpected(checked.error());
    std::function<Result<std::string>(Endpoint&)> attempt = [&](Endpoint& endpoint) -> Result<std::string> {
        const std::uint64_t id = m_impl->next_id++;
        auto body = make_request(id, request);
        if (!body) return std::unexpected(body.error());
        auto response = m_impl->post(endpoint, *body);
        if (!response) return std::unexpected(response.error());
        return parse_response(response->body, id);
    };
    return m_impl->run(request.method, policy, attempt);
}

Result<std::vector<Result<std::string>>> RpcClient::batch(const std::vector<RpcCall>& calls)
{
    using Answers = std::vector<Result<std::string>>;
    if (calls.empty()) return Answers{};
    bool all_reads = true;
    for (const auto& call : calls) all_reads = all_reads && is_read_method(call.method);
    // Checked and written once; a retry writes it again with fresh ids.
    std::uint64_t first_id = m_impl->next_id.fetch_add(calls.size());
    auto first_body = make_batch_request(first_id, calls);
    if (!first_body) return std::unexpected(first_body.error());
    std::function<Result<Answers>(Endpoint&)> attempt = [&](Endpoint& endpoint) -> Result<Answers> {
        std::string body;
        std::uint64_t first = first_id;
        if (first_body->empty()) {
            first = m_impl->next_id.fetch_add(calls.size());
            auto again = make_batch_request(first, calls);
            if (!again) return std::unexpected(again.error());
            body = std::move(*again);
        } else {
            body = std::move(*first_body);
            first_body->clear();
        }
        auto response = m_impl->post(endpoint, body);
        if (!response) return std::unexpected(response.error());
        return parse_batch_response(response->body, first, calls.size());
    };
    const std::string what = "batch of " + std::to_string(calls.size()) + " (" + calls.front().method + (calls.size() > 1 ? ", …)" : ")");
    return m_impl->run(what, all_reads ? Impl::Policy::Read : Impl::Policy::Once, attempt);
}

Result<std::uint64_t> RpcClient::chain_id()
{
    {
        std::lock_guard lock(m_impl->chain_mutex);
        if (m_impl->pinned_chain) {
            bool any_verified = false;
            for (auto& endpoint : m_impl->endpoints) {
                std::lock_guard endpoint_lock(endpoint->mutex);
                any_verified = any_verified || endpoint->verified;
            }
            if (any_verified) return *m_impl->pinned_chain;
        }
    }
    auto answer = call("eth_chainId");
    if (!answer) return std::unexpected(answer.error());
    return parse_quantity(*answer);
}

void RpcClient::probe_heads()
{
    if (m_impl->refused) return;
    std::vector<std::pair<Endpoint*, std::uint64_t>> heads;
    for (auto& endpoint : m_impl->endpoints) {
        {
            std::lock_guard lock(endpoint->mutex);
            if (!endpoint->health.on_chain) continue;
        }
        const auto started = Clock::now();
        auto head = [&]() -> Result<std::uint64_t> {
            if (auto checked = m_impl->verify(*endpoint); !checked) return std::unexpected(checked.error());
            const std::uint64_t id = m_impl->next_id++;
            auto response = m_impl->post(*endpoint, *make_request(id, {"eth_blockNumber", "[]"}));
            if (!response) return std::unexpected(response.error());
            auto result = parse_response(response->body, id);
            if (!result) return std::unexpected(result.error());
            return parse_quantity(*result);
        }();
        if (!head) {
            m_impl->record_failure(*endpoint, head.error());
            continue;
        }
        m_impl->record_success(*endpoint, std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started));
        heads.emplace_back(endpoint.get(), *head);
    }
    std::uint64_t best = 0;
    for (const auto& [endpoint, head] : heads) best = std::max(best, head);
    for (const auto& [endpoint, head] : heads) {
        std::lock_guard lock(endpoint->mutex);
        endpoint->health.head = head;
        endpoint->health.lag = best - head;
    }
}

std::vector<EndpointHealth> RpcClient::health() const
{
    std::vector<EndpointHealth> all;
    const auto now = Clock::now();
    for (const auto& endpoint : m_impl->endpoints) {
        std::lock_guard lock(endpoint->mutex);
        all.push_back(endpoint->health);
        all.back().cooling_down = endpoint->cooldown_until > now;
    }
    return all;
}

std::string RpcClient::active_endpoint() const
{
    std::lock_guard lock(m_impl->active_mutex);
    return m_impl->active;
}

std::vector<std::string> endpoints_or_environment(std::vector<std::string> urls)
{
    if (!urls.empty()) return urls;
    if (const char* env = std::getenv("ETH_RPC_URL"); env && *env) return {env};
    return {};
}

std::uint64_t RpcClient::log_span_limit() const
{
    return m_impl->log_span.load();
}

void RpcClient::limit_log_span(std::uint64_t blocks)
{
    if (blocks == 0) return;
    std::uint64_t known = m_impl->log_span.load();
    while ((known == 0 || blocks < known) && !m_impl->log_span.compare_exchange_weak(known, blocks)) {
    }
}

std::uint64_t RpcClient::log_span_hint() const
{
    return m_impl->log_hint.load();
}

void RpcClient::hint_log_span(std::uint64_t blocks)
{
    m_impl->log_hint.store(blocks);
}

LogScanCount RpcClient::log_scan_count() const
{
    return {m_impl->log_requests.load(), m_impl->log_refusals.load()};
}

void RpcClient::count_log_request(bool refused)
{
    ++m_impl->log_requests;
    if (refused) ++m_impl->log_refusals;
}

}  // namespace nftterm::protocols::eth
