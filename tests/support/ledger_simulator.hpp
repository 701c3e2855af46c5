#pragma once

#include <wallet/hw/ledger_transport.hpp>
#include <wallet/keys/derivation_path.hpp>
#include <wallet/primitives/address.hpp>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace nftterm::tests {

/// A Ledger running the Ethereum app, for tests: it speaks the app's APDUs
/// (B0 01, E0 06, E0 02, E0 04, E0 08, E0 0C hashed) over Speculos's TCP
/// protocol and through a virtual HID device with the device's framing, and
/// signs with a key derived from its mnemonic, as the app does (RFC 6979; a
/// legacy transaction's v computed from the chain id's low 4 bytes and cut
/// to one byte). What a person or the device would do is set by the knobs.
/// Its framing and RLP reading are its own, not the code under test's.
class LedgerSimulator {
public:
    /// The seed a published Ledger recording was made with (MyCrypto's wallets tests).
    static constexpr const char* kTestMnemonic = "test test test test test test test test test test test ball";

    explicit LedgerSimulator(std::string mnemonic = kTestMnemonic);
    ~LedgerSimulator();
    LedgerSimulator(const LedgerSimulator&) = delete;
    LedgerSimulator& operator=(const LedgerSimulator&) = delete;

    /// The person at the device: approves or rejects each signature.
    std::atomic<bool> approve{true};
    std::atomic<bool> locked{false};
    /// False: the dashboard is showing, no app is open.
    std::atomic<bool> app_open{true};
    std::atomic<bool> blind_signing{true};
    /// The person takes this long before answering a signature.
    std::atomic<int> answer_delay_ms{0};
    /// The device disappears when the APDU after this many more arrives (-1: never).
    std::atomic<int> vanish_after{-1};
    /// The app's version, as GET_APP_CONFIGURATION reports it.
    std::atomic<int> version_minor{10};

    /// One APDU in, data ‖ status word out (empty: the device has vanished).
    wallet::Bytes handle(wallet::ByteView apdu);
    /// Every APDU received so far.
    std::vector<wallet::Bytes> received() const;
    /// Signatures the device made (approved ones).
    int signatures() const { return m_signatures.load(); }

    /// Speculos's APDU socket on a free loopback port (a thread serves it).
    bool listen();
    int port() const { return m_port; }
    std::string transport_spec() const { return "tcp:127.0.0.1:" + std::to_string(m_port); }

    /// A virtual USB HID device in front of the same app.
    std::unique_ptr<wallet::ledger::HidDevice> hid_device();

    wallet::Address address(const wallet::DerivationPath& path) const;

private:
    wallet::Bytes answer(wallet::ByteView apdu);
    /// E0 1A / 1C / 0C P2 01: the full EIP-712 mode, rebuilt into the JSON it describes and hashed.
    wallet::Bytes eip712(std::uint8_t ins, std::uint8_t p1, std::uint8_t p2, wallet::ByteView data);
    wallet::Bytes sign_reply(const wallet::DerivationPath& path, const wallet::Hash32& digest, std::uint8_t v_base, bool legacy_v,
                             std::uint64_t chain_id);
    void serve();

    std::string m_mnemonic;
    mutable std::mutex m_mutex;
    std::mutex m_app;
    std::vector<wallet::Bytes> m_received;
    std::atomic<int> m_signatures{0};
    /// A signature arriving in chunks: its path, kind and the bytes so far.
    wallet::DerivationPath m_path;
    std::uint8_t m_ins = 0;
    wallet::Bytes m_pending;
    std::uint32_t m_message_size = 0;
    /// The full EIP-712 flow: type definitions in order, then what the implementation sent.
    std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>> m_types;
    struct Event {
        enum class Kind { Root, Array, Value } kind;
        std::string root;
        std::size_t size = 0;
        wallet::Bytes value;
    };
    std::vector<Event> m_events;
    wallet::Bytes m_partial;

    int m_listen_fd = -1;
    int m_port = 0;
    std::atomic<bool> m_stop{false};
    std::thread m_server;
};

}  // namespace nftterm::tests
