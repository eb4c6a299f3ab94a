#pragma once
// The ns16550a UART of QEMU virt: polled output, interrupt-driven input.
#include <cstddef>
#include <cstdint>

namespace rt::uart {

void init(uintptr_t base_va, unsigned reg_shift);
void putc(char c);
void write(const char* s, size_t n);
// A received byte, or -1 if none is waiting.
int getc();
// Interrupt when the transmitter is empty (used to test external-interrupt routing).
void set_tx_empty_interrupt(bool on);
void set_rx_interrupt(bool on);
// Services the UART's interrupt; returns true if it was pending.
bool handle_interrupt();
// Counts of interrupts seen, for tests.
uint64_t tx_empty_interrupts();

}  // namespace rt::uart
