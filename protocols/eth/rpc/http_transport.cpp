#include "transport.hpp"

#include "endpoint_url.hpp"

#include <curl/curl.h>

namespace nftterm::protocols::eth {
namespace {

/// The answer as it arrives, refused past its cap (a node that streams forever).
struct Collected {
    std::string* body;
    std::size_t limit;
    bool too_large = false;
};

std::size_t collect(char* data, std::size_t size, std::size_t count, void* out)
{
    auto* collected = static_cast<Collected*>(out);
    if (collected->body->size() + size * count > collected->limit) {
        collected->too_large = true;
        return 0;  // libcurl aborts the transfer
    }
    collected->body->append(data, size * count);
    return size * count;
}

/// libcurl's progress hook: a non-zero return aborts the transfer.
int check_cancel(void* flag, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
{
    const auto* cancel = static_cast<const std::atomic<bool>*>(flag);
    return cancel && cancel->load(std::memory_order_relaxed) ? 1 : 0;
}

class HttpTransport final : public Transport {
public:
    HttpTransport(std::string url, TransportOptions options)
        : m_address(std::move(url)), m_url(redact_url(m_address)), m_options(std::move(options)), m_curl(curl_easy_init()),
          m_headers(curl_slist_append(nullptr, "Content-Type: application/json"))
    {
    }
    ~HttpTransport() override
    {
        curl_slist_free_all(m_headers);
        if (m_curl) curl_easy_cleanup(m_curl);
    }
    HttpTransport(const HttpTransport&) = delete;
    HttpTransport& operator=(const HttpTransport&) = delete;

    std::string endpoint() const override { return m_url; }

    Result<HttpResponse> post(std::string_view body) override
    {
        if (!m_curl) return fail(Errc::Transport, m_url + ": cannot initialise libcurl");
        HttpResponse response;
        curl_easy_setopt(m_curl, CURLOPT_URL, m_address.c_str());
        // Never file://, ftp:// or any other scheme libcurl knows, not even through a redirect.
        curl_easy_setopt(m_curl, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(m_curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(m_curl, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(m_options.max_response_bytes));
        curl_easy_setopt(m_curl, CURLOPT_HTTPHEADER, m_headers);
        curl_easy_setopt(m_curl, CURLOPT_POST, 1L);
        curl_easy_setopt(m_curl, CURLOPT_POSTFIELDS, body.data());
        curl_easy_setopt(m_curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
        curl_easy_setopt(m_curl, CURLOPT_WRITEFUNCTION, collect);
        Collected collected{&response.body, m_options.max_response_bytes};
        curl_easy_setopt(m_curl, CURLOPT_WRITEDATA, &collected);
        curl_easy_setopt(m_curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(m_options.connect_timeout.count()));
        curl_easy_setopt(m_curl, CURLOPT_TIMEOUT_MS, static_cast<long>(m_options.total_timeout.count()));
        curl_easy_setopt(m_curl, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(m_curl, CURLOPT_ACCEPT_ENCODING, "");
        curl_easy_setopt(m_curl, CURLOPT_XFERINFOFUNCTION, check_cancel);
        curl_easy_setopt(m_curl, CURLOPT_XFERINFODATA, m_options.cancel.get());
        curl_easy_setopt(m_curl, CURLOPT_NOPROGRESS, m_options.cancel ? 0L : 1L);

        const auto start = std::chrono::steady_clock::now();
        const CURLcode code = curl_easy_perform(m_curl);
        response.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
        if (collected.too_large || code == CURLE_FILESIZE_EXCEEDED)
            return fail(Errc::Transport, m_url + ": the answer is larger than " + std::to_string(m_options.max_response_bytes >> 20)
                                             + " MiB, the limit for one response (refused, not read)");
        if (code != CURLE_OK) return fail(Errc::Transport, m_url + ": " + describe(code));
        curl_easy_getinfo(m_curl, CURLINFO_RESPONSE_CODE, &response.status);
        if (response.status < 200 || response.status >= 300) {
            std::string excerpt = response.body.substr(0, 200);
            return fail(Errc::Http, m_url + " answered HTTP " + std::to_string(response.status)
                                        + (excerpt.empty() ? std::string() : ": " + excerpt));
        }
        return response;
    }

private:
    std::string describe(CURLcode code) const
    {
        switch (code) {
        case CURLE_COULDNT_CONNECT: return "connection refused (is the node running?)";
        case CURLE_COULDNT_RESOLVE_HOST: return "host not found";
        case CURLE_OPERATION_TIMEDOUT:
            return "no complete answer within " + std::to_string(m_options.total_timeout.count()) + " ms (timed out)";
        case CURLE_ABORTED_BY_CALLBACK: return "request cancelled";
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_PEER_FAILED_VERIFICATION: return std::string("TLS failure: ") + curl_easy_strerror(code);
        case CURLE_GOT_NOTHING: return "the server closed the connection without answering";
        case CURLE_RECV_ERROR:
        case CURLE_PARTIAL_FILE: return "the answer was cut off mid-response";
        default: return curl_easy_strerror(code);
        }
    }

    std::string m_address;
    /// The address as errors show it (no API key).
    std::string m_url;
    TransportOptions m_options;
    CURL* m_curl;
    curl_slist* m_headers;
};

}  // namespace

std::unique_ptr<Transport> make_http_transport(std::string url, TransportOptions options)
{
    return std::make_unique<HttpTransport>(std::move(url), std::move(options));
}

}  // namespace nftterm::protocols::eth
