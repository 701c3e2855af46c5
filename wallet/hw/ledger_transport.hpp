#pragma once

#include <wallet/hw/ledger_apdu.hpp>
#include <wallet/signer/signer.hpp>

#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nftterm::wallet::ledger {

/// Carries APDUs to a Ledger and its answers back. exchange() blocks until
/// the answer (a person may be reading the device's screen), the context's
/// timeout (Errc::Timeout) or a stop request (Errc::Cancelled); after a
/// timeout, a cancel or a lost device the transport is closed and each
/// later call fails (open a new one). One caller at a time.
class Transport {
public:
    virtual ~Transport() = default;
    virtual Result<Reply> exchange(const Apdu& apdu, const SignContext& context) = 0;
    /// "Ledger over USB", "Speculos at 127.0.0.1:9999".
    virtual std::string description() const = 0;
};

/// One HID device's 64-byte reports, as hidapi gives them (tests put a
/// device of their own behind it).
class HidDevice {
public:
    virtual ~HidDevice() = default;
    virtual Result<void> write(const std::array<std::uint8_t, 64>& report) = 0;
    /// A report, or nothing within `wait`; an error when the device is gone.
    virtual Result<std::optional<std::array<std::uint8_t, 64>>> read(std::chrono::milliseconds wait) = 0;
};

/// Ledger's HID framing: channel (2) ‖ tag 0x05 ‖ sequence (2) ‖ payload,
/// where the payload of packet 0 starts with the message's length (2).
std::vector<std::array<std::uint8_t, 64>> hid_frames(ByteView message, std::uint16_t channel);

/// Collects an answer's reports into the message they frame.
class HidReassembler {
public:
    explicit HidReassembler(std::uint16_t channel) : m_channel(channel) {}
    /// False while more reports are due; an error for a report out of place.
    Result<bool> add(const std::array<std::uint8_t, 64>& report);
    /// The message (data ‖ status word) once add() said true.
    const Bytes& message() const { return m_message; }

private:
    std::uint16_t m_channel;
    std::uint16_t m_sequence = 0;
    std::size_t m_expected = 0;
    Bytes m_message;
};

/// A transport over a HID device (the real one from open_ledger_hid, or a test's).
std::unique_ptr<Transport> make_hid_transport(std::unique_ptr<HidDevice> device, std::string description = "Ledger over USB");
/// The first Ledger on USB (vendor 0x2C97, interface 0). Says in words when
/// there is none, when another program holds it, or when the udev rules
/// that give access to it are missing.
Result<std::unique_ptr<HidDevice>> open_ledger_hid();

/// Speculos's APDU socket: 4-byte length ‖ APDU out; 4-byte length N ‖ N
/// bytes ‖ status word back.
Result<std::unique_ptr<Transport>> connect_speculos(const std::string& host, std::uint16_t port,
                                                    std::chrono::milliseconds connect_timeout = std::chrono::seconds(3));

/// "the Ledger did not answer within 2 min" (the timeout a user sees).
std::string no_answer_within(std::chrono::milliseconds timeout);

/// "hid" or "tcp:HOST:PORT" (--ledger-transport, NFTTERM_LEDGER_TRANSPORT).
Result<std::unique_ptr<Transport>> open_transport(std::string_view spec);
/// The spec to use: `option` if given, else NFTTERM_LEDGER_TRANSPORT, else "hid".
std::string transport_spec(std::optional<std::string> option);

}  // namespace nftterm::wallet::ledger
