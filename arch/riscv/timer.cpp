#include "timer.hpp"

#include "csr.hpp"
#include "sbi.hpp"

namespace rt::arch {
namespace {
uint64_t g_hz = 10'000'000;
uint64_t g_ns_per_tick_q32 = 100ull << 32;  // 32.32 fixed point: no division on the hot paths
bool g_sstc = false;
}  // namespace

void timer_init(uint64_t timebase_hz, bool sstc) {
    g_hz = timebase_hz;
    g_ns_per_tick_q32 = static_cast<uint64_t>((static_cast<unsigned __int128>(1'000'000'000) << 32) / timebase_hz);
    g_sstc = sstc;
}

uint64_t ticks_to_ns(uint64_t ticks) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(ticks) * g_ns_per_tick_q32) >> 32);
}
// Rounds up, so a timer programmed for a deadline never fires before it.
uint64_t ns_to_ticks(uint64_t ns) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(ns) * g_hz + 999'999'999u) / 1'000'000'000u);
}
uint64_t now_ns() { return ticks_to_ns(rdtime()); }
bool timer_uses_sstc() { return g_sstc; }

void timer_program(uint64_t ticks) {
    if (g_sstc) RT_CSR_WRITE(0x14d, ticks);  // stimecmp
    else sbi::set_timer(ticks);
}

}  // namespace rt::arch
