#include "read_helpers.hpp"

#include <map>
#include <mutex>

#include <wallet/crypto/hashes.hpp>

#include <string_view>
#include <unordered_map>

namespace nftterm::protocols::positions::detail {

using wallet::Address;
using wallet::U256;

namespace {

/// Parsed type lists, by their text: parsing is the slow part of a small
/// decode. Per thread, so a refresh's thousands of decodes take no lock.
struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept { return std::hash<std::string_view>{}(text); }
};

const std::vector<abi::Type>& types_of(std::string_view text)
{
    thread_local std::unordered_map<std::string, std::vector<abi::Type>, TextHash, std::equal_to<>> cache;
    auto found = cache.find(text);
    if (found == cache.end())
        found = cache.emplace(std::string(text), abi::parse_type_list(text).value_or(std::vector<abi::Type>{})).first;
    return found->second;
}

}  // namespace

eth::ReadCall read_call(const Address& target, const std::string& signature, std::vector<abi::Value> args)
{
    const auto open = signature.find('(');
    const auto selector = wallet::keccak256(wallet::ByteView(reinterpret_cast<const std::uint8_t*>(signature.data()), signature.size()));
    wallet::Bytes data(selector.data(), selector.data() + 4);
    if (!args.empty()) {
        auto encoded = abi::encode(types_of(signature.substr(open)), args);
        if (encoded) data.insert(data.end(), encoded->begin(), encoded->end());
    }
    return {target, std::move(data), true};
}

std::optional<std::vector<abi::Value>> outputs(const eth::ReadResult& result, std::string_view types)
{
    if (!result.success) return std::nullopt;
    auto decoded = abi::decode(types_of(types), result.return_data);
    if (!decoded) return std::nullopt;
    return std::move(*decoded);
}

abi::Value value(const U256& v)
{
    return {v};
}

abi::Value value(const Address& v)
{
    return {v};
}

abi::Value value(std::uint64_t v)
{
    return {U256(v)};
}

U256 u256(const abi::Value& v)
{
    return std::get<U256>(v.data);
}

Address address(const abi::Value& v)
{
    return std::get<Address>(v.data);
}

SignedWad signed_wad(const abi::Value& v)
{
    return std::get<abi::SignedInt>(v.data);
}

bool boolean(const abi::Value& v)
{
    return std::get<bool>(v.data);
}

const abi::Value::List& list(const abi::Value& v)
{
    return std::get<abi::Value::List>(v.data);
}

wallet::Hash32 topic_of(const Address& address)
{
    wallet::Hash32 topic{};
    std::copy(address.data(), address.data() + 20, topic.data() + 12);
    return topic;
}

wallet::Hash32 event_topic(const std::string& canonical_signature)
{
    return wallet::keccak256(wallet::ByteView(reinterpret_cast<const std::uint8_t*>(canonical_signature.data()), canonical_signature.size()));
}

const wallet::Hash32& cached_event_topic(const char* canonical_signature)
{
    static std::mutex mutex;
    static std::map<std::string, wallet::Hash32> cache;
    std::lock_guard lock(mutex);
    auto found = cache.find(canonical_signature);
    if (found == cache.end()) found = cache.emplace(canonical_signature, event_topic(canonical_signature)).first;
    return found->second;
}

std::vector<wallet::Hash32> topics_of(const std::vector<Address>& accounts)
{
    std::vector<wallet::Hash32> topics;
    for (const auto& account : accounts) topics.push_back(topic_of(account));
    return topics;
}

Address address_of_topic(const wallet::Hash32& topic)
{
    return Address(*wallet::FixedBytes<20>::from_view(topic.view().subspan(12)));
}

Result<std::vector<eth::Log>> event_logs(eth::RpcClient& client, const Address& contract, const std::string& event, std::size_t account_topic,
                                         const std::vector<Address>& accounts, std::uint64_t from_block, std::uint64_t to_block)
{
    eth::LogFilter filter;
    filter.addresses = {contract};
    filter.topics = {{event_topic(event)}};
    if (account_topic > 0) {
        filter.topics.resize(account_topic + 1);
        filter.topics[account_topic] = topics_of(accounts);
    }
    filter.from_block = from_block;
    filter.to_block = to_block;
    auto logs = eth::get_logs(client, filter);
    if (!logs) return std::unexpected(logs.error());
    std::erase_if(*logs, [&](const eth::Log& log) { return log.topics.size() <= account_topic; });
    return logs;
}

}  // namespace nftterm::protocols::positions::detail
