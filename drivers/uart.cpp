#include "uart.hpp"

#include <atomic>

namespace rt::uart {
namespace {

enum Reg : unsigned { kRbrThr = 0, kIer = 1, kIirFcr = 2, kLcr = 3, kLsr = 5 };
constexpr uint8_t kIerRx = 1, kIerTx = 2;
constexpr uint8_t kLsrDataReady = 1, kLsrThrEmpty = 0x20;
constexpr uint8_t kIirNoInterrupt = 1, kIirIdMask = 0x0e, kIirTxEmpty = 0x02;

volatile uint8_t* g_base;
unsigned g_shift;
std::atomic<uint32_t> g_ier{0};
std::atomic<uint64_t> g_tx_empty_irqs{0};

volatile uint8_t& reg(unsigned r) { return g_base[r << g_shift]; }

}  // namespace

void init(uintptr_t base_va, unsigned reg_shift) {
    g_base = reinterpret_cast<volatile uint8_t*>(base_va);
    g_shift = reg_shift;
    reg(kIer) = 0;
    reg(kLcr) = 0x03;    // 8N1
    reg(kIirFcr) = 0x01; // FIFOs on; what was received already stays to be read
}

void putc(char c) {
    if (!g_base) return;
    while (!(reg(kLsr) & kLsrThrEmpty)) {
    }
    reg(kRbrThr) = static_cast<uint8_t>(c);
}

void write(const char* s, size_t n) {
    for (size_t i = 0; i < n; ++i) {
        if (s[i] == '\n') putc('\r');
        putc(s[i]);
    }
}

int getc() {
    if (!g_base || !(reg(kLsr) & kLsrDataReady)) return -1;
    return reg(kRbrThr);
}

static void update_ier(uint8_t bit, bool on) {
    uint32_t v = on ? g_ier.fetch_or(bit) | bit : g_ier.fetch_and(~uint32_t{bit}) & ~uint32_t{bit};
    reg(kIer) = static_cast<uint8_t>(v);
}
void set_tx_empty_interrupt(bool on) { update_ier(kIerTx, on); }
void set_rx_interrupt(bool on) { update_ier(kIerRx, on); }

bool handle_interrupt() {
    uint8_t iir = reg(kIirFcr);
    if (iir & kIirNoInterrupt) return false;
    if ((iir & kIirIdMask) == kIirTxEmpty) {
        // A level interrupt: the one-shot tester turns it off once seen.
        g_tx_empty_irqs.fetch_add(1);
        update_ier(kIerTx, false);
    }
    return true;
}

uint64_t tx_empty_interrupts() { return g_tx_empty_irqs.load(); }

}  // namespace rt::uart
