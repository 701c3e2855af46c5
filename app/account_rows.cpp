#include "account_rows.hpp"

namespace nftterm::app {

std::vector<ui::AccountRow> account_rows(const std::vector<wallet::AccountEntry>& accounts)
{
    std::vector<ui::AccountRow> rows;
    rows.reserve(accounts.size());
    for (const auto& entry : accounts)
        rows.push_back({QString::fromStdString(entry.address.to_hex()), QString::fromStdString(entry.label),
                        entry.kind == wallet::AccountKind::Keystore || entry.kind == wallet::AccountKind::Ledger,
                        entry.kind == wallet::AccountKind::Ledger ? QStringLiteral("Ledger ") + QString::fromStdString(entry.path) : QString()});
    return rows;
}

}  // namespace nftterm::app
