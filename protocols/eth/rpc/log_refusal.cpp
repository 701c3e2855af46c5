#include "log_refusal.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <string_view>

namespace nftterm::protocols::eth {
namespace {

std::string lowercase(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

/// The number right after `prefix` in `text` ("10,000" and "10.000" read as 10000).
std::optional<std::uint64_t> number_after(const std::string& text, std::string_view prefix)
{
    const auto at = text.find(prefix);
    if (at == std::string::npos) return std::nullopt;
    std::uint64_t value = 0;
    bool any = false;
    for (std::size_t i = at + prefix.size(); i < text.size(); ++i) {
        const char c = text[i];
        if (std::isdigit(static_cast<unsigned char>(c))) {
            if (value > (UINT64_MAX - 9) / 10) return std::nullopt;
            value = value * 10 + static_cast<std::uint64_t>(c - '0');
            any = true;
        } else if ((c == ',' || c == '.') && any && i + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[i + 1]))) {
            continue;
        } else {
            // "2K block range": thousands.
            if (any && c == 'k' && value <= UINT64_MAX / 1000) value *= 1000;
            break;
        }
    }
    return any && value > 0 ? std::optional(value) : std::nullopt;
}

/// "[0x10, 0x2f]" after `prefix`: the block count of the range a provider suggests.
std::optional<std::uint64_t> suggested_range(const std::string& text, std::string_view prefix)
{
    const auto at = text.find(prefix);
    if (at == std::string::npos) return std::nullopt;
    const auto open = text.find("[0x", at);
    const auto comma = text.find(',', open);
    const auto close = text.find(']', comma);
    if (open == std::string::npos || comma == std::string::npos || close == std::string::npos) return std::nullopt;
    const auto hex = [&](std::size_t from, std::size_t to) -> std::optional<std::uint64_t> {
        std::string digits = text.substr(from, to - from);
        std::erase_if(digits, [](char c) { return c == ' '; });
        if (digits.rfind("0x", 0) != 0 || digits.size() < 3 || digits.size() > 18) return std::nullopt;
        try {
            return std::stoull(digits.substr(2), nullptr, 16);
        } catch (...) {
            return std::nullopt;
        }
    };
    const auto first = hex(open + 1, comma);
    const auto last = hex(comma + 1, close);
    if (!first || !last || *last < *first) return std::nullopt;
    return *last - *first + 1;
}

/// "retry with the range 24383075-24383096" (geth-style nodes): that range's block count.
std::optional<std::uint64_t> retry_range(const std::string& text)
{
    const auto first = number_after(text, "retry with the range ");
    if (!first) return std::nullopt;
    const auto dash = text.find('-', text.find("retry with the range "));
    const auto last = dash == std::string::npos ? std::nullopt : number_after(text.substr(dash), "-");
    if (!last || *last < *first) return std::nullopt;
    return *last - *first + 1;
}

/// Messages that state the widest range served (the number follows the phrase).
constexpr std::array kStatedLimits = {
    std::string_view("limited to a "),                           // QuickNode, 1RPC, Blast: "eth_getLogs is limited to a 10,000 range"
    std::string_view("limited to "),                             // BlockPI: "limited to 1024 block"
    std::string_view("up to a "),                                // Alchemy's older text, Aurora: "up to a 2k block range"
    std::string_view("maximum block range: "),                   // publicnode
    std::string_view("query exceeds max block range "),          // geth-family nodes with a range cap
    std::string_view("max range: "),                             // Cloudflare
    std::string_view("maximum allowed number of requested blocks is "),  // thirdweb
    std::string_view("maximum is set to "),                      // Avalanche
    std::string_view("please limit the query to at most "),      // Coinbase
    std::string_view("block range is too wide (maximum "),       // Moonbeam
    std::string_view("block range greater than "),               // OP-stack chains: "block range greater than 10000 max"
    std::string_view("maximum [from, to] blocks distance: "),    // Ankr on some chains
};

/// Messages that refuse the size without a number: ask for half.
constexpr std::array kTooMuch = {
    std::string_view("query returned more than"),       // Infura (-32005), zkEVM
    std::string_view("query exceeds max results"),      // geth-style, LlamaRPC, Ankr
    std::string_view("log response size exceeded"),     // Alchemy
    std::string_view("logs matched by query exceeds limit"),  // Arbitrum Nitro
    std::string_view("response size should not greater than"),  // 1RPC
    std::string_view("backend response too large"),     // OP mainnet
    std::string_view("block range is too large"),       // OP mainnet
    std::string_view("block range too large"),          // Base
    std::string_view("block range is too wide"),        // Ankr
    std::string_view("block range limit exceeded"),     // Chainstack
    std::string_view("range is too large"),             // Merkle and others
    std::string_view("exceeds the range allowed"),      // Blast (paid)
    std::string_view("too many blocks"),                // Avalanche
};

}  // namespace

std::optional<GetLogsRefusal> get_logs_refusal(const Error& error)
{
    if (error.code != Errc::Rpc || !error.rpc) return std::nullopt;
    const std::string text = lowercase(error.rpc->message + " " + error.rpc->data_json);
    for (const auto prefix : {std::string_view("this block range should work:"), std::string_view("try with this block range")})
        if (auto blocks = suggested_range(text, prefix)) return GetLogsRefusal{blocks};
    if (auto blocks = retry_range(text)) return GetLogsRefusal{blocks};
    for (const auto prefix : kStatedLimits)
        if (auto blocks = number_after(text, prefix)) return GetLogsRefusal{blocks};
    for (const auto phrase : kTooMuch)
        if (text.find(phrase) != std::string::npos) return GetLogsRefusal{};
    // -32005 is EIP-1474's "limit exceeded", which Infura sends for result counts.
    if (error.rpc->code == -32005) return GetLogsRefusal{};
    return std::nullopt;
}

}  // namespace nftterm::protocols::eth
