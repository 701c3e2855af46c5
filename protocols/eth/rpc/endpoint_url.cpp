#include "endpoint_url.hpp"

#include <curl/curl.h>

#include <arpa/inet.h>
#include <memory>
#include <netinet/in.h>

namespace nftterm::protocols::eth {
namespace {

/// libcurl's URL parser (the one the transport itself uses), one part at a time.
class ParsedUrl {
public:
    explicit ParsedUrl(const std::string& url) : m_handle(curl_url())
    {
        m_ok = m_handle && curl_url_set(m_handle.get(), CURLUPART_URL, url.c_str(), 0) == CURLUE_OK;
    }
    bool ok() const noexcept { return m_ok; }
    std::string part(CURLUPart which) const
    {
        char* text = nullptr;
        if (!m_ok || curl_url_get(m_handle.get(), which, &text, 0) != CURLUE_OK || !text) return {};
        std::string value(text);
        curl_free(text);
        return value;
    }

private:
    struct Free {
        void operator()(CURLU* handle) const noexcept { curl_url_cleanup(handle); }
    };
    std::unique_ptr<CURLU, Free> m_handle;
    bool m_ok = false;
};

/// localhost, 127.0.0.0/8 or ::1, as addresses (a name such as 127.0.0.1.example.com is not).
bool is_loopback(std::string host)
{
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    if (host == "localhost") return true;
    in_addr v4{};
    if (::inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
    in6_addr v6{};
    return ::inet_pton(AF_INET6, host.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

}  // namespace

std::string redact_url(const std::string& url)
{
    const ParsedUrl parsed(url);
    if (!parsed.ok()) return "(an unreadable address)";
    std::string shown = parsed.part(CURLUPART_SCHEME) + "://" + parsed.part(CURLUPART_HOST);
    if (const auto port = parsed.part(CURLUPART_PORT); !port.empty()) shown += ":" + port;
    const auto path = parsed.part(CURLUPART_PATH);
    const bool hidden = (!path.empty() && path != "/") || !parsed.part(CURLUPART_QUERY).empty() || !parsed.part(CURLUPART_USER).empty();
    if (hidden) shown += "/…";
    return shown;
}

Result<void> check_endpoint_url(const std::string& url, bool allow_insecure_http)
{
    const ParsedUrl parsed(url);
    if (!parsed.ok()) return fail(Errc::Config, "'" + redact_url(url) + "' is not a URL (expected http://HOST:PORT or https://HOST/…)");
    const auto scheme = parsed.part(CURLUPART_SCHEME);
    if (scheme != "http" && scheme != "https")
        return fail(Errc::Config, redact_url(url) + ": only http:// and https:// endpoints are used, not " + scheme + "://");
    if (scheme == "http" && !allow_insecure_http && !is_loopback(parsed.part(CURLUPART_HOST)))
        return fail(Errc::Config, redact_url(url) + ": plain http to another machine lets anyone on the way change what the node says "
                                  "(balances, prices, what you sign); use https, or allow it knowingly with --allow-insecure-http "
                                  "(Settings → Node → allow insecure http in the window)");
    return {};
}

}  // namespace nftterm::protocols::eth
