// Sv39 page tables and the kernel's own map.
#include "arch/riscv/csr.hpp"
#include "arch/riscv/page_table.hpp"
#include "kernel/mm/address.hpp"
#include "kernel/mm/frames.hpp"
#include "kernel/mm/kernel_map.hpp"
#include "ktest.hpp"

extern "C" char __kernel_start[], __rodata_end[];
extern "C" const char kernel_rodata_probe[];
const char kernel_rodata_probe[] = "probe";

namespace rt {

using namespace arch;

KTEST(page_table_map_translate_unmap) {
    auto t = PageTable::create();
    KASSERT(!t.is_error());
    PageTable pt = t.release_value();
    KEXPECT(!pt.map(0x10000000, 0x80400000, 3 * 4096, kPteR | kPteW | kPteU).is_error());
    auto tr = pt.translate(0x10001234);
    KASSERT(!tr.is_error());
    KEXPECT(tr.value().pa == 0x80401234);
    KEXPECT((tr.value().flags & (kPteR | kPteW | kPteU | kPteX)) == (kPteR | kPteW | kPteU));
    KEXPECT(pt.map(0x10001000, 0x80500000, 4096, kPteR).error().code == Errno::EXIST);
    KEXPECT(pt.map(0x10000800, 0x80500000, 4096, kPteR).error().code == Errno::INVAL);
    KEXPECT(pt.map(0x0000008000000000, 0x80500000, 4096, kPteR).error().code == Errno::INVAL);
    KEXPECT(pt.unmap(0x10000000, 4 * 4096) == 3);
    KEXPECT(pt.translate(0x10001234).is_error());
    pt.destroy();
    co_return;
}

KTEST(page_table_uses_large_pages_when_aligned) {
    auto t = PageTable::create();
    KASSERT(!t.is_error());
    PageTable pt = t.release_value();
    size_t before = g_frames.free_frames();
    // 2 MiB aligned on both sides: one leaf at level 1, so root + one level-1 table only.
    KEXPECT(!pt.map(0x40000000 + 0x200000, 0x80200000, 0x200000, kPteR).is_error());
    KEXPECT(before - g_frames.free_frames() == 1);
    auto tr = pt.translate(0x40000000 + 0x2fffff);
    KEXPECT(!tr.is_error() && tr.value().pa == 0x802fffff);
    pt.destroy();
    co_return;
}

KTEST(kernel_image_is_w_xor_x) {
    auto text = g_kernel_table.translate(reinterpret_cast<uint64_t>(&ktest_page_table_map_translate_unmap));
    auto rodata = g_kernel_table.translate(reinterpret_cast<uint64_t>(kernel_rodata_probe));
    static int data_probe;
    auto data = g_kernel_table.translate(reinterpret_cast<uint64_t>(&data_probe));
    auto linear = g_kernel_table.translate(reinterpret_cast<uint64_t>(phys_to_virt(0x80000000)));
    KASSERT(!text.is_error() && !rodata.is_error() && !data.is_error() && !linear.is_error());
    auto rwx = [](const Translation& tr) { return tr.flags & (kPteR | kPteW | kPteX); };
    KEXPECT(rwx(text.value()) == (kPteR | kPteX));
    KEXPECT(rwx(rodata.value()) == kPteR);
    KEXPECT(rwx(data.value()) == (kPteR | kPteW));
    KEXPECT(rwx(linear.value()) == (kPteR | kPteW));
    KEXPECT(!(text.value().flags & kPteU));
    co_return;
}

KTEST(page_table_mapping_is_live_after_activate) {
    auto t = PageTable::create_user(g_kernel_table);
    KASSERT(!t.is_error());
    PageTable pt = t.release_value();
    // The kernel half is shared: map one page low and touch it through the new table.
    auto page = alloc_pages(0);
    KASSERT(!page.is_error());
    constexpr uint64_t kVa = 0x20000000;
    KASSERT(!pt.map(kVa, virt_to_phys(page.value()), 4096, kPteR | kPteW).is_error());
    unsigned long irq = irq_save();
    pt.activate();
    *reinterpret_cast<volatile uint64_t*>(kVa + 8) = 0x5eed;
    g_kernel_table.activate();
    irq_restore(irq);
    KEXPECT(static_cast<uint64_t*>(page.value())[1] == 0x5eed);
    pt.destroy();
    KEXPECT(g_kernel_table.translate(reinterpret_cast<uint64_t>(phys_to_virt(0x80000000))).value().pa == 0x80000000);
    free_pages(page.value(), 0);
}

}  // namespace rt
