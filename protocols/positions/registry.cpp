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
        const json amms = in.value("amms", json::object());
        for (const auto& [symbol, value] : amms.items()) {
            auto address = wallet::Address::parse(value.get<std::string>());
            if (!address) return fail(Errc::Config, "registry: amm " + symbol + ": " + address.error().message());
            registry.amms[symbol] = *address;
        }
        return registry;
    } catch (const json::exception& e) {
        return fail(Errc::Config, std::string("the registry is not readable: ") + e.what());
    }
}

}  // namespace nftterm::protocols::positions
