#pragma once

#include <wallet/crypto/secret_memory.hpp>
#include <wallet/primitives/bytes.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nftterm::wallet {

/// Overwrites memory in a way the optimiser may not remove.
void secure_zero(void* data, std::size_t size) noexcept;

/// Owns secret bytes (keys, seeds, passwords, mnemonics) and wipes them when
/// it dies or is moved from. Copies are explicit (`clone`) so that a secret
/// is never duplicated by accident. The bytes live in secret memory (locked,
/// never in a core dump: secret_memory.hpp) and are sized once: there is no
/// growing, so no stale copy is ever left behind. Not thread-safe.
class SecretBytes {
public:
    SecretBytes() = default;
    explicit SecretBytes(std::size_t size) : m_bytes(size, 0) {}
    explicit SecretBytes(ByteView bytes) : m_bytes(bytes.begin(), bytes.end()) {}
    static SecretBytes from_string(std::string_view text) { return SecretBytes(as_view(text)); }

    SecretBytes(const SecretBytes&) = delete;
    SecretBytes& operator=(const SecretBytes&) = delete;
    SecretBytes(SecretBytes&& other) noexcept : m_bytes(std::move(other.m_bytes)) { other.wipe(); }
    SecretBytes& operator=(SecretBytes&& other) noexcept
    {
        if (this != &other) {
            wipe();
            m_bytes = std::move(other.m_bytes);
            other.wipe();
        }
        return *this;
    }
    ~SecretBytes() { wipe(); }

    SecretBytes clone() const { return SecretBytes(view()); }

    std::uint8_t* data() noexcept { return m_bytes.data(); }
    const std::uint8_t* data() const noexcept { return m_bytes.data(); }
    std::size_t size() const noexcept { return m_bytes.size(); }
    bool empty() const noexcept { return m_bytes.empty(); }
    ByteView view() const noexcept { return {m_bytes.data(), m_bytes.size()}; }
    std::string_view as_string() const noexcept
    {
        return {reinterpret_cast<const char*>(m_bytes.data()), m_bytes.size()};
    }

    /// Wipes and empties.
    void wipe() noexcept
    {
        if (!m_bytes.empty()) secure_zero(m_bytes.data(), m_bytes.size());
        m_bytes.clear();
        m_bytes.shrink_to_fit();
    }

private:
    std::vector<std::uint8_t, SecretAllocator<std::uint8_t>> m_bytes;
};

}  // namespace nftterm::wallet
