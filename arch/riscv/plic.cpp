#include "plic.hpp"

namespace rt::arch {
namespace {
volatile uint32_t* g_plic;
volatile uint32_t& word(uintptr_t offset) { return g_plic[offset / 4]; }
constexpr uintptr_t kPriority = 0, kEnable = 0x2000, kEnableStride = 0x80;
constexpr uintptr_t kContext = 0x200000, kContextStride = 0x1000;
}  // namespace

void plic_init(uintptr_t base_va) { g_plic = reinterpret_cast<volatile uint32_t*>(base_va); }

void plic_enable(uint32_t irq, int context) {
    word(kPriority + irq * 4) = 1;
    volatile uint32_t& enable = word(kEnable + context * kEnableStride + (irq / 32) * 4);
    enable = enable | (1u << (irq % 32));
}

void plic_set_threshold(int context, uint32_t threshold) {
    word(kContext + context * kContextStride) = threshold;
}

uint32_t plic_claim(int context) { return word(kContext + context * kContextStride + 4); }
void plic_complete(int context, uint32_t irq) { word(kContext + context * kContextStride + 4) = irq; }

}  // namespace rt::arch
