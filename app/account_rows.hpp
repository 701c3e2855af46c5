#pragma once

#include <ui/main_window.hpp>

#include <wallet/accounts/account_store.hpp>

#include <vector>

namespace nftterm::app {

/// The accounts pane's rows for the accounts in a store.
std::vector<ui::AccountRow> account_rows(const std::vector<wallet::AccountEntry>& accounts);

}  // namespace nftterm::app
