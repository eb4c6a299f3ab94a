#include "random.hpp"

#include <cstring>

#include "arch/riscv/csr.hpp"
#include "kernel/lib/chacha20.hpp"
#include "kernel/lib/spinlock.hpp"

namespace rt {
namespace {

SpinLock g_lock;
uint32_t g_key[8];
uint32_t g_nonce[3];
bool g_seeded = false;

// One block from the current key; the caller holds the lock.
void next_block(uint8_t out[64]) {
    chacha20_block(g_key, 0, g_nonce, out);
    if (++g_nonce[0] == 0) ++g_nonce[1];
}

void rekey() {
    uint8_t block[64];
    next_block(block);
    memcpy(g_key, block, sizeof g_key);
    memset(block, 0, sizeof block);
}

}  // namespace

void random_init(const uint8_t* seed, size_t seed_size) {
    SpinLockGuard g(g_lock);
    for (size_t i = 0; i < seed_size; ++i) reinterpret_cast<uint8_t*>(g_key)[i % sizeof g_key] ^= seed[i];
    g_seeded = seed_size >= 16;
    // Timer jitter as well: cheap, and never makes things worse.
    for (int i = 0; i < 64; ++i) {
        g_key[i % 8] ^= static_cast<uint32_t>(arch::rdtime() ^ (arch::rdcycle() << 7));
        rekey();
    }
}

void random_fill(void* out, size_t n) {
    auto* p = static_cast<uint8_t*>(out);
    uint8_t block[64];
    SpinLockGuard g(g_lock);
    while (n) {
        next_block(block);
        size_t k = n < sizeof block ? n : sizeof block;
        memcpy(p, block, k);
        p += k;
        n -= k;
    }
    memset(block, 0, sizeof block);
    rekey();
}

bool random_is_seeded() { return g_seeded; }

}  // namespace rt
