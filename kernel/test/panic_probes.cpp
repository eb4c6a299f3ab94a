#include "panic_probes.hpp"

#include "kernel/boot/bootargs.hpp"
#include "kernel/lib/spinlock.hpp"

namespace rt {
namespace {

SpinLock g_probe_lock;

Task<void> hold_spinlock_across_await() {
    SpinLockGuard held(g_probe_lock);
    co_await yield();
}

Task<void> load_from_unmapped() {
    auto* p = reinterpret_cast<volatile uint64_t*>(0x10);
    (void)*p;
    co_return;
}

}  // namespace

Task<void> panic_probe(const char* bootargs) {
    if (has_bootarg(bootargs, "probe-spinlock")) return hold_spinlock_across_await();
    if (has_bootarg(bootargs, "probe-fault")) return load_from_unmapped();
    return {};
}

}  // namespace rt
