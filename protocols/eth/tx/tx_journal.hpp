#pragma once

#include <protocols/error.hpp>
#include <wallet/primitives/address.hpp>
#include <wallet/primitives/bytes.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace nftterm::protocols::eth {

/// Where a transaction the terminal signed stands.
enum class TxState {
    Signed,    ///< signed and written down; not known to have reached a node
    Pending,   ///< a node accepted it
    Mined,     ///< in a block, status 1
    Reverted,  ///< in a block, status 0
    Replaced,  ///< another transaction with the same nonce was mined
    Dropped,   ///< refused by the node, or gone from the pool with its nonce unused
};

std::string to_string(TxState state);
bool is_final(TxState state) noexcept;

struct JournalEntry {
    wallet::TxHash hash;
    wallet::Address from;
    std::uint64_t chain_id = 0;
    std::uint64_t nonce = 0;
    /// The signed bytes: enough to send it again, never secret.
    wallet::Bytes raw;
    TxState state = TxState::Signed;
    /// Speed-up or cancel: the transaction this one replaces.
    std::optional<wallet::TxHash> replaces;
    std::optional<wallet::TxHash> replaced_by;
    std::optional<std::uint64_t> block_number;
    /// Revert reason, or why it was dropped.
    std::string reason;
    /// What it was for ("top-up loan #12"), for people.
    std::string label;
    /// Seconds since the epoch when signed.
    std::int64_t signed_at = 0;
};

/// Every transaction the terminal signed, in an append-only JSON-lines file
/// (mode 0600) that survives a restart: each record is written and fsynced
/// before the transaction goes to a node, so a crash can never leave a sent
/// transaction unrecorded. Thread-safe.
class TxJournal {
public:
    /// Opens (or creates, folder synced) the journal. A corrupt line is
    /// Errc::Io naming the line; a torn last line (a crash mid-write) never
    /// counted: it is appended to JOURNAL.torn and cut off the journal.
    static Result<std::unique_ptr<TxJournal>> open(std::filesystem::path path);

    Result<void> record_signed(const JournalEntry& entry);
    /// A new state for a known transaction (with what goes with it).
    Result<void> record_state(const wallet::TxHash& hash, TxState state, std::optional<std::uint64_t> block_number = {},
                              std::string reason = {}, std::optional<wallet::TxHash> replaced_by = {});

    std::vector<JournalEntry> entries() const;
    std::optional<JournalEntry> find(const wallet::TxHash& hash) const;
    /// Entries whose fate is not known yet (Signed or Pending).
    std::vector<JournalEntry> unfinished() const;
    const std::filesystem::path& path() const noexcept { return m_path; }

private:
    explicit TxJournal(std::filesystem::path path) : m_path(std::move(path)) {}
    Result<void> append(const std::string& line);
    void apply(const JournalEntry& entry);

    std::filesystem::path m_path;
    mutable std::mutex m_mutex;
    std::vector<JournalEntry> m_entries;
};

}  // namespace nftterm::protocols::eth
