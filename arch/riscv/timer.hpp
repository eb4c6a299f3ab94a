#pragma once
// The hart timer: time CSR ticks at the device tree's timebase; deadlines through Sstc's
// stimecmp when the harts have it (no SBI call), SBI set_timer otherwise.
#include <cstdint>

namespace rt::arch {

void timer_init(uint64_t timebase_hz, bool sstc);
uint64_t ticks_to_ns(uint64_t ticks);
uint64_t ns_to_ticks(uint64_t ns);
uint64_t now_ns();
// Programs this hart's timer interrupt for `ticks` (~0 for never).
void timer_program(uint64_t ticks);
bool timer_uses_sstc();

}  // namespace rt::arch
