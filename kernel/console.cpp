#include "console.hpp"

#include "drivers/uart.hpp"
#include "kernel/lib/spinlock.hpp"

namespace rt {
namespace {
SpinLock g_console_lock;
}

void console_write(const char* s, size_t n) {
    SpinLockGuard g(g_console_lock);
    uart::write(s, n);
}

void console_write_raw(const char* s, size_t n) {
    SpinLockGuard g(g_console_lock);
    for (size_t i = 0; i < n; ++i) uart::putc(s[i]);
}

}  // namespace rt
