#pragma once
// Interrupt handling above the trap vector: timer, IPIs and PLIC device interrupts. Handlers
// only complete waits and post wakers; nothing resumes a coroutine inline.
#include <cstddef>
#include <cstdint>

namespace rt {

using IrqHandler = void (*)(uint32_t irq);

void interrupts_init_hart();       // enables timer, software and external interrupts in sie
void register_irq(uint32_t irq, IrqHandler h);  // routes irq to the boot hart

void on_timer_interrupt();
// The length of a user thread's turn, in time-CSR ticks (10 ms).
uint64_t time_slice_ticks();
// Makes sure this hart's timer fires by `deadline_ticks` (the end of a user thread's turn), so
// code that never traps still comes back to its executor. One timer write per turn.
void arm_time_slice(uint64_t deadline_ticks);
void on_software_interrupt();
void on_external_interrupt();

// Sends an IPI to logical hart `index` (for tests; wakes use platform::kick).
void send_ipi(size_t index);

}  // namespace rt
