#include "tx_journal.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace nftterm::protocols::eth {
namespace {

using nlohmann::json;

constexpr TxState kStates[] = {TxState::Signed, TxState::Pending, TxState::Mined, TxState::Reverted, TxState::Replaced, TxState::Dropped};

std::optional<TxState> state_from(const std::string& text)
{
    for (auto state : kStates)
        if (to_string(state) == text) return state;
    return std::nullopt;
}

Result<wallet::TxHash> hash_from(const json& value)
{
    if (value.is_string())
        if (auto hash = wallet::TxHash::from_hex(value.get<std::string>())) return *hash;
    return fail(Errc::Decode, "a bad transaction hash");
}

Result<void> sync_folder_of(const std::filesystem::path& path)
{
    const auto folder = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return fail(Errc::Io, "cannot open the folder of the transaction journal " + folder.string() + ": " + std::strerror(errno));
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (!synced) return fail(Errc::Io, "cannot flush the folder of the transaction journal " + folder.string());
    return {};
}

/// Keeps the torn bytes in JOURNAL.torn (appended: several crashes keep all), then truncates the
/// journal to its last whole line, both synced before any new record is written.
Result<void> cut_torn_tail(const std::filesystem::path& path, const std::string& content, std::size_t whole)
{
    const auto aside = std::filesystem::path(path.string() + ".torn");
    const int kept = ::open(aside.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (kept < 0) return fail(Errc::Io, "cannot keep the torn end of the transaction journal in " + aside.string() + ": " + std::strerror(errno));
    std::string text = content.substr(whole);
    text += '\n';
    bool ok = ::write(kept, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(kept) == 0;
    ::close(kept);
    if (!ok) return fail(Errc::Io, "cannot keep the torn end of the transaction journal in " + aside.string());
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return fail(Errc::Io, "cannot repair the transaction journal " + path.string() + ": " + std::strerror(errno));
    ok = ::ftruncate(fd, static_cast<off_t>(whole)) == 0 && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) return fail(Errc::Io, "cannot cut the torn last line off the transaction journal " + path.string());
    return {};
}

}  // namespace

std::string to_string(TxState state)
{
    switch (state) {
    case TxState::Signed: return "signed";
    case TxState::Pending: return "pending";
    case TxState::Mined: return "mined";
    case TxState::Reverted: return "reverted";
    case TxState::Replaced: return "replaced";
    case TxState::Dropped: return "dropped";
    }
    return "unknown";
}

bool is_final(TxState state) noexcept
{
    return state == TxState::Mined || state == TxState::Reverted || state == TxState::Replaced || state == TxState::Dropped;
}

Result<std::unique_ptr<TxJournal>> TxJournal::open(std::filesystem::path path)
{
    std::unique_ptr<TxJournal> journal(new TxJournal(path));
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
        const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0 && errno != EEXIST)
            return fail(Errc::Io, "cannot create the transaction journal " + path.string() + ": " + std::strerror(errno));
        if (fd >= 0) {
            ::fsync(fd);
            ::close(fd);
            // The new name must survive a power cut too, or the first record lands in a file that vanishes.
            if (auto synced = sync_folder_of(path); !synced) return std::unexpected(synced.error());
        }
        return journal;
    }
    std::ifstream in(path);
    if (!in) return fail(Errc::Io, "cannot read the transaction journal " + path.string());
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    in.close();
    if (!content.empty() && content.back() != '\n') {
        // A last line without its newline was torn by a crash mid-write: it never counted. Cut it
        // off (kept aside for a person to look at), or the next append would glue onto it.
        const auto whole = content.rfind('\n') == std::string::npos ? 0 : content.rfind('\n') + 1;
        if (auto cut = cut_torn_tail(path, content, whole); !cut) return std::unexpected(cut.error());
        content.resize(whole);
    }
    std::size_t line_number = 0;
    for (std::size_t start = 0; start < content.size();) {
        const auto end = content.find('\n', start);
        ++line_number;
        const std::string line = content.substr(start, end - start);
        start = end + 1;
        if (line.empty()) continue;
        const auto bad = [&](const std::string& why) {
            return fail(Errc::Io, path.string() + " line " + std::to_string(line_number) + ": " + why
                                      + " (the journal was left as it is; move it aside to start a new one)");
        };
        try {
            const json record = json::parse(line);
            const std::string kind = record.at("record").get<std::string>();
            auto hash = hash_from(record.at("hash"));
            if (!hash) return bad("bad hash");
            if (kind == "signed") {
                JournalEntry entry;
                entry.hash = *hash;
                auto from = wallet::Address::parse(record.at("from").get<std::string>());
                auto raw = wallet::bytes_from_hex(record.at("raw").get<std::string>());
                if (!from || !raw) return bad("bad address or raw bytes");
                entry.from = *from;
                entry.raw = std::move(*raw);
                entry.chain_id = record.at("chain_id").get<std::uint64_t>();
                entry.nonce = record.at("nonce").get<std::uint64_t>();
                entry.label = record.value("label", std::string());
                entry.signed_at = record.value("signed_at", std::int64_t(0));
                if (record.contains("replaces")) {
                    auto replaces = hash_from(record["replaces"]);
                    if (!replaces) return bad("bad replaced hash");
                    entry.replaces = *replaces;
                }
                journal->apply(entry);
            } else if (kind == "state") {
                auto state = state_from(record.at("state").get<std::string>());
                if (!state) return bad("unknown state");
                auto it = std::find_if(journal->m_entries.begin(), journal->m_entries.end(), [&](const auto& e) { return e.hash == *hash; });
                if (it == journal->m_entries.end()) return bad("a state for a transaction never signed");
                it->state = *state;
                if (record.contains("block")) it->block_number = record["block"].get<std::uint64_t>();
                it->reason = record.value("reason", std::string());
                if (record.contains("replaced_by")) {
                    auto by = hash_from(record["replaced_by"]);
                    if (!by) return bad("bad replacing hash");
                    it->replaced_by = *by;
                }
            } else {
                return bad("unknown record '" + kind + "'");
            }
        } catch (const json::exception& e) {
            return bad(std::string("not a journal record (") + e.what() + ")");
        }
    }
    return journal;
}

