#include "console_file.hpp"

#include <cstring>

#include "controlling_tty.hpp"
#include "drivers/uart.hpp"
#include "kernel/async/task.hpp"
#include "kernel/console.hpp"
#include "kernel/panic.hpp"
#include "kernel/sched/kthread.hpp"
#include "mount.hpp"
#include "tty.hpp"
#include "tty_file.hpp"

namespace rt {
namespace {

Tty g_console(console_write_raw);

// Bytes the receive interrupt took from the UART, until the input coroutine hands them on.
// Once it is full the receive interrupt goes off until the coroutine has emptied it: what
// comes meanwhile waits in the UART, and QEMU holds back the rest of a paste, losing nothing.
struct Received {
    SpinLock lock;
    char bytes[256];
    size_t count = 0;
    bool paused = false;  // the receive interrupt is off
    WaitQueue arrived;
};
Received g_received;

Task<void> feed_console() {
    char chunk[sizeof g_received.bytes];
    for (;;) {
        co_await g_received.arrived.wait([] {
            SpinLockGuard g(g_received.lock);
            return g_received.count != 0;
        });
        size_t n;
        {
            SpinLockGuard g(g_received.lock);
            n = g_received.count;
            memcpy(chunk, g_received.bytes, n);
            g_received.count = 0;
            if (g_received.paused) {
                g_received.paused = false;
                uart::set_rx_interrupt(true);
            }
        }
        g_console.receive(chunk, n);
    }
}

}  // namespace

FileRef open_console(const PathRef& path, uint32_t flags) {
    return open_tty_file(g_console, path, flags, TtyNode::Console);
}

FileRef open_console_tty(Process& opener, const PathRef& path, uint32_t flags) {
    FileRef f = open_tty_file(g_console, path, flags, TtyNode::Line);
    if (f) acquire_on_open(opener, g_console, f->readable(), flags & kONoctty);
    return f;
}

void console_receive() {
    bool any = false;
    {
        SpinLockGuard g(g_received.lock);
        while (g_received.count < sizeof g_received.bytes) {
            int c = uart::getc();
            if (c < 0) break;
            g_received.bytes[g_received.count++] = static_cast<char>(c);
            any = true;
        }
        if (g_received.count == sizeof g_received.bytes && !g_received.paused) {
            g_received.paused = true;
            uart::set_rx_interrupt(false);
        }
    }
    if (any) g_received.arrived.notify();
}

void start_console_input() {
    if (spawn(feed_console(), executor(Priority::Normal)).is_error()) panic("no memory for the console's input");
}

}  // namespace rt
