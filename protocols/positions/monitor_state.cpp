// Monitor::save_state / load_state: the discovery cache on disk.

#include "monitor.hpp"

#include <protocols/eth/rpc/eth_api.hpp>
#include <wallet/accounts/atomic_file.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace nftterm::protocols::positions {

using nlohmann::json;
using wallet::Address;
using wallet::U256;

namespace {

/// 2: the pools' ledgers (an older file is rescanned, so every pool's ledger starts at its creation).
constexpr int kStateVersion = 2;

/// What a saved state is valid for: the chain, the registry and the accounts.
json scope_of(const Registry& registry, std::vector<Address> accounts)
{
    std::sort(accounts.begin(), accounts.end());
    json out = {{"chain_id", registry.chain_id}, {"start_block", registry.start_block}};
    for (const auto& [field, entries] : {std::pair{"contracts", &registry.contracts}, {"amms", &registry.amms}, {"feeds", &registry.feeds}})
        for (const auto& [name, address] : *entries) out[field][name] = address.to_hex();
    for (const auto& account : accounts) out["accounts"].push_back(account.to_hex());
    return out;
}

Address address_at(const json& value)
{
    auto parsed = Address::parse(value.get<std::string>());
    if (!parsed) throw std::runtime_error("bad address " + value.get<std::string>());
    return *parsed;
}

U256 number_at(const json& value)
{
    auto parsed = U256::from_dec(value.get<std::string>());
    if (!parsed) throw std::runtime_error("bad number " + value.get<std::string>());
    return *parsed;
}

json key_json(const PositionKey& key)
{
    return {{"protocol", to_string(key.protocol)}, {"account", key.account.to_hex()}, {"contract", key.contract.to_hex()}, {"market", key.market.to_hex()},
            {"number", key.number.to_dec()}, {"loan", key.loan}, {"asset", key.asset.to_hex()}};
}

PositionKey key_from(const json& in)
{
    const auto protocol = parse_protocol(in.at("protocol").get<std::string>());
    if (!protocol) throw std::runtime_error("unknown protocol " + in.at("protocol").dump());
    return {*protocol, address_at(in.at("account")), address_at(in.at("contract")), address_at(in.at("market")),
            number_at(in.at("number")), in.at("loan").get<std::uint64_t>(), address_at(in.at("asset"))};
}

std::string curve_name(const std::optional<Curve>& curve)
{
    if (!curve) return "";
    return *curve == Curve::Linear ? "linear" : *curve == Curve::Exponential ? "exponential" : "xyk";
}

std::optional<Curve> curve_from(const std::string& name)
{
    if (name == "linear") return Curve::Linear;
    if (name == "exponential") return Curve::Exponential;
    if (name == "xyk") return Curve::Xyk;
    return std::nullopt;
}

json tape_json(const pricing::TapeState& tape)
{
    json out = {{"scanned_to", tape.scanned_to}, {"protocol_fee_multiplier", tape.protocol_fee_multiplier.to_dec()},
                {"pairs", json::array()}, {"other_pairs", json::object()}, {"trades", json::array()}};
    for (const auto& pair : tape.pairs)
        out["pairs"].push_back({{"pair", pair.pair.to_hex()}, {"collection", pair.collection.to_hex()}, {"curve_address", pair.curve_address.to_hex()},
                                {"curve", curve_name(pair.curve)}, {"created_block", pair.created_block}, {"spot_price", pair.spot_price.to_dec()},
                                {"delta", pair.delta.to_dec()}, {"fee", pair.fee.to_dec()}});
    for (const auto& [pair, collection] : tape.other_pairs) out["other_pairs"][pair.to_hex()] = collection.to_hex();
    for (const auto& trade : tape.trades)
        out["trades"].push_back({{"collection", trade.collection.to_hex()}, {"pair", trade.pair.to_hex()}, {"block", trade.block},
                                 {"timestamp", trade.timestamp}, {"transaction", wallet::to_hex(trade.transaction.view())},
                                 {"count", trade.count}, {"price", trade.price.to_dec()}, {"sold_to_pool", trade.sold_to_pool},
                                 {"pool_cash", trade.pool_cash.to_dec()}});
    return out;
}

pricing::TapeState tape_from(const json& in)
{
    pricing::TapeState tape;
    tape.scanned_to = in.at("scanned_to").get<std::uint64_t>();
    tape.protocol_fee_multiplier = number_at(in.at("protocol_fee_multiplier"));
    for (const auto& pair : in.at("pairs"))
        tape.pairs.push_back({address_at(pair.at("pair")), address_at(pair.at("collection")), address_at(pair.at("curve_address")),
                              curve_from(pair.at("curve").get<std::string>()), pair.at("created_block").get<std::uint64_t>(),
                              number_at(pair.at("spot_price")), number_at(pair.at("delta")), number_at(pair.at("fee"))});
    const json others = in.at("other_pairs");
    for (const auto& [pair, collection] : others.items()) tape.other_pairs[address_at(json(pair))] = address_at(collection);
    for (const auto& trade : in.at("trades")) {
        auto hash = wallet::TxHash::from_hex(trade.at("transaction").get<std::string>());
        if (!hash) throw std::runtime_error("bad transaction hash");
        tape.trades.push_back({address_at(trade.at("collection")), address_at(trade.at("pair")), trade.at("block").get<std::uint64_t>(),
                               trade.at("timestamp").get<std::uint64_t>(), *hash, trade.at("count").get<std::uint32_t>(),
                               number_at(trade.at("price")), trade.at("sold_to_pool").get<bool>(), number_at(trade.at("pool_cash"))});
    }
    return tape;
}

}  // namespace

