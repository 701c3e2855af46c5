#include "secret_memory.hpp"

#include "secret.hpp"

#include <algorithm>
#include <mutex>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

namespace nftterm::wallet {
namespace {

std::mutex g_mutex;
std::size_t g_live = 0;
int g_dumpable_before = 1;

std::size_t page_rounded(std::size_t bytes)
{
    static const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    return (std::max<std::size_t>(bytes, 1) + page - 1) / page * page;
}

}  // namespace

void* allocate_secret(std::size_t bytes)
{
    const std::size_t size = page_rounded(bytes);
    void* block = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (block == MAP_FAILED) throw std::bad_alloc();
    // Best effort: without CAP_IPC_LOCK the lock limit may be small; the bytes are still wiped and kept out of dumps.
    (void)::mlock(block, size);
    (void)::madvise(block, size, MADV_DONTDUMP);
    std::lock_guard lock(g_mutex);
    if (g_live++ == 0) {
        g_dumpable_before = ::prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
        (void)::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    }
    return block;
}

void free_secret(void* block, std::size_t bytes) noexcept
{
    if (!block) return;
    const std::size_t size = page_rounded(bytes);
    secure_zero(block, size);
    (void)::munlock(block, size);
    (void)::munmap(block, size);
    std::lock_guard lock(g_mutex);
    if (--g_live == 0 && g_dumpable_before == 1) (void)::prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
}

std::size_t live_secret_blocks() noexcept
{
    std::lock_guard lock(g_mutex);
    return g_live;
}

}  // namespace nftterm::wallet
