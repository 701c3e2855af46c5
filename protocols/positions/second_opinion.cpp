#include "second_opinion.hpp"

#include <protocols/eth/rpc/endpoint_url.hpp>

#include <algorithm>

namespace nftterm::protocols::positions {

SecondOpinion::SecondOpinion(eth::RpcClientOptions node, std::uint64_t chain_id) : m_node(std::move(node))
{
    m_node.chain_id = chain_id;  // the witness must be on the monitor's chain, whatever answers first
    m_node.read_rounds = 1;      // a slow second opinion delays the alert: one try per endpoint
}

SecondOpinion::~SecondOpinion() = default;

Result<Witness> SecondOpinion::read(Monitor& monitor, const Snapshot& snapshot, std::string_view primary)
{
    if (m_last && m_last->first == snapshot.block.hash) return m_last->second;
    if (!available()) return fail(Errc::Config, "only one endpoint is configured: nothing can confirm it");
    if (!m_client || m_without != primary) {
        eth::RpcClientOptions others = m_node;
        // active_endpoint() names the primary redacted: compare the same way.
        std::erase_if(others.urls, [&](const std::string& url) { return eth::redact_url(url) == primary; });
        if (others.urls.size() == m_node.urls.size()) others.urls.erase(others.urls.begin());  // none served yet: the first would
        if (others.urls.empty()) return fail(Errc::Config, "every endpoint is " + std::string(primary) + ": nothing else can confirm it");
        m_client = std::make_unique<eth::RpcClient>(std::move(others));
        m_without = primary;
    }
    Result<Witness> answer = [&]() -> Result<Witness> {
        auto read = monitor.read_at(*m_client, snapshot.block);
        if (!read) return std::unexpected(read.error());
        return Witness{eth::redact_url(m_client->active_endpoint()), std::move(*read)};
    }();
    m_last.emplace(snapshot.block.hash, answer);
    return answer;
}

}  // namespace nftterm::protocols::positions
