#include "transaction_json.hpp"

#include <nlohmann/json.hpp>

#include <set>

namespace nftterm::wallet {
namespace {

using nlohmann::json;

std::unexpected<Error> bad_tx_json(std::string what)
{
    return fail(Errc::InvalidTransaction, std::move(what));
}

Result<U256> quantity(const json& value, const std::string& name)
{
    if (value.is_number_unsigned()) return U256(value.get<std::uint64_t>());
    if (value.is_string()) {
        auto parsed = U256::parse(value.get_ref<const std::string&>());
        if (!parsed) return bad_tx_json(name + ": " + parsed.error().message());
        return parsed;
    }
    return bad_tx_json(name + " must be a 0x hex or decimal string");
}

Result<std::uint64_t> small_quantity(const json& value, const std::string& name)
{
    auto parsed = quantity(value, name);
    if (!parsed) return std::unexpected(parsed.error());
    auto small = parsed->to_u64();
    if (!small) return bad_tx_json(name + " does not fit in 64 bits");
    return *small;
}

}  // namespace

Result<Transaction> transaction_from_json(std::string_view json_text)
{
    const json root = json::parse(json_text, nullptr, false);
    if (root.is_discarded() || !root.is_object()) return bad_tx_json("the transaction is not a JSON object");
    static const std::set<std::string> kKnown = {"type", "chainId", "nonce", "to", "value", "data", "input", "gas",
                                                 "gasLimit", "gasPrice", "maxFeePerGas", "maxPriorityFeePerGas",
                                                 "accessList", "from"};
    for (const auto& [key, _] : root.items())
        if (!kKnown.contains(key)) return bad_tx_json("unknown field '" + key + "'");

    Transaction tx;
    const bool has_gas_price = root.contains("gasPrice");
    const bool has_fee_caps = root.contains("maxFeePerGas") || root.contains("maxPriorityFeePerGas");
    if (root.contains("type")) {
        auto type = small_quantity(root["type"], "type");
        if (!type) return std::unexpected(type.error());
        if (*type == 0) tx.type = TxType::Legacy;
        else if (*type == 2) tx.type = TxType::Eip1559;
        else return bad_tx_json("type " + std::to_string(*type) + " is not supported (0 legacy, 2 EIP-1559)");
    } else {
        if (has_gas_price && has_fee_caps) return bad_tx_json("give either gasPrice or the maxFeePerGas pair, not both");
        tx.type = has_gas_price ? TxType::Legacy : TxType::Eip1559;
    }

    if (!root.contains("chainId")) return bad_tx_json("chainId is required: nothing is signed without replay protection");
    auto chain = small_quantity(root["chainId"], "chainId");
    if (!chain) return std::unexpected(chain.error());
    tx.chain_id = ChainId{*chain};
    if (!root.contains("nonce")) return bad_tx_json("nonce is required");
    auto nonce = small_quantity(root["nonce"], "nonce");
    if (!nonce) return std::unexpected(nonce.error());
    tx.nonce = *nonce;
    const char* gas_key = root.contains("gas") ? "gas" : "gasLimit";
    if (!root.contains(gas_key)) return bad_tx_json("gas is required");
    auto gas = small_quantity(root[gas_key], "gas");
    if (!gas) return std::unexpected(gas.error());
    tx.gas_limit = *gas;

    if (tx.type == TxType::Legacy) {
        if (!has_gas_price) return bad_tx_json("a legacy transaction needs gasPrice");
        if (has_fee_caps) return bad_tx_json("a legacy transaction takes gasPrice, not maxFeePerGas");
        auto price = quantity(root["gasPrice"], "gasPrice");
        if (!price) return std::unexpected(price.error());
        tx.gas_price = *price;
    } else {
        if (has_gas_price) return bad_tx_json("an EIP-1559 transaction takes maxFeePerGas and maxPriorityFeePerGas, not gasPrice");
        if (!root.contains("maxFeePerGas") || !root.contains("maxPriorityFeePerGas"))
            return bad_tx_json("an EIP-1559 transaction needs maxFeePerGas and maxPriorityFeePerGas");
        auto cap = quantity(root["maxFeePerGas"], "maxFeePerGas");
        auto tip = quantity(root["maxPriorityFeePerGas"], "maxPriorityFeePerGas");
        if (!cap) return std::unexpected(cap.error());
        if (!tip) return std::unexpected(tip.error());
        tx.max_fee_per_gas = *cap;
        tx.max_priority_fee_per_gas = *tip;
    }

    if (root.contains("to") && !root["to"].is_null()) {
        if (!root["to"].is_string()) return bad_tx_json("to must be an address string");
        auto to = Address::parse(root["to"].get<std::string>());
        if (!to) return bad_tx_json("to: " + to.error().message());
        tx.to = *to;
    }
    if (root.contains("value")) {
        auto value = quantity(root["value"], "value");
        if (!value) return std::unexpected(value.error());
        tx.value = *value;
    }
    if (root.contains("data") && root.contains("input")) return bad_tx_json("give data or input, not both");
    const char* data_key = root.contains("input") ? "input" : "data";
    if (root.contains(data_key)) {
        if (!root[data_key].is_string()) return bad_tx_json("data must be a 0x hex string");
        auto data = bytes_from_hex(root[data_key].get<std::string>());
        if (!data) return bad_tx_json("data: " + data.error().message());
        tx.data = std::move(*data);
    }
    if (root.contains("accessList")) {
        const json& list = root["accessList"];
        if (!list.is_array()) return bad_tx_json("accessList must be an array");
        for (const auto& item : list) {
            if (!item.is_object() || !item.contains("address") || !item["address"].is_string())
                return bad_tx_json("each accessList entry needs an address");
            auto address = Address::parse(item["address"].get<std::string>());
            if (!address) return bad_tx_json("accessList: " + address.error().message());
            AccessListEntry entry{*address, {}};
            if (item.contains("storageKeys")) {
                if (!item["storageKeys"].is_array()) return bad_tx_json("accessList storageKeys must be an array");
                for (const auto& key : item["storageKeys"]) {
                    auto word = key.is_string() ? Hash32::from_hex(key.get<std::string>()) : std::nullopt;
                    if (!word) return bad_tx_json("accessList storage keys are 32-byte 0x hex");
                    entry.storage_keys.push_back(*word);
                }
            }
            tx.access_list.push_back(std::move(entry));
        }
    }
    if (auto ok = validate(tx); !ok) return std::unexpected(ok.error());
    return tx;
}

std::string signed_transaction_to_json(const SignedTransaction& s, int indent)
{
    const Transaction& tx = s.tx;
    json out = {{"type", tx.type == TxType::Legacy ? "0x0" : "0x2"},
                {"chainId", U256(to_u64(tx.chain_id)).to_hex()},
                {"nonce", U256(tx.nonce).to_hex()},
                {"gas", U256(tx.gas_limit).to_hex()},
                {"to", tx.to ? json(tx.to->to_hex()) : json(nullptr)},
                {"value", tx.value.to_hex()},
                {"input", to_hex(tx.data)},
                {"from", s.from.to_hex()},
                {"hash", s.hash.to_hex()},
                {"r", U256::from_be(s.signature.r.view())->to_hex()},
                {"s", U256::from_be(s.signature.s.view())->to_hex()}};
    if (tx.type == TxType::Legacy) {
        out["gasPrice"] = tx.gas_price.to_hex();
        const std::uint64_t v = to_u64(tx.chain_id) == 0 ? 27u + s.signature.recovery_id
                                                         : to_u64(tx.chain_id) * 2 + 35 + s.signature.recovery_id;
        out["v"] = U256(v).to_hex();
    } else {
        out["maxFeePerGas"] = tx.max_fee_per_gas.to_hex();
        out["maxPriorityFeePerGas"] = tx.max_priority_fee_per_gas.to_hex();
        out["yParity"] = U256(s.signature.recovery_id).to_hex();
        out["v"] = U256(s.signature.recovery_id).to_hex();
        json list = json::array();
        for (const auto& entry : tx.access_list) {
            json keys = json::array();
            for (const auto& key : entry.storage_keys) keys.push_back(key.to_hex());
            list.push_back({{"address", entry.address.to_hex()}, {"storageKeys", keys}});
        }
        out["accessList"] = list;
    }
    return out.dump(indent);
}

}  // namespace nftterm::wallet
