#include "stress.hpp"

#include <protocols/positions/fixed_point.hpp>

namespace nftterm::protocols::risk {

using namespace positions;
using wallet::U256;

namespace {

U256 percent_of(const U256& value, unsigned percent)
{
    return *U256::mul_div(value, U256(percent), U256(100));
}

}  // namespace

PortfolioSummary summarize(const Snapshot& snapshot)
{
    PortfolioSummary out;
    U256 weighted, pool_debt;
    for (const auto& p : snapshot.positions) {
        if (!p.readable) {
            ++out.unreadable;
            continue;
        }
        // Its debt is in another currency (a DAI loan): it cannot be added to ETH totals or shocked in ETH.
        if (!p.unpriced.empty()) {
            ++out.unpriced;
            continue;
        }
        out.total_collateral = out.total_collateral + p.collateral_value;
        if (p.key.protocol == Protocol::BendDao || p.key.protocol == Protocol::Nftfi) out.total_debt = out.total_debt + p.debt;
        if (p.cost_per_day) out.cost_per_day = fixed::add(out.cost_per_day, *p.cost_per_day);
        if (p.key.protocol == Protocol::BendDao && p.state == PositionState::Active && p.health_factor) {
            if (!out.worst_health_factor || *p.health_factor < *out.worst_health_factor) out.worst_health_factor = *p.health_factor;
            if (*p.health_factor != U256::max()) {
                weighted = weighted + fixed::mul_d(*p.health_factor, p.debt);
                pool_debt = pool_debt + p.debt;
            }
        }
        if (p.margin_ratio && (!out.worst_margin_ratio || fixed::less(*p.margin_ratio, *out.worst_margin_ratio))) out.worst_margin_ratio = *p.margin_ratio;
    }
    if (pool_debt > U256(0)) out.weighted_health_factor = fixed::div_d(weighted, pool_debt);
    return out;
}

std::vector<StressRow> stress(const Snapshot& snapshot, const std::vector<unsigned>& shocks)
{
    std::vector<StressRow> rows;
    for (unsigned shock : shocks) {
        StressRow row;
        row.shock_percent = shock;
        for (const auto& p : snapshot.positions) {
            if (!p.readable || !p.price || !p.unpriced.empty()) continue;
            const U256 shocked_price = percent_of(*p.price, 100 - shock);
            const std::string id = p.key.id();
            switch (p.key.protocol) {
            case Protocol::BendDao:
            case Protocol::Nftfi: {
                const U256 shocked = percent_of(p.collateral_value, 100 - shock);
                row.loss = fixed::add(row.loss, fixed::signed_of(p.collateral_value - shocked));
                if (p.key.protocol == Protocol::BendDao && p.state == PositionState::Active && p.liquidation_price && shocked_price < *p.liquidation_price)
                    row.liquidated.push_back(id);
                if (p.key.protocol == Protocol::Nftfi && shocked < p.debt) row.underwater.push_back(id);
                break;
            }
            case Protocol::Sudoswap:
                if (!p.size) break;
                {
                    // The pool's NFTs lose value; its ETH does not.
                    const U256 nft_value = fixed::mul_d(p.size->magnitude, *p.price);
                    row.loss = fixed::add(row.loss, fixed::signed_of(nft_value - percent_of(nft_value, 100 - shock)));
                }
                break;
            case Protocol::Perp:
                if (!p.size) break;
                {
                    const U256 exposure = fixed::mul_d(p.size->magnitude, *p.price);
                    const U256 move = exposure - percent_of(exposure, 100 - shock);
                    // Longs lose what the mark loses; shorts gain it.
                    row.loss = fixed::add(row.loss, fixed::signed_of(move, p.size->negative));
                    if (!p.size->negative && p.liquidation_price && shocked_price < *p.liquidation_price) row.liquidated.push_back(id);
                }
                break;
            }
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

}  // namespace nftterm::protocols::risk
