#pragma once

#include "action_worker.hpp"
#include "monitor_worker.hpp"

#include <protocols/error.hpp>

#include <string_view>
#include <vector>
#include <ui/main_window.hpp>

#include <QHash>
#include <QString>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace nftterm::app {

/// What the window watches: the node and registry, the accounts, and the
/// names to show for addresses.
struct TerminalSetup {
    MonitorConfig monitor;
    std::vector<ui::AccountRow> accounts;
    QHash<QString, QString> collection_symbols;
    QHash<QString, QString> account_labels;
    /// How each account signs (keystores of the store; on the devnet, its demo traders' public test keys).
    std::map<wallet::Address, SignerSource> signers;
    /// The transaction journal (data_dir/transactions.jsonl, as the CLI's).
    std::filesystem::path journal;
};

/// A chain's endpoints as the settings hold them: one or more URLs separated by spaces or commas.
std::vector<std::string> endpoint_list(std::string_view text);

/// From a registry or devnet manifest (whose node is the default and whose
/// demo traders are watched besides the store's accounts) and the user's
/// account store in `data_dir`. Discovery is remembered in data_dir/discovery/.
/// The node: `rpc_urls`, else the user's endpoints for the registry's chain
/// (several separated by spaces or commas), else the manifest's.
protocols::Result<TerminalSetup> terminal_setup(const std::filesystem::path& registry_file, const std::vector<std::string>& rpc_urls,
                                                const std::filesystem::path& data_dir, const std::map<std::uint64_t, std::string>& endpoints = {});

}  // namespace nftterm::app
