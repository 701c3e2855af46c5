#include "account_rows.hpp"

namespace nftterm::app {

std::vector<ui::AccountRow> account_rows(const std::vector<wallet::AccountEntry>& accounts)
{
    std::vector<ui::AccountRow> rows;
    rows.reserve(accounts.size());
    for (const auto& entry : accounts)
        rows.push_back({QString::fromStdString(entry.address.to_hex()), QString::fromStdString(entry.label),
                        entry.kind == wallet::AccountKind::Keystore});
    return rows;
}

}  // namespace nftterm::app
