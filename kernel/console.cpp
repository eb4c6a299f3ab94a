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

}  // namespace rt
