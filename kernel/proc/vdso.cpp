#include "vdso.hpp"

#include "kernel/mm/address.hpp"

extern "C" {
#include "vdso/vdso_data.h"
extern const char vdso_image_start[], vdso_image_end[];
}

namespace rt {
namespace {

// The data page, page-aligned in the kernel image so it can be mapped as it is.
union alignas(4096) DataPage {
    vdso_data data;
    char page[4096];
} g_data_page;

}  // namespace

void vdso_init(uint64_t timebase_hz, uint64_t realtime_offset) {
    vdso_data& d = g_data_page.data;
    d.ns_per_tick_q32 = static_cast<uint64_t>((static_cast<unsigned __int128>(1'000'000'000) << 32) / timebase_hz);
    d.resolution_ns = (1'000'000'000 + timebase_hz - 1) / timebase_hz;
    d.realtime_offset_ns = realtime_offset;
}

uint64_t realtime_offset_ns() { return g_data_page.data.realtime_offset_ns; }

ErrorOr<void> map_vdso(AddressSpace& space) {
    uint64_t code_size = page_round_up(static_cast<uint64_t>(vdso_image_end - vdso_image_start));
    TRY(space.map_kernel_pages(kVdsoBase - kPageSize, virt_to_phys(&g_data_page), kPageSize, kProtRead));
    TRY(space.map_kernel_pages(kVdsoBase, virt_to_phys(vdso_image_start), code_size, kProtRead | kProtExec));
    return {};
}

}  // namespace rt
