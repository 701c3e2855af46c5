#include "registry.hpp"

#include <nlohmann/json.hpp>

namespace nftterm::protocols::positions {

using nlohmann::json;

std::optional<wallet::Address> Registry::contract(const std::string& name) const
{
    auto found = contracts.find(name);
    if (found == contracts.end()) return std::nullopt;
    return found->second;
}

std::string Registry::symbol_of(const wallet::Address& collection) const
{
    for (const auto& [name, address] : contracts)
        if (address == collection && (amms.contains(name) || feeds.contains(name))) return name;
    return {};
}

Result<Registry> registry_from_json(const std::string& text)
{
    try {
        const json in = json::parse(text);
        Registry registry;
        registry.chain_id = in.at("chain_id").get<std::uint64_t>();
        registry.start_block = in.value("start_block", std::uint64_t(0));
        for (const auto& [name, value] : in.at("contracts").items()) {
            auto address = wallet::Address::parse(value.get<std::string>());
            if (!address) return fail(Errc::Config, "registry: contract " + name + ": " + address.error().message());
            registry.contracts[name] = *address;
        }
        // Named copies: items() of a temporary would dangle.
        for (const auto& [field, target] : {std::pair{"amms", &registry.amms}, {"feeds", &registry.feeds}}) {
            const json entries = in.value(field, json::object());
            for (const auto& [symbol, value] : entries.items()) {
                auto address = wallet::Address::parse(value.get<std::string>());
                if (!address) return fail(Errc::Config, std::string("registry: ") + field + " " + symbol + ": " + address.error().message());
                (*target)[symbol] = *address;
            }
        }
        return registry;
    } catch (const json::exception& e) {
        return fail(Errc::Config, std::string("the registry is not readable: ") + e.what());
    }
}

}  // namespace nftterm::protocols::positions
