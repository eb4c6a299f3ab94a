#pragma once
// The kernel's random numbers: a ChaCha20 generator with fast key erasure (each request ends
// by replacing the key with fresh output), seeded at boot from the device tree's rng-seed
// (QEMU passes 32 bytes of host entropy) mixed with timer jitter.
#include <cstddef>
#include <cstdint>

namespace rt {

void random_init(const uint8_t* seed, size_t seed_size);
void random_fill(void* out, size_t n);
// Whether the generator was seeded from real entropy (rng-seed present).
bool random_is_seeded();

}  // namespace rt
