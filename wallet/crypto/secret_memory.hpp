#pragma once

#include <cstddef>
#include <new>

namespace nftterm::wallet {

/// Memory for secrets (keys, seeds, passwords, mnemonics): pages of their
/// own, locked in RAM (mlock: never written to swap, best effort under
/// RLIMIT_MEMLOCK) and left out of core dumps (MADV_DONTDUMP). While any
/// such block lives the process is not dumpable (PR_SET_DUMPABLE 0: no core
/// file, no ptrace attach by the same user); the last one freed restores the
/// process's own setting. Freeing wipes the bytes first. Thread-safe.
void* allocate_secret(std::size_t bytes);
void free_secret(void* block, std::size_t bytes) noexcept;
/// Secret blocks alive now (for tests and diagnostics).
std::size_t live_secret_blocks() noexcept;

/// An allocator over allocate_secret, for the containers that hold secrets.
template <typename T>
struct SecretAllocator {
    using value_type = T;
    SecretAllocator() noexcept = default;
    template <typename U>
    SecretAllocator(const SecretAllocator<U>&) noexcept
    {
    }
    T* allocate(std::size_t n) { return static_cast<T*>(allocate_secret(n * sizeof(T))); }
    void deallocate(T* block, std::size_t n) noexcept { free_secret(block, n * sizeof(T)); }
    template <typename U>
    bool operator==(const SecretAllocator<U>&) const noexcept
    {
        return true;
    }
};

}  // namespace nftterm::wallet
