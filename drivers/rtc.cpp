#include "rtc.hpp"

namespace rt::rtc {

uint64_t read_ns(uintptr_t base_va) {
    if (!base_va) return 0;
    auto* regs = reinterpret_cast<volatile uint32_t*>(base_va);
    uint64_t low = regs[0];  // TIME_LOW first: it latches TIME_HIGH
    uint64_t high = regs[1];
    return high << 32 | low;
}

}  // namespace rt::rtc
