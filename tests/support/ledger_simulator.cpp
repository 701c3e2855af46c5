#include "ledger_simulator.hpp"

#include "loopback.hpp"

#include <wallet/crypto/hashes.hpp>
#include <wallet/keys/key_import.hpp>
#include <wallet/messages/eip712.hpp>

#include <nlohmann/json.hpp>

#include <functional>
#include <map>

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <optional>

namespace nftterm::tests {

using wallet::Bytes;
using wallet::ByteView;

namespace {

Bytes status(std::uint16_t sw, Bytes data = {})
{
    data.push_back(static_cast<std::uint8_t>(sw >> 8));
    data.push_back(static_cast<std::uint8_t>(sw));
    return data;
}

/// The app's BIP-32 path reader: count, then 4 bytes each. Returns the bytes it used (0: malformed).
std::size_t read_path(ByteView data, wallet::DerivationPath& path)
{
    if (data.empty() || data[0] == 0 || data[0] > 10 || data.size() < 1 + 4u * data[0]) return 0;
    path.indices.clear();
    for (std::size_t i = 0; i < data[0]; ++i)
        path.indices.push_back(std::uint32_t(data[1 + 4 * i]) << 24 | std::uint32_t(data[2 + 4 * i]) << 16 | std::uint32_t(data[3 + 4 * i]) << 8 |
                               data[4 + 4 * i]);
    return 1 + 4u * data[0];
}

/// One RLP item at `at`: where its payload starts, how long it is, whether it is a list.
struct Item {
    std::size_t start = 0, size = 0;
    bool list = false;
};
std::optional<Item> rlp_item(ByteView data, std::size_t at)
{
    if (at >= data.size()) return std::nullopt;
    const std::uint8_t b = data[at];
    const auto long_form = [&](std::uint8_t base, bool list) -> std::optional<Item> {
        const std::size_t bytes = b - base;
        if (at + 1 + bytes > data.size()) return std::nullopt;
        std::size_t size = 0;
        for (std::size_t i = 0; i < bytes; ++i) size = size << 8 | data[at + 1 + i];
        return Item{at + 1 + bytes, size, list};
    };
    if (b < 0x80) return Item{at, 1, false};
    if (b <= 0xB7) return Item{at + 1, std::size_t(b - 0x80), false};
    if (b <= 0xBF) return long_form(0xB7, false);
    if (b <= 0xF7) return Item{at + 1, std::size_t(b - 0xC0), true};
    return long_form(0xF7, true);
}

}  // namespace

LedgerSimulator::LedgerSimulator(std::string mnemonic) : m_mnemonic(std::move(mnemonic)) {}

LedgerSimulator::~LedgerSimulator()
{
    m_stop = true;
    if (m_server.joinable()) m_server.join();
    if (m_listen_fd >= 0) ::close(m_listen_fd);
}

std::vector<Bytes> LedgerSimulator::received() const
{
    std::lock_guard lock(m_mutex);
    return m_received;
}

wallet::Address LedgerSimulator::address(const wallet::DerivationPath& path) const
{
    auto key = wallet::key_from_mnemonic(m_mnemonic, "", path);
    return key ? wallet::address_of(wallet::public_key_of(*key)) : wallet::Address();
}

Bytes LedgerSimulator::handle(ByteView apdu)
{
    {
        std::lock_guard lock(m_mutex);
        m_received.emplace_back(apdu.begin(), apdu.end());
    }
    if (vanish_after.load() == 0) return {};
    if (vanish_after.load() > 0) --vanish_after;
    std::lock_guard one_at_a_time(m_app);  // as the device: one command at a time, whoever sends it
    return answer(apdu);
}

Bytes LedgerSimulator::sign_reply(const wallet::DerivationPath& path, const wallet::Hash32& digest, std::uint8_t v_base, bool legacy_v,
                                  std::uint64_t chain_id)
{
    if (const int delay = answer_delay_ms.load(); delay > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    if (!approve.load()) return status(0x6985);
    auto key = wallet::key_from_mnemonic(m_mnemonic, "", path);
    if (!key) return status(0x6A80);
    const auto signature = wallet::sign_digest(*key, digest);
    // The app's v: the parity for typed transactions, 27 + parity for messages, and for a legacy
    // transaction chainId·2 + 35 + parity from the chain id's low 4 bytes, cut to one byte.
    const std::uint8_t v = legacy_v ? static_cast<std::uint8_t>(static_cast<std::uint32_t>(chain_id) * 2 + 35 + signature.recovery_id)
                                    : static_cast<std::uint8_t>(v_base + signature.recovery_id);
    ++m_signatures;
    Bytes out{v};
    out.insert(out.end(), signature.r.bytes.begin(), signature.r.bytes.end());
    out.insert(out.end(), signature.s.bytes.begin(), signature.s.bytes.end());
    return status(0x9000, std::move(out));
}

Bytes LedgerSimulator::answer(ByteView apdu)
{
    if (apdu.size() < 5 || apdu.size() != 5u + apdu[4]) return status(0x6700);
    const std::uint8_t cla = apdu[0], ins = apdu[1], p1 = apdu[2], p2 = apdu[3];
    const ByteView data = apdu.subspan(5);
    if (locked.load()) return status(0x5515);
    if (cla == 0xB0 && ins == 0x01) {
        const std::string name = app_open.load() ? "Ethereum" : "BOLOS";
        const std::string version = app_open.load() ? "1." + std::to_string(version_minor.load()) + ".4" : "2.1.0";
        Bytes out{0x01, static_cast<std::uint8_t>(name.size())};
        out.insert(out.end(), name.begin(), name.end());
        out.push_back(static_cast<std::uint8_t>(version.size()));
        out.insert(out.end(), version.begin(), version.end());
        out.insert(out.end(), {0x01, 0x00});
        return status(0x9000, std::move(out));
    }
    if (!app_open.load()) return status(0x6E00);
    if (cla != 0xE0) return status(0x6E00);

    wallet::DerivationPath path;
    switch (ins) {
    case 0x06:
        return status(0x9000, {static_cast<std::uint8_t>(blind_signing.load() ? 0x01 : 0x00), 1, static_cast<std::uint8_t>(version_minor.load()), 4});
    case 0x02: {
        if (p1 > 1 || p2 != 0 || read_path(data, path) == 0) return status(0x6B00);
        if (p1 == 1 && !approve.load()) return status(0x6985);
        auto key = wallet::key_from_mnemonic(m_mnemonic, "", path);
        if (!key) return status(0x6A80);
        const auto public_key = wallet::public_key_of(*key);
        const std::string printed = wallet::address_of(public_key).to_hex().substr(2);
        Bytes out{65, 0x04};
        out.insert(out.end(), public_key.bytes.begin(), public_key.bytes.end());
        out.push_back(40);
        out.insert(out.end(), printed.begin(), printed.end());
        return status(0x9000, std::move(out));
    }
    case 0x04:
    case 0x08: {
        if (p1 == 0x00) {
            const std::size_t used = read_path(data, m_path);
            if (used == 0) return status(0x6A80);
            m_ins = ins;
            m_pending.assign(data.begin() + static_cast<std::ptrdiff_t>(used), data.end());
            if (ins == 0x08) {
                if (m_pending.size() < 4) return status(0x6A80);
                m_message_size = std::uint32_t(m_pending[0]) << 24 | std::uint32_t(m_pending[1]) << 16 | std::uint32_t(m_pending[2]) << 8 | m_pending[3];
                m_pending.erase(m_pending.begin(), m_pending.begin() + 4);
            }
        } else if (p1 == 0x80 && m_ins == ins) {
            m_pending.insert(m_pending.end(), data.begin(), data.end());
        } else {
            return status(0x6B00);
        }
        if (ins == 0x08) {
            if (m_pending.size() < m_message_size) return status(0x9000);
            const std::string prefix = "\x19" "Ethereum Signed Message:\n" + std::to_string(m_message_size);
            Bytes signed_bytes(prefix.begin(), prefix.end());
            signed_bytes.insert(signed_bytes.end(), m_pending.begin(), m_pending.end());
            m_ins = 0;
            return sign_reply(m_path, wallet::keccak256(signed_bytes), 27, false, 0);
        }
        // A transaction: a type byte (≤ 0x7F) then an RLP list, or a legacy RLP list; complete when the list is.
        const bool typed = !m_pending.empty() && m_pending[0] <= 0x7F;
        const auto list = rlp_item(m_pending, typed ? 1 : 0);
        if (!list || !list->list) return status(0x6A80);
        if (m_pending.size() < list->start + list->size) return status(0x9000);
        if (m_pending.size() > list->start + list->size) return status(0x6A80);
        if (typed && m_pending[0] != 0x01 && m_pending[0] != 0x02) return status(0x6501);
        // Walk the fields: the data (6th, or 8th for type 2) and a legacy transaction's chain id (7th).
        std::vector<Item> fields;
        for (std::size_t at = list->start; at < list->start + list->size;) {
            const auto field = rlp_item(m_pending, at);
            if (!field) return status(0x6A80);
            fields.push_back(*field);
            at = field->start + field->size;
        }
        const std::size_t data_field = typed ? 7 : 5;
        if (fields.size() <= data_field) return status(0x6A80);
        if (fields[data_field].size > 0 && !blind_signing.load()) return status(0x6A80);
        std::uint64_t chain_id = 0;
        if (!typed && fields.size() >= 9)
            for (std::size_t i = 0; i < fields[6].size; ++i) chain_id = chain_id << 8 | m_pending[fields[6].start + i];
        m_ins = 0;
        return sign_reply(m_path, wallet::keccak256(m_pending), 0, !typed, chain_id);
    }
    case 0x1A:
    case 0x1C: return eip712(ins, p1, p2, data);
    case 0x0C: {
        if (p2 == 0x01) return eip712(ins, p1, p2, data);
        if (p2 != 0x00) return status(0x6B00);
        const std::size_t used = read_path(data, path);
        if (used == 0 || data.size() != used + 64) return status(0x6A80);
        if (!blind_signing.load()) return status(0x6A80);
        Bytes preimage{0x19, 0x01};
        preimage.insert(preimage.end(), data.begin() + static_cast<std::ptrdiff_t>(used), data.end());
        return sign_reply(path, wallet::keccak256(preimage), 27, false, 0);
    }
    default: return status(0x6D00);
    }
}

namespace {

/// A field's raw bytes back as the JSON value the document had.
nlohmann::json json_value(const std::string& type, const Bytes& raw)
{
    if (type == "address") {
        const auto address = wallet::Address::from_hex(wallet::to_hex(raw));
        return address ? address->to_hex() : std::string();
    }
    if (type == "bool") return !raw.empty() && raw.back() != 0;
    if (type == "string") return std::string(raw.begin(), raw.end());
    if (type.starts_with("bytes")) return wallet::to_hex(raw);
    Bytes padded(32 - std::min<std::size_t>(32, raw.size()), 0);
    const bool negative = type.starts_with("int") && !raw.empty() && (raw.front() & 0x80);
    if (negative) std::fill(padded.begin(), padded.end(), 0xFF);
    padded.insert(padded.end(), raw.begin(), raw.end());
    const auto value = *wallet::U256::from_be(padded);
    if (!negative) return value.to_dec();
    return "-" + ((wallet::U256::max() - value) + wallet::U256(1)).to_dec();
}

}  // namespace

Bytes LedgerSimulator::eip712(std::uint8_t ins, std::uint8_t p1, std::uint8_t p2, ByteView data)
{
    if (version_minor.load() < 9) return status(0x6D00);  // before 1.9.19: no such instruction
    if (ins == 0x1A) {
        if (!m_events.empty()) {  // a new message
            m_types.clear();
            m_events.clear();
        }
        if (p2 == 0x00) {
            m_types.push_back({std::string(data.begin(), data.end()), {}});
            return status(0x9000);
        }
        if (p2 != 0xFF || m_types.empty() || data.empty()) return status(0x6A80);
        // TypeDesc [custom name] [size] [levels] key, read back into a type string.
        std::size_t at = 0;
        const std::uint8_t desc = data[at++];
        std::string type;
        switch (desc & 0x0F) {
        case 0: {
            const std::size_t size = data[at++];
            type.assign(data.begin() + static_cast<std::ptrdiff_t>(at), data.begin() + static_cast<std::ptrdiff_t>(at + size));
            at += size;
            break;
        }
        case 1: type = "int"; break;
        case 2: type = "uint"; break;
        case 3: type = "address"; break;
        case 4: type = "bool"; break;
        case 5: type = "string"; break;
        case 6: type = "bytes"; break;
        case 7: type = "bytes"; break;
        default: return status(0x6A80);
        }
        if (desc & 0x40) {
            const unsigned size = data[at++];
            type += std::to_string((desc & 0x0F) == 6 ? size : size * 8);
        }
        if (desc & 0x80) {
            const std::size_t levels = data[at++];
            for (std::size_t i = 0; i < levels; ++i)
                type += data[at++] == 1 ? "[" + std::to_string(data[at++]) + "]" : std::string("[]");
        }
        const std::size_t key_size = data[at++];
        m_types.back().second.emplace_back(std::string(data.begin() + static_cast<std::ptrdiff_t>(at), data.begin() + static_cast<std::ptrdiff_t>(at + key_size)), type);
        return status(0x9000);
    }
    if (ins == 0x1C) {
        if (p2 == 0x00) m_events.push_back({Event::Kind::Root, std::string(data.begin(), data.end()), 0, {}});
        else if (p2 == 0x0F && data.size() == 1) m_events.push_back({Event::Kind::Array, {}, data[0], {}});
        else if (p2 == 0xFF) {
            m_partial.insert(m_partial.end(), data.begin(), data.end());
            if (p1 == 0x01) return status(0x9000);
            if (m_partial.size() < 2 || m_partial.size() != 2u + (std::size_t{m_partial[0]} << 8 | m_partial[1])) return status(0x6A80);
            m_events.push_back({Event::Kind::Value, {}, 0, Bytes(m_partial.begin() + 2, m_partial.end())});
            m_partial.clear();
        } else return status(0x6B00);
        return status(0x9000);
    }
    // E0 0C P2 01: rebuild the document from what came, hash it, sign.
    wallet::DerivationPath path;
    if (read_path(data, path) == 0) return status(0x6A80);
    nlohmann::json types = nlohmann::json::object();
    std::map<std::string, std::vector<std::pair<std::string, std::string>>> fields;
    for (const auto& [name, list] : m_types) {
        fields[name] = list;
        auto& out = types[name] = nlohmann::json::array();
        for (const auto& [key, type] : list) out.push_back({{"name", key}, {"type", type}});
    }
    std::size_t next = 0;
    bool broken = false;
    std::function<nlohmann::json(const std::string&)> build_struct;
    std::function<nlohmann::json(const std::string&)> build_value = [&](const std::string& type) -> nlohmann::json {
        if (type.ends_with("]")) {
            const std::string inner = type.substr(0, type.rfind('['));
            if (next >= m_events.size() || m_events[next].kind != Event::Kind::Array) return broken = true, nlohmann::json();
            const std::size_t size = m_events[next++].size;
            nlohmann::json items = nlohmann::json::array();
            for (std::size_t i = 0; i < size; ++i) items.push_back(build_value(inner));
            return items;
        }
        if (fields.contains(type)) return build_struct(type);
        if (next >= m_events.size() || m_events[next].kind != Event::Kind::Value) return broken = true, nlohmann::json();
        return json_value(type, m_events[next++].value);
    };
    build_struct = [&](const std::string& name) {
        nlohmann::json out = nlohmann::json::object();
        for (const auto& [key, type] : fields[name]) out[key] = build_value(type);
        return out;
    };
    nlohmann::json document{{"types", types}};
    for (const char* part : {"domain", "message"}) {
        if (next >= m_events.size() || m_events[next].kind != Event::Kind::Root) return status(0x6A80);
        const std::string root = m_events[next++].root;
        if (std::string(part) == "message") document["primaryType"] = root;
        document[part] = build_struct(root);
    }
    m_types.clear();
    m_events.clear();
    auto hashed = wallet::hash_typed_data(document.dump());
    if (broken || !hashed) return status(0x6A80);
    return sign_reply(path, hashed->digest, 27, false, 0);
}

bool LedgerSimulator::listen()
{
    m_listen_fd = bind_loopback(m_port);
    if (m_listen_fd < 0 || ::listen(m_listen_fd, 4) != 0) return false;
    m_server = std::thread([this] { serve(); });
    return true;
}

void LedgerSimulator::serve()
{
    const auto read_all = [this](int fd, std::uint8_t* into, std::size_t size) {
        for (std::size_t got = 0; got < size;) {
            pollfd ready{fd, POLLIN, 0};
            if (m_stop) return false;
            if (::poll(&ready, 1, 100) <= 0) continue;
            const ssize_t n = ::recv(fd, into + got, size - got, 0);
            if (n <= 0) return false;
            got += static_cast<std::size_t>(n);
        }
        return true;
    };
    // A connection per client, each on a thread of its own (a second program may open the device meanwhile).
    std::vector<std::thread> clients;
    while (!m_stop) {
        pollfd ready{m_listen_fd, POLLIN, 0};
        if (::poll(&ready, 1, 100) <= 0) continue;
        const int fd = ::accept(m_listen_fd, nullptr, nullptr);
        if (fd < 0) continue;
        clients.emplace_back([this, fd, read_all] {
            for (;;) {
                std::array<std::uint8_t, 4> header{};
                if (!read_all(fd, header.data(), header.size())) break;
                const std::size_t size_in = std::size_t{header[0]} << 24 | std::size_t{header[1]} << 16 | std::size_t{header[2]} << 8 | header[3];
                Bytes apdu(size_in);
                if (!read_all(fd, apdu.data(), apdu.size())) break;
                const Bytes reply = handle(apdu);
                if (reply.empty()) break;  // vanished: the connection drops
                // Speculos: the length leaves out the status word.
                const std::size_t size = reply.size() - 2;
                Bytes out{static_cast<std::uint8_t>(size >> 24), static_cast<std::uint8_t>(size >> 16), static_cast<std::uint8_t>(size >> 8),
                          static_cast<std::uint8_t>(size)};
                out.insert(out.end(), reply.begin(), reply.end());
                if (::send(fd, out.data(), out.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(out.size())) break;
            }
            ::close(fd);
        });
    }
    for (auto& client : clients) client.join();
}

namespace {

/// The device's side of the HID framing, kept apart from the transport's.
class VirtualHid final : public wallet::ledger::HidDevice {
public:
    explicit VirtualHid(LedgerSimulator& device) : m_device(device), m_worker([this] { work(); }) {}
    ~VirtualHid() override
    {
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_wake.notify_all();
        m_worker.join();
    }

    wallet::Result<void> write(const std::array<std::uint8_t, 64>& report) override
    {
        std::lock_guard lock(m_mutex);
        if (m_gone) return wallet::fail(wallet::Errc::DeviceUnavailable, "the virtual Ledger was unplugged");
        const std::uint16_t sequence = static_cast<std::uint16_t>(report[3] << 8 | report[4]);
        if (report[2] != 0x05 || sequence != m_sequence) return wallet::fail(wallet::Errc::DeviceUnavailable, "a report out of sequence");
        m_channel = static_cast<std::uint16_t>(report[0] << 8 | report[1]);
        std::size_t start = 5;
        if (sequence == 0) {
            m_expected = std::size_t(report[5]) << 8 | report[6];
            m_incoming.clear();
            start = 7;
        }
        ++m_sequence;
        for (std::size_t i = start; i < 64 && m_incoming.size() < m_expected; ++i) m_incoming.push_back(report[i]);
        if (m_incoming.size() == m_expected) {
            m_requests.push_back(std::exchange(m_incoming, {}));
            m_sequence = 0;
            m_wake.notify_all();
        }
        return {};
    }

    wallet::Result<std::optional<std::array<std::uint8_t, 64>>> read(std::chrono::milliseconds wait) override
    {
        std::unique_lock lock(m_mutex);
        m_wake.wait_for(lock, wait, [&] { return !m_reports.empty() || m_gone; });
        if (m_gone) return wallet::fail(wallet::Errc::DeviceUnavailable, "the virtual Ledger was unplugged");
        if (m_reports.empty()) return std::optional<std::array<std::uint8_t, 64>>();
        auto report = m_reports.front();
        m_reports.pop_front();
        return std::optional(report);
    }

private:
    void work()
    {
        std::unique_lock lock(m_mutex);
        for (;;) {
            m_wake.wait(lock, [&] { return m_stop || !m_requests.empty(); });
            if (m_stop) return;
            const Bytes apdu = std::move(m_requests.front());
            m_requests.pop_front();
            lock.unlock();
            const Bytes reply = m_device.handle(apdu);
            lock.lock();
            if (reply.empty()) {
                m_gone = true;
                m_wake.notify_all();
                continue;
            }
            Bytes framed{static_cast<std::uint8_t>(reply.size() >> 8), static_cast<std::uint8_t>(reply.size())};
            framed.insert(framed.end(), reply.begin(), reply.end());
            for (std::size_t offset = 0, sequence = 0; offset < framed.size(); ++sequence) {
                std::array<std::uint8_t, 64> report{};
                report[0] = static_cast<std::uint8_t>(m_channel >> 8);
                report[1] = static_cast<std::uint8_t>(m_channel);
                report[2] = 0x05;
                report[3] = static_cast<std::uint8_t>(sequence >> 8);
                report[4] = static_cast<std::uint8_t>(sequence);
                for (std::size_t i = 5; i < 64 && offset < framed.size(); ++i) report[i] = framed[offset++];
                m_reports.push_back(report);
            }
            m_wake.notify_all();
        }
    }

    LedgerSimulator& m_device;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Bytes> m_requests;
    std::deque<std::array<std::uint8_t, 64>> m_reports;
    Bytes m_incoming;
    std::size_t m_expected = 0;
    std::uint16_t m_sequence = 0;
    std::uint16_t m_channel = 0;
    bool m_gone = false;
    bool m_stop = false;
    std::thread m_worker;
};

}  // namespace

std::unique_ptr<wallet::ledger::HidDevice> LedgerSimulator::hid_device()
{
    return std::make_unique<VirtualHid>(*this);
}

}  // namespace nftterm::tests
