#include "monitor.hpp"

#include <protocols/eth/rpc/eth_api.hpp>

#include <algorithm>

namespace nftterm::protocols::positions {

Monitor::Monitor(eth::RpcClient& client, Registry registry, std::vector<wallet::Address> accounts)
    : m_client(client), m_registry(std::move(registry)), m_accounts(std::move(accounts)), m_adapters(make_adapters(m_registry)),
      m_keys(m_adapters.size()), m_next_block(m_registry.start_block)
{
}

Result<void> Monitor::discover()
{
    auto chain = m_client.chain_id();
    if (!chain) return std::unexpected(chain.error());
    if (*chain != m_registry.chain_id)
        return fail(Errc::ChainId, "the node is on chain " + std::to_string(*chain) + ", the registry is for chain " + std::to_string(m_registry.chain_id));
    auto head = eth::block_number(m_client);
    if (!head) return std::unexpected(head.error());
    if (*head < m_next_block) return {};
    if (!m_contracts_checked) {
        // A registry for another deployment would find nothing and say nothing: check that its contracts exist.
        for (const char* name : {"NFTfiDirectLoanFixedOffer", "BendLendPool", "NFTOracle", "BendReserveOracle", "SudoPairFactory", "PerpClearingHouse"}) {
            auto address = m_registry.contract(name);
            if (!address) continue;
            auto code = eth::get_code(m_client, *address, eth::BlockTag::latest());
            if (!code) return std::unexpected(code.error());
            if (code->empty())
                return fail(Errc::Config, std::string("the registry's ") + name + " at " + address->to_hex() + " has no code on chain " +
                                              std::to_string(*chain) + ": wrong registry for this node?");
        }
        m_contracts_checked = true;
    }
    for (std::size_t a = 0; a < m_adapters.size(); ++a) {
        auto found = m_adapters[a]->discover(m_client, m_accounts, m_next_block, *head);
        if (!found) return std::unexpected(found.error());
        for (auto& key : *found)
            if (std::find(m_keys[a].begin(), m_keys[a].end(), key) == m_keys[a].end()) m_keys[a].push_back(std::move(key));
    }
    m_next_block = *head + 1;
    return {};
}

Result<std::shared_ptr<const Snapshot>> Monitor::refresh()
{
    std::vector<eth::ReadCall> calls;
    std::vector<std::size_t> slices;
    for (std::size_t a = 0; a < m_adapters.size(); ++a) {
        auto plan = m_adapters[a]->plan(m_keys[a]);
        slices.push_back(plan.size());
        calls.insert(calls.end(), std::make_move_iterator(plan.begin()), std::make_move_iterator(plan.end()));
    }
    eth::MulticallStats stats;
    auto reads = eth::read_at_head(m_client, calls, {}, &stats);
    if (!reads) return std::unexpected(reads.error());
    auto snapshot = std::make_shared<Snapshot>();
    snapshot->block = reads->block;
    snapshot->http_requests = stats.http_requests;
    snapshot->reads = calls.size();
    std::size_t at = 0;
    for (std::size_t a = 0; a < m_adapters.size(); ++a) {
        const std::span<const eth::ReadResult> slice(reads->results.data() + at, slices[a]);
        auto decoded = m_adapters[a]->decode(m_keys[a], slice, reads->block);
        snapshot->positions.insert(snapshot->positions.end(), std::make_move_iterator(decoded.begin()), std::make_move_iterator(decoded.end()));
        at += slices[a];
    }
    return std::shared_ptr<const Snapshot>(std::move(snapshot));
}

std::vector<eth::ReadCall> Monitor::plan() const
{
    std::vector<eth::ReadCall> calls;
    for (std::size_t a = 0; a < m_adapters.size(); ++a) {
        auto part = m_adapters[a]->plan(m_keys[a]);
        calls.insert(calls.end(), std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()));
    }
    return calls;
}

std::size_t Monitor::position_count() const
{
    std::size_t count = 0;
    for (const auto& keys : m_keys) count += keys.size();
    return count;
}

}  // namespace nftterm::protocols::positions
