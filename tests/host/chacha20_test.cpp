#include <gtest/gtest.h>

#include "kernel/lib/chacha20.hpp"

namespace rt {

// RFC 8439 §2.3.2: the block function test vector.
TEST(ChaCha20, Rfc8439BlockVector) {
    uint32_t key[8];
    for (int i = 0; i < 8; ++i)
        key[i] = uint32_t(4 * i) | uint32_t(4 * i + 1) << 8 | uint32_t(4 * i + 2) << 16 | uint32_t(4 * i + 3) << 24;
    const uint32_t nonce[3] = {0x09000000, 0x4a000000, 0x00000000};
    uint8_t out[64];
    chacha20_block(key, 1, nonce, out);
    const uint8_t expected[16] = {0x10, 0xf1, 0xe7, 0xe4, 0xd1, 0x3b, 0x59, 0x15,
                                  0x50, 0x0f, 0xdd, 0x1f, 0xa3, 0x20, 0x71, 0xc4};
    for (int i = 0; i < 16; ++i) EXPECT_EQ(out[i], expected[i]) << i;
    EXPECT_EQ(out[63], 0x4e);
}

}  // namespace rt
