#include "ledger_transport.hpp"

#include <hidapi/hidapi.h>

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <random>

namespace nftterm::wallet::ledger {
namespace {

constexpr std::uint8_t kTagApdu = 0x05;
constexpr std::size_t kHeader = 5;

/// Waits for the answer in slices, so a stop request or the deadline is seen within one.
constexpr std::chrono::milliseconds kReportSlice{100};

class HidTransport final : public Transport {
public:
    HidTransport(std::unique_ptr<HidDevice> device, std::string description)
        : m_device(std::move(device)), m_description(std::move(description)),
          m_channel(static_cast<std::uint16_t>(std::random_device{}()))  // as Ledger's clients do; the device echoes it
    {
    }

    std::string description() const override { return m_description; }

    Result<Reply> exchange(const Apdu& apdu, const SignContext& context) override
    {
        if (!m_device) return fail(Errc::DeviceUnavailable, "the connection to the Ledger was closed after an interrupted request: connect again");
        for (const auto& report : hid_frames(apdu.encode(), m_channel))
            if (auto written = m_device->write(report); !written) return close(written.error());
        HidReassembler answer(m_channel);
        const auto deadline = std::chrono::steady_clock::now() + context.timeout;
        for (;;) {
            if (context.stop.stop_requested()) return close({Errc::Cancelled, "the request to the Ledger was cancelled"});
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0)
                return close({Errc::Timeout, no_answer_within(context.timeout)});
            auto report = m_device->read(std::min(left, kReportSlice));
            if (!report) return close(report.error());
            if (!*report) continue;
            auto done = answer.add(**report);
            if (!done) return close(done.error());
            if (!*done) continue;
            const Bytes& message = answer.message();
            if (message.size() < 2) return close({Errc::DeviceUnavailable, "the Ledger's answer has no status word"});
            return Reply{Bytes(message.begin(), message.end() - 2), static_cast<std::uint16_t>(message[message.size() - 2] << 8 | message.back())};
        }
    }

private:
    std::unexpected<Error> close(Error error)
    {
        m_device.reset();  // an answer still on its way must not be read as the next one's
        return std::unexpected(std::move(error));
    }

    std::unique_ptr<HidDevice> m_device;
    std::string m_description;
    std::uint16_t m_channel;
};

class HidapiDevice final : public HidDevice {
public:
    explicit HidapiDevice(hid_device* device) : m_device(device) {}
    ~HidapiDevice() override { hid_close(m_device); }

    Result<void> write(const std::array<std::uint8_t, 64>& report) override
    {
        std::array<unsigned char, 65> buffer{};  // report id 0, then the packet
        std::copy(report.begin(), report.end(), buffer.begin() + 1);
        if (hid_write(m_device, buffer.data(), buffer.size()) < 0) return fail(Errc::DeviceUnavailable, "the Ledger was unplugged");
        return {};
    }

    Result<std::optional<std::array<std::uint8_t, 64>>> read(std::chrono::milliseconds wait) override
    {
        std::array<std::uint8_t, 64> report{};
        const int got = hid_read_timeout(m_device, report.data(), report.size(), static_cast<int>(wait.count()));
        if (got < 0) return fail(Errc::DeviceUnavailable, "the Ledger was unplugged during the request");
        if (got == 0) return std::optional<std::array<std::uint8_t, 64>>();
        return std::optional(report);
    }

private:
    hid_device* m_device;
};

}  // namespace

std::vector<std::array<std::uint8_t, 64>> hid_frames(ByteView message, std::uint16_t channel)
{
    Bytes framed{static_cast<std::uint8_t>(message.size() >> 8), static_cast<std::uint8_t>(message.size())};
    framed.insert(framed.end(), message.begin(), message.end());
    std::vector<std::array<std::uint8_t, 64>> out;
    for (std::size_t offset = 0, sequence = 0; offset < framed.size(); ++sequence) {
        std::array<std::uint8_t, 64> report{};
        report[0] = static_cast<std::uint8_t>(channel >> 8);
        report[1] = static_cast<std::uint8_t>(channel);
        report[2] = kTagApdu;
        report[3] = static_cast<std::uint8_t>(sequence >> 8);
        report[4] = static_cast<std::uint8_t>(sequence);
        const std::size_t size = std::min(report.size() - kHeader, framed.size() - offset);
        std::copy_n(framed.begin() + static_cast<std::ptrdiff_t>(offset), size, report.begin() + kHeader);
        offset += size;
        out.push_back(report);
    }
    return out;
}

Result<bool> HidReassembler::add(const std::array<std::uint8_t, 64>& report)
{
    const std::uint16_t channel = static_cast<std::uint16_t>(report[0] << 8 | report[1]);
    const std::uint16_t sequence = static_cast<std::uint16_t>(report[3] << 8 | report[4]);
    if (channel != m_channel || report[2] != kTagApdu || sequence != m_sequence)
        return fail(Errc::DeviceUnavailable, "the Ledger's answer came out of order (another program may be talking to it)");
    std::size_t start = kHeader;
    if (m_sequence == 0) {
        m_expected = static_cast<std::size_t>(report[5] << 8 | report[6]);
        start += 2;
    }
    ++m_sequence;
    const std::size_t size = std::min(report.size() - start, m_expected - m_message.size());
    m_message.insert(m_message.end(), report.begin() + static_cast<std::ptrdiff_t>(start), report.begin() + static_cast<std::ptrdiff_t>(start + size));
    return m_message.size() == m_expected;
}

std::unique_ptr<Transport> make_hid_transport(std::unique_ptr<HidDevice> device, std::string description)
{
    return std::make_unique<HidTransport>(std::move(device), std::move(description));
}

Result<std::unique_ptr<HidDevice>> open_ledger_hid()
{
    if (hid_init() != 0) return fail(Errc::DeviceUnavailable, "the USB HID library could not start");
    std::string path;
    hid_device_info* devices = hid_enumerate(0x2C97, 0);
    for (const hid_device_info* d = devices; d; d = d->next)
        if (d->interface_number == 0 || d->usage_page == 0xFFA0) {
            path = d->path;
            break;
        }
    hid_free_enumeration(devices);
    if (path.empty()) return fail(Errc::DeviceUnavailable, "no Ledger found on USB: plug it in and unlock it");
    hid_device* device = hid_open_path(path.c_str());
    if (!device) {
        if (::access(path.c_str(), R_OK | W_OK) != 0 && errno == EACCES)
            return fail(Errc::DeviceUnavailable, "no permission to open the Ledger (" + path +
                                                     "): install Ledger's udev rules (20-hw1.rules from github.com/LedgerHQ/udev-rules) into "
                                                     "/etc/udev/rules.d/, run 'udevadm control --reload-rules && udevadm trigger' as root and replug it");
        return fail(Errc::DeviceUnavailable, "the Ledger is busy: another program (Ledger Live, a browser wallet) holds it; close that and try again");
    }
    return std::unique_ptr<HidDevice>(std::make_unique<HidapiDevice>(device));
}

}  // namespace nftterm::wallet::ledger
