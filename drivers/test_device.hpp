#pragma once
// QEMU's sifive,test0 device: the guest's verdict becomes QEMU's exit status (OpenSBI's system
// reset cannot report failure).
#include <cstdint>

namespace rt::test_device {

void init(uintptr_t base_va);
// Exit status 0 for pass; `code` (1..0xffff) for fail.
[[noreturn]] void power_off(bool pass, uint16_t code = 1);

}  // namespace rt::test_device
