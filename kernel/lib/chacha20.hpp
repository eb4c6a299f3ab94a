#pragma once
// The ChaCha20 block function (RFC 8439 §2.3), the core of the kernel's random generator.
#include <cstdint>

namespace rt {

// Writes the 64-byte keystream block for (key, counter, nonce) to `out`.
void chacha20_block(const uint32_t key[8], uint32_t counter, const uint32_t nonce[3], uint8_t out[64]);

}  // namespace rt
