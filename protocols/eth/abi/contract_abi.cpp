#include "contract_abi.hpp"

#include <wallet/crypto/hashes.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace nftterm::protocols::abi {
namespace {

using nlohmann::json;

/// "tuple[2][]" with components → "(…)[2][]"; anything else as it is.
Result<std::string> type_text(const json& entry, int depth = 0)
{
    if (depth > 32) return fail(Errc::Decode, "ABI JSON nested too deeply");
    const auto type = entry.find("type");
    if (type == entry.end() || !type->is_string()) return fail(Errc::Decode, "an ABI parameter without a type");
    std::string text = type->get<std::string>();
    if (!text.starts_with("tuple")) return text;
    const auto components = entry.find("components");
    if (components == entry.end() || !components->is_array()) return fail(Errc::Decode, "a tuple without components in ABI JSON");
    std::string inner = "(";
    for (std::size_t i = 0; i < components->size(); ++i) {
        auto member = type_text((*components)[i], depth + 1);
        if (!member) return member;
        inner += (i ? "," : "") + *member;
    }
    return inner + ")" + text.substr(5);
}

Result<Type> parameter(const json& entry)
{
    if (!entry.is_object()) return fail(Errc::Decode, "an ABI parameter that is not an object");
    auto text = type_text(entry);
    if (!text) return std::unexpected(text.error());
    auto type = parse_type(*text);
    if (!type) return type;
    if (auto name = entry.find("name"); name != entry.end() && name->is_string()) type->name = name->get<std::string>();
    return type;
}

Result<std::vector<Type>> parameters(const json& item, const char* key)
{
    std::vector<Type> types;
    const auto list = item.find(key);
    if (list == item.end()) return types;
    if (!list->is_array()) return fail(Errc::Decode, std::string("ABI '") + key + "' is not an array");
    for (const auto& entry : *list) {
        auto type = parameter(entry);
        if (!type) return std::unexpected(type.error());
        types.push_back(std::move(*type));
    }
    return types;
}

/// Splits "a, (b,c) d, e" at top-level commas.
std::vector<std::string_view> top_level_parts(std::string_view text)
{
    std::vector<std::string_view> parts;
    int nest = 0;
    std::size_t start = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '(' || text[i] == '[') ++nest;
        else if (text[i] == ')' || text[i] == ']') --nest;
        else if (text[i] == ',' && nest == 0) {
            parts.push_back(text.substr(start, i - start));
            start = i + 1;
        }
    }
    if (text.find_first_not_of(" \t") != std::string_view::npos) parts.push_back(text.substr(start));
    return parts;
}

bool has_word(std::string_view text, std::string_view word)
{
    for (std::size_t at = text.find(word); at != std::string_view::npos; at = text.find(word, at + 1)) {
        const bool starts = at == 0 || text[at - 1] == ' ' || text[at - 1] == ')' || text[at - 1] == ']';
        const bool ends = at + word.size() == text.size() || text[at + word.size()] == ' ';
        if (starts && ends) return true;
    }
    return false;
}

}  // namespace

std::string Event::canonical() const
{
    std::string text = name + "(";
    for (std::size_t i = 0; i < inputs.size(); ++i) text += (i ? "," : "") + inputs[i].type.canonical();
    return text + ")";
}