Result<void> Monitor::save_state(const std::filesystem::path& file) const
{
    if (m_next_block == m_registry.start_block) return {};  // nothing scanned yet
    json out = {{"version", kStateVersion}, {"scope", scope_of(m_registry, m_accounts)}, {"next_block", m_next_block},
                {"scanned_hash", wallet::to_hex(m_scanned_hash.view())}, {"keys", json::array()}};
    for (const auto& family : m_keys)
        for (const auto& key : family) out["keys"].push_back(key_json(key));
    if (const auto* tape = m_market.tape()) out["tape"] = tape_json(tape->state());
    out["ledgers"] = json::object();
    for (const auto& [pair, c] : m_ledgers.state())
        out["ledgers"][pair.to_hex()] = {{"eth_in", c.eth_in.to_dec()}, {"eth_out", c.eth_out.to_dec()}, {"nfts_in", c.nfts_in}, {"nfts_out", c.nfts_out},
                                         {"nfts_bought", c.nfts_bought}, {"nfts_sold", c.nfts_sold}, {"swaps", c.swaps}, {"since_block", c.since_block}};
    std::error_code ignored;
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ignored);
    auto written = wallet::write_file_atomically(file, out.dump(), 0600);
    if (!written) return fail(Errc::Io, "cannot save the discovery state to " + file.string() + ": " + written.error().message());
    return {};
}

Result<bool> Monitor::load_state(const std::filesystem::path& file)
{
    std::error_code missing;
    if (!std::filesystem::exists(file, missing)) return false;
    auto text = wallet::read_small_file(file, 256 << 20);
    if (!text) return fail(Errc::Io, "cannot read the discovery state " + file.string() + ": " + text.error().message());
    std::uint64_t next_block = 0;
    wallet::BlockHash scanned_hash;
    std::vector<std::vector<PositionKey>> keys(m_adapters.size());
    std::optional<pricing::TapeState> tape;
    std::map<Address, pricing::PoolCapital> ledgers;
    try {
        const json in = json::parse(*text);
        if (in.at("version").get<int>() != kStateVersion || in.at("scope") != scope_of(m_registry, m_accounts)) return false;
        next_block = in.at("next_block").get<std::uint64_t>();
        auto hash = wallet::BlockHash::from_hex(in.at("scanned_hash").get<std::string>());
        if (!hash) throw std::runtime_error("bad block hash");
        scanned_hash = *hash;
        for (const auto& saved : in.at("keys")) {
            auto key = key_from(saved);
            for (std::size_t a = 0; a < m_adapters.size(); ++a)
                if (m_adapters[a]->owns(key)) {
                    keys[a].push_back(key);
                    break;
                }
        }
        if (in.contains("tape")) tape = tape_from(in.at("tape"));
        for (const auto& [pair, c] : in.at("ledgers").items())
            ledgers[address_at(json(pair))] = {number_at(c.at("eth_in")), number_at(c.at("eth_out")), c.at("nfts_in").get<std::uint64_t>(),
                                               c.at("nfts_out").get<std::uint64_t>(), c.at("nfts_bought").get<std::uint64_t>(),
                                               c.at("nfts_sold").get<std::uint64_t>(), c.at("swaps").get<std::uint64_t>(), c.at("since_block").get<std::uint64_t>()};
    } catch (const std::exception& e) {
        return fail(Errc::Decode, "the discovery state " + file.string() + " is not readable (" + e.what() + "); delete it to rescan");
    }
    // The chain must still have the block the scan stopped at.
    if (next_block == 0) return false;
    auto block = eth::get_block(m_client, eth::BlockTag::number(next_block - 1));
    if (!block) {
        if (block.error().code == Errc::Decode) return false;  // no such block: a younger chain
        return std::unexpected(block.error());
    }
    if (block->hash != scanned_hash) return false;
    m_keys = std::move(keys);
    if (tape && m_market.tape()) m_market.tape()->restore(std::move(*tape));
    m_ledgers.restore(std::move(ledgers));
    m_next_block = next_block;
    m_scanned_hash = scanned_hash;
    update_collections();
    m_plan.reset();
    return true;
}

}  // namespace nftterm::protocols::positions