void TxJournal::apply(const JournalEntry& entry)
{
    auto it = std::find_if(m_entries.begin(), m_entries.end(), [&](const auto& e) { return e.hash == entry.hash; });
    if (it == m_entries.end()) m_entries.push_back(entry);
}

Result<void> TxJournal::append(const std::string& line)
{
    const int fd = ::open(m_path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return fail(Errc::Io, "cannot open the transaction journal " + m_path.string() + ": " + std::strerror(errno));
    const std::string text = line + "\n";
    std::size_t written = 0;
    while (written < text.size()) {
        const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const int saved = errno;
            ::close(fd);
            return fail(Errc::Io, "cannot write the transaction journal " + m_path.string() + ": " + std::strerror(saved));
        }
        written += static_cast<std::size_t>(n);
    }
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (!synced) return fail(Errc::Io, "cannot flush the transaction journal " + m_path.string() + " to disk");
    return {};
}

Result<void> TxJournal::record_signed(const JournalEntry& entry)
{
    json record = {{"record", "signed"}, {"hash", entry.hash.to_hex()}, {"from", entry.from.to_hex()},
                   {"chain_id", entry.chain_id}, {"nonce", entry.nonce}, {"raw", wallet::to_hex(entry.raw)},
                   {"signed_at", entry.signed_at ? entry.signed_at
                                                 : std::chrono::duration_cast<std::chrono::seconds>(
                                                       std::chrono::system_clock::now().time_since_epoch()).count()}};
    if (!entry.label.empty()) record["label"] = entry.label;
    if (entry.replaces) record["replaces"] = entry.replaces->to_hex();
    std::lock_guard lock(m_mutex);
    if (auto written = append(record.dump()); !written) return written;
    JournalEntry kept = entry;
    kept.state = TxState::Signed;
    kept.signed_at = record["signed_at"].get<std::int64_t>();
    apply(kept);
    return {};
}

Result<void> TxJournal::record_state(const wallet::TxHash& hash, TxState state, std::optional<std::uint64_t> block_number,
                                     std::string reason, std::optional<wallet::TxHash> replaced_by)
{
    json record = {{"record", "state"}, {"hash", hash.to_hex()}, {"state", to_string(state)}};
    if (block_number) record["block"] = *block_number;
    if (!reason.empty()) record["reason"] = reason;
    if (replaced_by) record["replaced_by"] = replaced_by->to_hex();
    std::lock_guard lock(m_mutex);
    auto it = std::find_if(m_entries.begin(), m_entries.end(), [&](const auto& e) { return e.hash == hash; });
    if (it == m_entries.end()) return fail(Errc::Io, "the journal has no transaction " + hash.to_hex());
    if (auto written = append(record.dump()); !written) return written;
    it->state = state;
    it->block_number = block_number;
    it->reason = std::move(reason);
    it->replaced_by = replaced_by;
    return {};
}

std::vector<JournalEntry> TxJournal::entries() const
{
    std::lock_guard lock(m_mutex);
    return m_entries;
}

std::optional<JournalEntry> TxJournal::find(const wallet::TxHash& hash) const
{
    std::lock_guard lock(m_mutex);
    auto it = std::find_if(m_entries.begin(), m_entries.end(), [&](const auto& e) { return e.hash == hash; });
    if (it == m_entries.end()) return std::nullopt;
    return *it;
}

std::vector<JournalEntry> TxJournal::unfinished() const
{
    std::lock_guard lock(m_mutex);
    std::vector<JournalEntry> open;
    std::copy_if(m_entries.begin(), m_entries.end(), std::back_inserter(open), [](const auto& e) { return !is_final(e.state); });
    return open;
}

}  // namespace nftterm::protocols::eth