wallet::Hash32 Event::topic() const
{
    const std::string text = canonical();
    return wallet::keccak256({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
}

Result<Event> parse_event_signature(std::string_view text)
{
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    if (text.starts_with("event ")) text.remove_prefix(6);
    Event event;
    const auto close = text.rfind(')');
    if (close != std::string_view::npos && has_word(text.substr(close + 1), "anonymous")) {
        event.anonymous = true;
        text = text.substr(0, close + 1);
    }
    auto signature = parse_signature(text);
    if (!signature) return std::unexpected(signature.error());
    const auto open = text.find('(');
    const auto parts = top_level_parts(text.substr(open + 1, text.rfind(')') - open - 1));
    if (parts.size() != signature->inputs.size()) return fail(Errc::Decode, "cannot read the parameters of '" + std::string(text) + "'");
    event.name = signature->name;
    for (std::size_t i = 0; i < parts.size(); ++i)
        event.inputs.push_back({std::move(signature->inputs[i]), has_word(parts[i], "indexed")});
    return event;
}

Result<ContractAbi> ContractAbi::from_json(std::string_view abi_json)
{
    json items;
    try {
        items = json::parse(abi_json);
    } catch (const json::exception& e) {
        return fail(Errc::Decode, std::string("the ABI is not JSON: ") + e.what());
    }
    if (!items.is_array()) return fail(Errc::Decode, "an ABI must be a JSON array");
    ContractAbi abi;
    for (const auto& item : items) {
        if (!item.is_object()) return fail(Errc::Decode, "an ABI entry that is not an object");
        const std::string kind = item.value("type", std::string("function"));
        if (kind != "function" && kind != "event" && kind != "error") continue;
        const auto name = item.find("name");
        if (name == item.end() || !name->is_string()) return fail(Errc::Decode, "a " + kind + " without a name in the ABI");
        auto inputs = parameters(item, "inputs");
        if (!inputs) return fail(Errc::Decode, name->get<std::string>() + ": " + inputs.error().context);
        if (kind == "event") {
            Event event{name->get<std::string>(), {}, item.value("anonymous", false)};
            const auto& raw = item["inputs"];
            for (std::size_t i = 0; i < inputs->size(); ++i)
                event.inputs.push_back({std::move((*inputs)[i]), raw[i].is_object() && raw[i].value("indexed", false)});
            abi.m_events.push_back(std::move(event));
            continue;
        }
        Signature signature{name->get<std::string>(), std::move(*inputs), {}};
        if (kind == "function") {
            auto outputs = parameters(item, "outputs");
            if (!outputs) return fail(Errc::Decode, signature.name + ": " + outputs.error().context);
            signature.outputs = std::move(*outputs);
            abi.m_functions.push_back(std::move(signature));
        } else {
            abi.m_errors.push_back(std::move(signature));
        }
    }
    return abi;
}

const Signature* ContractAbi::function(std::string_view name) const noexcept
{
    const auto it = std::find_if(m_functions.begin(), m_functions.end(), [&](const auto& f) { return f.name == name; });
    return it == m_functions.end() ? nullptr : &*it;
}

const Event* ContractAbi::event(std::string_view name) const noexcept
{
    const auto it = std::find_if(m_events.begin(), m_events.end(), [&](const auto& e) { return e.name == name; });
    return it == m_events.end() ? nullptr : &*it;
}

const Event* ContractAbi::event_by_topic(const wallet::Hash32& topic0) const noexcept
{
    const auto it = std::find_if(m_events.begin(), m_events.end(), [&](const auto& e) { return !e.anonymous && e.topic() == topic0; });
    return it == m_events.end() ? nullptr : &*it;
}

Result<CompiledContract> read_solc_output(std::string_view solc_json, std::string_view source, std::string_view contract)
{
    const std::string what = std::string(source) + ":" + std::string(contract);
    try {
        const json output = json::parse(solc_json);
        const auto& entry = output.at("contracts").at(std::string(source)).at(std::string(contract));
        auto abi = ContractAbi::from_json(entry.at("abi").dump());
        if (!abi) return fail(Errc::Decode, what + ": " + abi.error().context);
        CompiledContract compiled{std::move(*abi), {}, {}};
        if (const auto evm = entry.find("evm"); evm != entry.end()) {
            for (auto [key, target] : {std::pair{"bytecode", &compiled.bytecode}, std::pair{"deployedBytecode", &compiled.deployed_bytecode}}) {
                const auto code = evm->find(key);
                if (code == evm->end()) continue;
                auto bytes = wallet::bytes_from_hex(code->at("object").get<std::string>());
                if (!bytes) return fail(Errc::Decode, what + ": " + key + " is not hex (unlinked libraries?)");
                *target = std::move(*bytes);
            }
        }
        return compiled;
    } catch (const json::exception& e) {
        return fail(Errc::Decode, what + " is not in the solc output (" + e.what() + ")");
    }
}

Result<std::vector<Value>> decode_log(const Event& event, const std::vector<wallet::Hash32>& topics, wallet::ByteView data)
{
    const std::size_t indexed = static_cast<std::size_t>(
        std::count_if(event.inputs.begin(), event.inputs.end(), [](const auto& p) { return p.indexed; }));
    const std::size_t first = event.anonymous ? 0 : 1;
    if (topics.size() != indexed + first)
        return fail(Errc::Decode, event.name + ": " + std::to_string(topics.size()) + " topics, expected " + std::to_string(indexed + first));
    if (!event.anonymous && topics[0] != event.topic())
        return fail(Errc::Decode, "the log is not a " + event.canonical() + " (topic0 differs)");
    std::vector<Type> data_types;
    for (const auto& param : event.inputs)
        if (!param.indexed) data_types.push_back(param.type);
    auto data_values = decode(data_types, data);
    if (!data_values) return fail(Errc::Decode, event.name + " data: " + data_values.error().context);

    std::vector<Value> values;
    std::size_t next_topic = first;
    std::size_t next_data = 0;
    for (const auto& param : event.inputs) {
        if (!param.indexed) {
            values.push_back(std::move((*data_values)[next_data++]));
            continue;
        }
        const auto& topic = topics[next_topic++];
        if (param.type.is_dynamic() || param.type.kind == Type::Kind::Tuple || param.type.kind == Type::Kind::FixedArray) {
            values.push_back(Value{wallet::Bytes(topic.view().begin(), topic.view().end())});
            continue;
        }
        auto value = decode({param.type}, topic.view());
        if (!value) return fail(Errc::Decode, event.name + " topic '" + param.type.name + "': " + value.error().context);
        values.push_back(std::move(value->front()));
    }
    return values;
}

}  // namespace nftterm::protocols::abi
