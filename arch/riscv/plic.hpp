#pragma once
// The platform-level interrupt controller: routes device interrupts to a hart's S-mode context.
#include <cstdint>

namespace rt::arch {

void plic_init(uintptr_t base_va);
// Routes `irq` to the S-mode context `context` (and only there).
void plic_enable(uint32_t irq, int context);
void plic_set_threshold(int context, uint32_t threshold);
// The highest pending interrupt for `context` (0 if none); must be completed.
uint32_t plic_claim(int context);
void plic_complete(int context, uint32_t irq);

}  // namespace rt::arch
