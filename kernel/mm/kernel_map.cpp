#include "kernel_map.hpp"

#include "address.hpp"
#include "kernel/panic.hpp"

extern "C" char __kernel_start[], __text_end[], __rodata_end[], __kernel_end[];

namespace rt {

arch::PageTable g_kernel_table;

namespace {
void map_or_panic(uint64_t va, uint64_t pa, uint64_t size, uint64_t flags) {
    if (g_kernel_table.map(va, pa, size, flags).is_error()) panic("cannot build the kernel page table");
}
uint64_t va_of(const char* p) { return reinterpret_cast<uint64_t>(p); }
}  // namespace

void kernel_map_init(const BootInfo& info) {
    auto t = arch::PageTable::create();
    if (t.is_error()) panic("no memory for the kernel page table");
    g_kernel_table = t.release_value();
    using namespace arch;
    uint64_t ram_end = page_round_up(info.memory.base + info.memory.size);
    map_or_panic(kLinearMapBase, 0, ram_end, kPteR | kPteW | kPteG);

    auto image = [](const char* from, const char* to, uint64_t flags) {
        map_or_panic(va_of(from), virt_to_phys(from), va_of(to) - va_of(from), flags | kPteG);
    };
    image(__kernel_start, __text_end, kPteR | kPteX);
    image(__text_end, __rodata_end, kPteR);
    image(__rodata_end, __kernel_end, kPteR | kPteW);
    g_kernel_table.activate();
}

void kernel_map_activate() { g_kernel_table.activate(); }

}  // namespace rt
