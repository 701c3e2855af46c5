#pragma once

#include <protocols/error.hpp>

#include <string>

namespace nftterm::protocols::eth {

/// An endpoint address fit to show: scheme, host and port only. Providers
/// put API keys in the path (/v2/KEY) or the query (?apikey=KEY), and
/// userinfo may hold a password: "https://eth.example.com/…". Errors, logs
/// and the status bar use this, never the address itself.
std::string redact_url(const std::string& url);

/// Whether the terminal may talk to `url`: http or https only (never file://
/// or another scheme libcurl knows), and plain http only to this machine
/// (localhost, 127.0.0.0/8, ::1) unless `allow_insecure_http`: over a network
/// anyone on the path could change what the node says. Errc::Config in words.
Result<void> check_endpoint_url(const std::string& url, bool allow_insecure_http);

}  // namespace nftterm::protocols::eth
